import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TextContext } from "../types";
import { DETECTORS, scanText } from "./index";
import { CS, Fakes } from "./test-fakes";

const f = new Fakes(20261127);
const ENV: TextContext = { source: "file", path: "/app/.env" };

interface Case {
  id: string;
  /** text containing the secret */
  text: string;
  /** the expected secret (fingerprinted value); defaults to `value` */
  secret?: string;
  value?: string;
  ctx?: TextContext;
  /** texts in which this detector must not fire */
  tn: string[];
  tnCtx?: TextContext;
}

const cases: Case[] = [];
/** a token-shaped case: TP as an env assignment, TN = the same token cut in half and a decoy */
function tok(id: string, value: string, extraTn: string[] = [], cutTo?: number): void {
  const half = value.slice(0, cutTo ?? Math.ceil(value.length / 2));
  cases.push({ id, value, text: `export SOME_VALUE=${value}\n`, tn: [`export SOME_VALUE=${half}\n`, ...extraTn] });
}
/** a context-dependent case: TP with the context word, TN without it */
function ctxCase(id: string, line: string, value: string, withoutContext: string): void {
  cases.push({ id, value, text: `${line}\n`, tn: [`${withoutContext}\n`] });
}

// ---- GitHub: checksum-validated; a token with a wrong checksum is a TN
for (const [id, p] of [["github-pat", "ghp_"], ["github-oauth-token", "gho_"], ["github-user-to-server-token", "ghu_"], ["github-server-to-server-token", "ghs_"], ["github-refresh-token", "ghr_"]] as const) {
  const t = f.checksummed(p);
  const bad = t.slice(0, -1) + (t.endsWith("A") ? "B" : "A");
  tok(id, t, [`TOKEN=${bad}`, "TOKEN=gho_16C7e42F292c6912E7710c838347Ae178B4a"]);
}
tok("github-fine-grained-pat", `github_pat_${f.s(CS.alnum, 22)}_${f.s(CS.alnum, 59)}`);
tok("gitlab-pat", `glpat-${f.s(CS.alnum, 20)}`);
tok("gitlab-deploy-token", `gldt-${f.s(CS.alnum, 20)}`);
tok("gitlab-runner-token", `glrt-${f.s(CS.alnum, 20)}`);
tok("gitlab-pipeline-trigger-token", `glptt-${f.s(CS.hex, 40)}`);
tok("gitlab-oauth-app-secret", `gloas-${f.s(CS.hex, 64)}`);
{
  const t = f.checksummed("npm_");
  tok("npm-token", t, [`//registry.npmjs.org/:_authToken=${t.slice(0, -1)}${t.endsWith("0") ? "1" : "0"}`]);
}
tok("pypi-token", `pypi-AgEIcHlwaS5vcmc${f.s(CS.b64url, 70)}`);
tok("docker-hub-pat", `dckr_pat_${f.s(CS.b64url, 27)}`);
tok("docker-hub-oat", `dckr_oat_${f.s(CS.b64url, 32)}`);
tok("slack-bot-token", `xoxb-${f.s(CS.digits, 12)}-${f.s(CS.digits, 13)}-${f.s(CS.alnum, 24)}`);
tok("slack-user-token", `xoxp-${f.s(CS.digits, 12)}-${f.s(CS.digits, 12)}-${f.s(CS.digits, 13)}-${f.s(CS.hex, 32)}`);
tok("slack-app-token", `xapp-1-A${f.s(CS.upperDigits, 10)}-${f.s(CS.digits, 13)}-${f.s(CS.hex, 64)}`);
tok("slack-legacy-token", `xoxa-2-${f.s(CS.alnum, 40)}`);
tok("slack-webhook", `https://hooks.slack.com/services/T${f.s(CS.upperDigits, 8)}/B${f.s(CS.upperDigits, 10)}/${f.s(CS.alnum, 24)}`);
tok("discord-webhook", `https://discord.com/api/webhooks/${f.s(CS.digits, 18)}/${f.s(CS.b64url, 68)}`);
tok("teams-webhook", `https://acme.webhook.office.com/webhookb2/${f.uuid()}@${f.uuid()}/IncomingWebhook/${f.s(CS.hex, 32)}/${f.uuid()}`);
tok("telegram-bot-token", `${f.s(CS.digits, 10)}:AA${f.s(CS.b64url, 33)}`);
tok("stripe-secret-key", `sk_live_${f.s(CS.alnum, 24)}`, ["sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"]);
tok("stripe-restricted-key", `rk_live_${f.s(CS.alnum, 24)}`);
tok("stripe-test-key", `sk_test_${f.s(CS.alnum, 24)}`, ["sk_test_4eC39HqLyjWDarjtT1zdp7dc"]);
tok("stripe-webhook-secret", `whsec_${f.s(CS.alnum, 32)}`);
tok("square-access-token", `EAAA${f.s(CS.b64url, 60)}`);
tok("square-oauth-secret", `sq0csp-${f.s(CS.b64url, 43)}`);
tok("square-legacy-access-token", `sq0atp-${f.s(CS.b64url, 22)}`);
tok("braintree-access-token", `access_token$production$${f.s(CS.lower + CS.digits, 16)}$${f.s(CS.hex, 32)}`);
tok("sendgrid-api-key", `SG.${f.s(CS.b64url, 22)}.${f.s(CS.b64url, 43)}`);
tok("mailgun-api-key", `key-${f.s(CS.hex, 32)}`);
tok("mailchimp-api-key", `${f.s(CS.hex, 32)}-us14`);
ctxCase("twilio-api-key", `TWILIO_API_KEY=SK${f.s(CS.hex, 32)}`, "", "");
ctxCase("twilio-auth-token", `TWILIO_AUTH_TOKEN=${f.s(CS.hex, 32)}`, "", "");
tok("postman-api-key", `PMAK-${f.s(CS.hex, 24)}-${f.s(CS.hex, 34)}`);
tok("openai-api-key", `sk-proj-${f.s(CS.b64url, 74)}T3BlbkFJ${f.s(CS.b64url, 74)}`, [], 30);
tok("anthropic-api-key", `sk-ant-api03-${f.s(CS.b64url, 93)}AA`);
tok("anthropic-admin-key", `sk-ant-admin01-${f.s(CS.b64url, 93)}AA`);
tok("huggingface-token", `hf_${f.s(CS.letters, 34)}`);
tok("groq-api-key", `gsk_${f.s(CS.alnum, 52)}`);
tok("replicate-api-token", `r8_${f.s(CS.alnum, 37)}`);
tok("perplexity-api-key", `pplx-${f.s(CS.alnum, 48)}`);
tok("xai-api-key", `xai-${f.s(CS.alnum, 80)}`);
ctxCase("cohere-api-key", `COHERE_API_KEY=${f.s(CS.alnum, 40)}`, "", "");
ctxCase("mistral-api-key", `MISTRAL_API_KEY="${f.s(CS.alnum, 32)}"`, "", "");
ctxCase("datadog-api-key", `DD_API_KEY=${f.s(CS.hex, 32)}`, "", "");
ctxCase("datadog-app-key", `DD_APP_KEY=${f.s(CS.hex, 40)}`, "", "");
tok("newrelic-user-api-key", `NRAK-${f.s(CS.upperDigits, 27)}`);
tok("newrelic-insert-key", `NRII-${f.s(CS.b64url, 32)}`);
tok("newrelic-license-key", `${f.s(CS.hex, 36)}NRAL`);
tok("sentry-org-token", `sntrys_eyJ${f.s(CS.b64url, 120)}`);
tok("sentry-user-token", `sntryu_${f.s(CS.hex, 64)}`);
tok("grafana-service-account-token", `glsa_${f.s(CS.alnum, 32)}_${f.s(CS.hex, 8)}`);
tok("grafana-cloud-token", `glc_eyJ${f.s(CS.b64url, 100)}`, [], 30);
tok("shopify-access-token", `shpat_${f.s(CS.hex, 32)}`);
tok("shopify-shared-secret", `shpss_${f.s(CS.hex, 32)}`);
tok("shopify-custom-app-token", `shpca_${f.s(CS.hex, 32)}`);
tok("shopify-private-app-token", `shppa_${f.s(CS.hex, 32)}`);
tok("atlassian-api-token", `ATATT3${f.s(CS.b64url, 186)}`);
tok("linear-api-key", `lin_api_${f.s(CS.alnum, 40)}`);
tok("notion-token", `ntn_${f.s(CS.digits, 11)}${f.s(CS.alnum, 35)}`);
tok("figma-pat", `figd_${f.s(CS.b64url, 40)}`);
ctxCase("postmark-server-token", `POSTMARK_SERVER_TOKEN=${f.uuid()}`, "", "");
tok("heroku-api-key", `HRKU-${f.s(CS.b64url, 60)}`);
ctxCase("heroku-api-key-legacy", `HEROKU_API_KEY=${f.uuid()}`, "", "");
tok("digitalocean-pat", `dop_v1_${f.s(CS.hex, 64)}`);
tok("digitalocean-oauth-token", `doo_v1_${f.s(CS.hex, 64)}`);
tok("digitalocean-refresh-token", `dor_v1_${f.s(CS.hex, 64)}`);
ctxCase("cloudflare-api-token", `CLOUDFLARE_API_TOKEN=${f.s(CS.b64url, 40)}`, "", "");
ctxCase("cloudflare-global-api-key", `CF_API_KEY=${f.s(CS.hex, 37)}`, "", "");
tok("cloudflare-origin-ca-key", `v1.0-${f.s(CS.hex, 24)}-${f.s(CS.hex, 146)}`);
ctxCase("fastly-api-token", `FASTLY_API_TOKEN=${f.s(CS.b64url, 32)}`, "", "");
ctxCase("vercel-token", `VERCEL_TOKEN=${f.s(CS.alnum, 24)}`, "", "");
tok("netlify-pat", `nfp_${f.s(CS.alnum, 36)}`);
tok("supabase-access-token", `sbp_${f.s(CS.hex, 40)}`);
tok("supabase-secret-key", `sb_secret_${f.s(CS.b64url, 31)}`);
tok("terraform-cloud-token", `${f.s(CS.alnum, 14)}.atlasv1.${f.s(CS.b64url, 67)}`);
tok("vault-service-token", `hvs.${f.s(CS.b64url, 90)}`, ["VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxx"], 20);
tok("vault-batch-token", `hvb.${f.s(CS.b64url, 130)}`, [], 20);
ctxCase("vault-legacy-token", `VAULT_TOKEN=s.${f.s(CS.alnum, 24)}`, "", "");
tok("doppler-token", `dp.pt.${f.s(CS.alnum, 43)}`);
tok("pulumi-access-token", `pul-${f.s(CS.hex, 40)}`);
tok("databricks-token", `dapi${f.s(CS.hex, 32)}`);
tok("planetscale-token", `pscale_tkn_${f.s(CS.b64url, 43)}`);
tok("tailscale-key", `tskey-auth-k${f.s(CS.alnum, 12)}-${f.s(CS.alnum, 30)}`);
tok("buildkite-token", `bkua_${f.s(CS.hex, 40)}`);
tok("circleci-token", `CCIPAT_${f.s(CS.alnum, 22)}_${f.s(CS.hex, 40)}`);
tok("age-secret-key", `AGE-SECRET-KEY-1${f.s("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}`);
tok("onepassword-service-account-token", `ops_eyJ${f.s(CS.b64url, 300)}`);
tok("mapbox-secret-token", `sk.eyJ${f.s(CS.b64url, 60)}.${f.s(CS.b64url, 22)}`);
ctxCase("okta-api-token", `OKTA_API_TOKEN=00${f.s(CS.b64url, 40)}`, "", "");
ctxCase("auth0-client-secret", `AUTH0_CLIENT_SECRET=${f.s(CS.b64url, 64)}`, "", "");
tok("gcp-oauth-client-secret", `GOCSPX-${f.s(CS.b64url, 28)}`);
tok("google-api-key", `AIza${f.s(CS.b64url, 35)}`);
tok("firebase-fcm-server-key", `AAAA${f.s(CS.b64url, 7)}:APA91b${f.s(CS.b64url, 134)}`);
ctxCase("azure-storage-key", `AZURE_STORAGE_KEY=${f.s(CS.b64, 86)}==`, "", "");
tok("azure-ad-client-secret", `${f.s(CS.alnum, 3)}8Q~${f.s(CS.b64url, 34)}`);
tok("alibaba-access-key-id", `LTAI${f.s(CS.alnum, 20)}`);
ctxCase("aws-secret-access-key", `AWS_SECRET_ACCESS_KEY=${f.s(CS.b64, 40)}`, "", "");

// fill the ctxCase placeholders: value = after '=', strip quotes; TN = rename the variable
for (const c of cases) {
  if (c.value === "") {
    const line = c.text.trim();
    c.value = line.slice(line.indexOf("=") + 1).replace(/^"|"$/g, "");
    c.tn = [`SOME_UNRELATED_SETTING=${c.value}\n`];
  }
}

// ---- structured
{
  const keyId = `AKIA${f.s(CS.base32, 16)}`;
  const secret = f.s(CS.b64, 40).replace(/^(.)/, "K");
  cases.push({
    id: "aws-access-key",
    text: `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`,
    ctx: { source: "file", path: "/srv/app/aws.ini" },
    secret,
    tn: ["aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"],
  });
  cases.push({ id: "aws-access-key-id", text: `key: ${keyId}\n`, secret: keyId, tn: ["key: AKIAIOSFODNN7EXAMPLE\n", `key: ${keyId.slice(0, 12)}\n`] });
}
for (const [id, label, headers] of [
  ["rsa-private-key", "RSA PRIVATE KEY", ""],
  ["ec-private-key", "EC PRIVATE KEY", ""],
  ["dsa-private-key", "DSA PRIVATE KEY", ""],
  ["pkcs8-private-key", "PRIVATE KEY", ""],
  ["encrypted-private-key", "RSA PRIVATE KEY", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n"],
  ["pgp-private-key", "PGP PRIVATE KEY BLOCK", "Version: GnuPG v2\n\n"],
] as const) {
  const pem = f.pem(label, headers);
  cases.push({
    id,
    text: `# key\n${pem}\n`,
    secret: pem,
    ctx: { source: "file", path: "/root/key.pem" },
    tn: [`-----BEGIN ${label}-----\n...\n-----END ${label}-----\n`, `-----BEGIN ${label}-----\nMIIEpAIBAAKCAQEA\n` /* no END */],
  });
}
{
  const head = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), Buffer.from([0, 0, 0, 4]), Buffer.from("none")]);
  const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${f.pemBody(400, head)}\n-----END OPENSSH PRIVATE KEY-----`;
  cases.push({ id: "openssh-private-key", text: `${pem}\n`, secret: pem, tn: ["-----BEGIN OPENSSH PRIVATE KEY-----\n<your key here>\n-----END OPENSSH PRIVATE KEY-----\n"] });
  const enc = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), Buffer.from([0, 0, 0, 10]), Buffer.from("aes256-ctr")]);
  const encPem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${f.pemBody(400, enc)}\n-----END OPENSSH PRIVATE KEY-----`;
  const encCase = scanText(encPem, ENV);
  it("flags a passphrase-protected OpenSSH key as encrypted", () => {
    expect(encCase.map((m) => m.detector)).toEqual(["encrypted-private-key"]);
  });
}
{
  const ppk = [
    "PuTTY-User-Key-File-3: ssh-ed25519",
    "Encryption: none",
    "Comment: deploy@acme-corp.io",
    "Public-Lines: 2",
    f.s(CS.b64, 64),
    f.s(CS.b64, 20),
    "Private-Lines: 1",
    f.s(CS.b64, 44),
    `Private-MAC: ${f.s(CS.hex, 64)}`,
  ].join("\n");
  cases.push({ id: "putty-private-key", text: `${ppk}\n`, secret: ppk, tn: ["PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"] });
}
{
  const far = 4102444800; // 2100-01-01
  const jwt = f.jwt({ sub: "user-8812", iss: "https://auth.acme-corp.io/", exp: far });
  cases.push({ id: "jwt", text: `Authorization: Bearer ${jwt}\n`, secret: jwt, tn: ["eyJhbGciOiJIUzI1NiJ9.notjson.sig\n", `${f.jwt({ sub: "1234567890", name: "John Doe", iat: 1516239022 })}\n`] });
  const k8s = f.jwt({ iss: "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "prod", sub: "system:serviceaccount:prod:deployer" }, { alg: "RS256", kid: "abc" });
  cases.push({ id: "kubernetes-service-account-token", text: `${k8s}\n`, secret: k8s, tn: [] });
  const sb = f.jwt({ iss: "supabase", ref: "abcdefghijklmnopqrst", role: "service_role", iat: 1700000000, exp: far });
  const anon = f.jwt({ iss: "supabase", ref: "abcdefghijklmnopqrst", role: "anon", iat: 1700000000, exp: far });
  cases.push({ id: "supabase-service-role-key", text: `SUPABASE_SERVICE_ROLE_KEY=${sb}\n`, secret: sb, tn: [`SUPABASE_ANON_KEY=${anon}\n`] });
}
{
  const pw = f.s(CS.alnum, 18);
  for (const [id, url] of [
    ["postgres-url", `postgres://app:${pw}@db.acme-prod.io:5432/app`],
    ["mysql-url", `mysql://root:${pw}@mysql.acme-prod.io:3306/shop`],
    ["mongodb-url", `mongodb+srv://svc:${pw}@cluster0.ab12c.mongodb.net/prod?retryWrites=true`],
    ["redis-url", `rediss://default:${pw}@cache.acme-prod.io:6380/0`],
    ["amqp-url", `amqps://worker:${pw}@mq.acme-prod.io/vhost`],
    ["jdbc-url", `jdbc:postgresql://pg.acme-prod.io:5432/app?user=app&password=${pw}`],
    ["basic-auth-url", `https://deploy:${pw}@git.acme-prod.io/org/repo.git`],
  ] as const) {
    cases.push({
      id,
      text: `DATABASE_URL="${url}"\n`,
      secret: pw,
      tn: [
        `DATABASE_URL="${url.replace(pw, "${DB_PASSWORD}")}"\n`,
        `DATABASE_URL="${url.replace(pw, "changeme")}"\n`,
        `URL="${url.replace(/acme-prod\.io|cluster0\.ab12c\.mongodb\.net/, "example.com")}"\n`,
      ],
    });
  }
}
{
  const pemBody = f.pemBody(600);
  const pem = `-----BEGIN PRIVATE KEY-----\n${pemBody}\n-----END PRIVATE KEY-----`;
  const sa = JSON.stringify(
    { type: "service_account", project_id: "acme-prod-123", private_key_id: f.s(CS.hex, 40), private_key: `${pem}\n`, client_email: "deployer@acme-prod-123.iam.gserviceaccount.com", client_id: f.s(CS.digits, 21) },
    null,
    2,
  );
  cases.push({ id: "gcp-service-account", text: sa, secret: pem, ctx: { source: "file", path: "/app/sa.json" }, tn: [JSON.stringify({ type: "service_account", private_key: "-----BEGIN PRIVATE KEY-----\n<redacted>\n-----END PRIVATE KEY-----\n", client_email: "x@y.iam.gserviceaccount.com" })] });
}
{
  const acct = "acmeprodstore";
  const key = `${f.s(CS.b64, 86)}==`;
  cases.push({
    id: "azure-storage-connection-string",
    text: `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=${acct};AccountKey=${key};EndpointSuffix=core.windows.net"\n`,
    secret: key,
    tn: ["DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<account-key>;\n"],
  });
}
{
  const pw = `${f.s(CS.alnum, 10)}#${f.s(CS.alnum, 6)}`;
  cases.push({
    id: "generic-secret",
    text: `DB_PASSWORD=${pw}\n`,
    secret: pw,
    tn: [
      "password=changeme\n",
      "DB_PASSWORD=${DB_PASSWORD}\n",
      "PASSWORD=$DB_PASS\n",
      "password: {{ db_password }}\n",
      'token = "xxxxxxxxxxxxxxxxxxxx"\n',
      '"apiKey": "<your-api-key>"\n',
      "secret: 5f4dcc3b5aa765d61d8327deb882cf99\n",
      "api_key = 123e4567-e89b-12d3-a456-426614174000\n",
      "password=example\npassword=dummy\npassword=test\n",
      "const tokenizer = new Tokenizer(input)\n",
      "integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==\n",
      "if (password == confirmPassword) {}\n",
      "password_field: passwordInput\n",
    ],
  });
}

// ---- file decoders
const dockerPw = f.s(CS.alnum, 20);
cases.push({
  id: "docker-config-auth",
  text: `{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "${Buffer.from(`acmebot:${dockerPw}`).toString("base64")}"\n    }\n  }\n}\n`,
  secret: dockerPw,
  ctx: { source: "file", path: "/root/.docker/config.json" },
  tn: [`{"auths":{"https://index.docker.io/v1/":{}},"credsStore":"desktop"}`],
  tnCtx: { source: "file", path: "/root/.docker/config.json" },
});
const idTok = f.s(CS.b64url, 60);
cases.push({ id: "docker-config-identity-token", text: `{"auths":{"registry.acme.io":{"identitytoken":"${idTok}"}}}`, secret: idTok, ctx: { source: "file", path: "/home/u/.docker/config.json" }, tn: [] });
const npmTok = f.s(CS.alnum, 36);
cases.push({ id: "npmrc-auth-token", text: `registry=https://npm.acme.io/\n//npm.acme.io/:_authToken=${npmTok}\n`, secret: npmTok, ctx: { source: "file", path: "/app/.npmrc" }, tn: ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"], tnCtx: { source: "file", path: "/app/.npmrc" } });
const npmPw = f.s(CS.alnum, 16);
cases.push({ id: "npmrc-auth", text: `_auth=${Buffer.from(`ci:${npmPw}`).toString("base64")}\nalways-auth=true\n`, secret: npmPw, ctx: { source: "file", path: "/root/.npmrc" }, tn: [] });
const npmPw2 = f.s(CS.alnum, 16);
cases.push({ id: "npmrc-password", text: `//npm.acme.io/:username=ci\n//npm.acme.io/:_password=${Buffer.from(npmPw2).toString("base64")}\n`, secret: npmPw2, ctx: { source: "file", path: "/root/.npmrc" }, tn: [] });
const gitTok = f.s(CS.alnum, 30);
cases.push({ id: "git-credentials", text: `https://octocat:${gitTok}@github.com\n`, secret: gitTok, ctx: { source: "file", path: "/root/.git-credentials" }, tn: [] });
const netrcPw = f.s(CS.alnum, 18);
cases.push({ id: "netrc-password", text: `machine api.acme.io\n  login deploy\n  password ${netrcPw}\n`, secret: netrcPw, ctx: { source: "file", path: "/root/.netrc" }, tn: ["machine api.acme.io login deploy password changeme\n"], tnCtx: { source: "file", path: "/root/.netrc" } });
const kubeTok = f.s(CS.alnum, 40);
const kubeconfig = (user: string) => `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://k8s.acme-prod.io:6443\n  name: prod\nusers:\n- name: admin\n  user:\n${user}\n`;
cases.push({ id: "kubeconfig-token", text: kubeconfig(`    token: ${kubeTok}`), secret: kubeTok, ctx: { source: "file", path: "/root/.kube/config" }, tn: [] });
const kubePem = f.pem("RSA PRIVATE KEY");
cases.push({ id: "kubeconfig-client-key", text: kubeconfig(`    client-key-data: ${Buffer.from(`${kubePem}\n`).toString("base64")}`), secret: kubePem, ctx: { source: "file", path: "/root/.kube/config" }, tn: [] });
const kubePw = f.s(CS.alnum, 16);
cases.push({ id: "kubeconfig-password", text: kubeconfig(`    username: admin\n    password: ${kubePw}`), secret: kubePw, ctx: { source: "file", path: "/root/.kube/config" }, tn: [] });
const pypiPw = f.s(CS.alnum, 16);
cases.push({ id: "pypirc-password", text: `[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pypi.acme.io/\nusername = ci\npassword = ${pypiPw}\n`, secret: pypiPw, ctx: { source: "file", path: "/root/.pypirc" }, tn: [] });
const sessTok = f.s(CS.b64, 120);
cases.push({ id: "aws-session-token", text: `[prod]\naws_session_token = ${sessTok}\n`, secret: sessTok, ctx: { source: "file", path: "/root/.aws/credentials" }, tn: [] });

describe("docs/detectors.md", () => {
  it("lists every detector id with its severity", () => {
    const doc = readFileSync(path.join(__dirname, "../../../docs/detectors.md"), "utf8");
    const missing = DETECTORS.filter((d) => !doc.includes(`| \`${d.id}\` | ${d.provider} | ${d.severity} |`)).map((d) => d.id);
    expect(missing).toEqual([]);
  });
});

describe("every detector has a true-positive test", () => {
  it("covers all ids in DETECTORS", () => {
    const covered = new Set(cases.map((c) => c.id));
    const missing = DETECTORS.map((d) => d.id).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });
});

describe("the byte gate never skips a text the detectors would report on", () => {
  // Prechecks run on the bytes before decoding; one that is stricter than its detector would
  // silently drop findings. Every true positive and decoy, mutated around its keyword (chars
  // inserted, deleted, replaced: boundaries, separators, quotes; or cut right after or before the
  // secret), must either pass the gate or scan to nothing.
  const ALPHABET = "aZ9_-=:\"' \t\n@/.+$AKIAEAAA://";
  let seed = 0x2545f491;
  const rand = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const mutate = (t: string, c: Case): string => {
    const at = rand(t.length + 1);
    const ch = ALPHABET[rand(ALPHABET.length)] as string;
    const op = rand(5);
    if (op === 0) return t.slice(0, at) + ch + t.slice(at);
    if (op === 1) return t.slice(0, at) + t.slice(at + 1);
    if (op === 2) return t.slice(0, at) + ch + t.slice(at + 1);
    // cut: secrets that end (or start) exactly at the end (start) of the text
    const secret = c.secret ?? c.value ?? "";
    const i = secret ? t.indexOf(secret) : -1;
    if (i < 0) return op === 3 ? t.slice(0, at) : t.slice(at);
    return op === 3 ? t.slice(0, i + secret.length) : t.slice(i);
  };
  let skipped = 0;
  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const ctx = c.ctx ?? ENV;
    for (const base of [c.text, ...c.tn]) {
      let t = base;
      for (let i = 0; i < 120; i++) {
        t = i % 8 === 0 ? base : mutate(t, c);
        const bytes = Buffer.from(t, "latin1");
        if (bytes.toString("latin1") !== t) continue;
        if (scanText.gate?.(bytes, ctx.path ?? "") === false) {
          skipped++;
          expect(scanText(t, ctx), JSON.stringify(t)).toEqual([]);
        }
      }
    }
  });
  it("reached the skip path (the check above is not vacuous)", () => {
    expect(skipped).toBeGreaterThan(100);
  });
});

describe.each(cases.map((c) => [c.id, c] as const))("%s", (id, c) => {
  const expected = c.secret ?? c.value;
  it("finds the secret (true positive)", () => {
    const found = scanText(c.text, c.ctx ?? ENV);
    const m = found.find((x) => x.detector === id);
    expect(m, `no ${id} in ${JSON.stringify(found.map((x) => x.detector))}`).toBeDefined();
    expect(m?.secret).toBe(expected);
    const info = DETECTORS.find((d) => d.id === id);
    expect(info).toBeDefined();
    expect(m?.provider).toBe(info?.provider);
    // the reported line holds the secret (or its encoded form, for decoders)
    expect(m?.line).toBeGreaterThanOrEqual(1);
  });
  it("is found the same way when the image scanner gates the file's bytes first", () => {
    // the gate may skip a text only when scanning it would find nothing: never for a true positive
    const ctx = c.ctx ?? ENV;
    const bytes = Buffer.from(c.text, "latin1");
    if (bytes.toString("latin1") !== c.text) return; // not latin1: the scanner decodes it as UTF-8
    expect(scanText.gate?.(bytes, ctx.path ?? "")).toBe(true);
    expect(scanText(c.text, ctx, bytes)).toEqual(scanText(c.text, ctx));
  });
  it.each(c.tn.map((t, i) => [i, t] as const))("does not fire on decoy %i", (_i, t) => {
    const found = scanText(t, c.tnCtx ?? c.ctx ?? ENV);
    expect(found.filter((x) => x.detector === id).map((x) => x.detector)).toEqual([]);
  });
});
