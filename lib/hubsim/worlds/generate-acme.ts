// Generates lib/hubsim/worlds/acme-rockets.json: the demo world of the fictional "Acme Rockets".
// Deterministic (seeded): `npx tsx lib/hubsim/worlds/generate-acme.ts`. Every secret is INVENTED
// at random with a real shape (GitHub/npm tokens carry a valid CRC32); none is a real credential.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseWorld, type WorldInput } from "../world";
import { app, multi, nodeAppFiles, noteFile, Rng, SecretFactory, single, WorldKit } from "./kit";
import { verifyGroundTruth } from "./verify";

const rng = new Rng(0xac3e);
const S = new SecretFactory(rng);
const K = new WorldKit(rng);

const ACCT_PROD = "418273645091";
const ACCT_DEV = "730192846557";
const D1 = "acme-rockets.com";
const D2 = "acmerockets.io";

// ------------------------------------------------------------------ shared decoys
const DECOY_AWS_ID = K.decoy("AKIAIOSFODNN7EXAMPLE", "AWS documentation example key id");
const DECOY_AWS_SECRET = K.decoy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS documentation example secret key");
const DECOY_GHP_BAD = K.decoy(S.badChecksum("ghp_"), "ghp_ token shape with an invalid CRC32 checksum");
const DECOY_NPM_BAD = K.decoy(S.badChecksum("npm_"), "npm_ token shape with an invalid CRC32 checksum");
const DECOY_PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...your key here...\n-----END RSA PRIVATE KEY-----";
K.decoy(DECOY_PEM, "placeholder PEM block in documentation");
const DECOY_INTEGRITY = K.decoy(S.integrity(), "package-lock.json integrity hash");
const DECOY_SHA = K.decoy(S.sha256Hex(), "sha256 checksum of a download");
const DECOY_UUID = K.decoy(S.uuid(), "UUID request/installation id");
const DECOY_STRIPE_X = K.decoy("sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "low-entropy Stripe placeholder");
K.decoy("xxxx", "placeholder");
K.decoy("<your-key>", "placeholder");
K.decoy("${DB_PASSWORD}", "variable reference, not a value");
K.decoy("changeme", "well-known placeholder password");
K.decoy("your_api_key_here", "placeholder");
K.decoy("********", "masked value");

const docsReadme = (title: string) =>
  `# ${title}\n\n## Configuration\n\nSet \`OPENAI_API_KEY=<your-key>\` and \`API_KEY=xxxx\` before starting.\n\nExample AWS credentials (from the AWS docs, not real):\n\n\`\`\`\naws_access_key_id = ${DECOY_AWS_ID}\naws_secret_access_key = ${DECOY_AWS_SECRET}\n\`\`\`\n\nInstaller checksum: \`sha256:${DECOY_SHA}\`\n`;
const decoyEnv = [`API_KEY=xxxx`, `POSTGRES_PASSWORD=changeme`, "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app", `STRIPE_KEY=your_api_key_here`, `INSTALL_ID=${DECOY_UUID}`];
const decoyFiles = (dir: string) => [
  noteFile(`${dir}/.env.example`, `# copy to .env\nDB_PASS=********\nOPENAI_API_KEY=<your-key>\nSTRIPE_SECRET_KEY=${DECOY_STRIPE_X}\n`),
  noteFile(`${dir}/docs/keys.md`, `Paste your key:\n\n${DECOY_PEM}\n\nThe validator rejects tokens whose checksum is wrong, e.g. ${DECOY_GHP_BAD} or ${DECOY_NPM_BAD}.\n`),
];

// ------------------------------------------------------------------ accounts
const ACCOUNTS: WorldInput["accounts"] = [
  // sanctioned
  { namespace: "acmerockets", type: "organization", full_name: "Acme Rockets", company: "Acme Rockets", location: "Houston, TX", profile_url: `https://${D1}`, badge: "verified_publisher", date_joined: "2018-03-12T10:00:00Z" },
  { namespace: "acmerockets-ci", type: "organization", full_name: "Acme Rockets CI", company: "Acme Rockets", profile_url: `https://${D2}`, date_joined: "2020-06-01T08:00:00Z" },
  // genuine shadow accounts
  { namespace: "acme-rockets-dev", type: "organization", full_name: "AR Dev", company: "Acme Rockets", location: "Houston", date_joined: "2021-02-02T09:00:00Z", note: "shadow: profile company" },
  { namespace: "arocket-platform", type: "user", full_name: "Dana Whitfield", profile_url: `https://platform.${D1}/team`, date_joined: "2021-05-17T12:00:00Z", note: "shadow: profile_url on a company domain" },
  { namespace: "jsmith-ar", type: "user", full_name: "Jordan Smith", gravatar_email: `jordan.smith@${D1}`, date_joined: "2019-11-04T16:20:00Z", note: "shadow: gravatar email on a company domain" },
  { namespace: "launchpad-team", type: "organization", full_name: "Launchpad", date_joined: "2022-01-10T10:00:00Z", note: "shadow: company email in maintainer label" },
  { namespace: "telemetry-svc", type: "user", date_joined: "2022-04-22T10:00:00Z", note: "shadow: company email in OCI authors label" },
  { namespace: "propulsion-eng", type: "user", location: "Houston, TX", date_joined: "2020-09-09T10:00:00Z", note: "shadow: company host name in config files" },
  { namespace: "mission-ctl", type: "user", date_joined: "2023-03-03T10:00:00Z", note: "shadow: company API host in Env" },
  { namespace: "orbit-tools", type: "user", full_name: "orbit", date_joined: "2021-08-08T10:00:00Z", note: "shadow: git remotes under github.com/acme-rockets" },
  { namespace: "nozzle-ui", type: "user", date_joined: "2022-12-12T10:00:00Z", note: "shadow: npm scope @acme-rockets" },
  { namespace: "fuel-data", type: "user", date_joined: "2023-07-07T10:00:00Z", note: "shadow: leaked AWS key of a registered account id" },
  { namespace: "acmerockets-legacy", type: "organization", full_name: "Legacy images", date_joined: "2017-05-05T10:00:00Z", note: "shadow: name + README contact on company domain" },
  { namespace: "arx-build", type: "user", date_joined: "2022-02-14T10:00:00Z", note: "shadow: README contact email on company domain" },
  { namespace: "groundstation-ops", type: "user", date_joined: "2021-10-10T10:00:00Z", note: "shadow: kubeconfig server on company domain" },
  { namespace: "kleinr", type: "user", full_name: "Rita Klein", company: "ACME ROCKETS GmbH", location: "Bremen", date_joined: "2020-01-20T10:00:00Z", note: "shadow: profile company (variant spelling)" },
  // genuine but weak: review
  { namespace: "acmerocketsdemo", type: "user", location: "Houston, TX", date_joined: "2024-01-05T10:00:00Z", note: "review: name only" },
  { namespace: "acme-rockets-intern", type: "user", full_name: "Acme Rockets intern projects", date_joined: "2024-06-01T10:00:00Z", note: "review: full name only" },
  // look-alikes (not the company)
  { namespace: "acmecorp", type: "organization", full_name: "Acme Corp", company: "Acme Corp Dental Supplies", location: "Leeds, UK", profile_url: "https://acmecorp-dental.example", date_joined: "2019-02-01T10:00:00Z" },
  { namespace: "acme", type: "user", full_name: "Arcade Classic Mini Emulator", date_joined: "2016-07-01T10:00:00Z" },
  { namespace: "acme-anvils", type: "organization", full_name: "Acme Anvils", company: "Acme Anvils Ltd", profile_url: "https://acme-anvils.example", date_joined: "2020-03-01T10:00:00Z" },
  { namespace: "acmeinc", type: "user", company: "ACME Inc.", gravatar_email: "admin@acmeinc.example", date_joined: "2018-08-01T10:00:00Z" },
  { namespace: "rocketlabs-hobby", type: "user", full_name: "Model Rocketry Club", company: "Rocket Hobby Club", location: "Houston, TX", date_joined: "2019-04-01T10:00:00Z" },
  { namespace: "acme-rockets-game", type: "user", full_name: "Retro Acme Rockets game", profile_url: "https://itch.example/acme-rockets-game", date_joined: "2021-04-01T10:00:00Z" },
  { namespace: "acmerocket", type: "user", company: "Acme Rocket Pizza", profile_url: "https://acmerocketpizza.example", location: "Naples, FL", date_joined: "2022-05-01T10:00:00Z" },
  { namespace: "acme-labs", type: "organization", full_name: "ACME Labs", company: "ACME Labs Research", profile_url: "https://acmelabs.example", badge: "open_source", date_joined: "2017-01-01T10:00:00Z" },
  { namespace: "acme-io", type: "user", full_name: "acme.io ops", gravatar_email: "ops@acme.io", date_joined: "2020-10-01T10:00:00Z" },
  { namespace: "notacme", type: "user", date_joined: "2023-02-01T10:00:00Z" },
  { namespace: "acme-dental-it", type: "user", company: "Acme Dental", date_joined: "2021-09-01T10:00:00Z" },
  { namespace: "acme-rockets-fanclub", type: "user", full_name: "Acme Rockets Fan Club", location: "Houston, TX", date_joined: "2022-08-01T10:00:00Z" },
  { namespace: "rocketdev42", type: "user", full_name: "Rocket Dev", date_joined: "2023-05-01T10:00:00Z" },
  { namespace: "acmeapps", type: "user", company: "Acme Apps", date_joined: "2021-01-01T10:00:00Z" },
  { namespace: "acme-corp-ci", type: "organization", company: "Acme Corp", date_joined: "2020-12-01T10:00:00Z" },
  { namespace: "acme-rocketry", type: "user", company: "Acme Rocketry Supplies", profile_url: "https://acmerocketry.example", gravatar_email: "sales@acmerocketry.example", date_joined: "2019-06-01T10:00:00Z" },
  // unrelated
  { namespace: "pixelpete", type: "user", full_name: "Pete", date_joined: "2018-01-01T10:00:00Z" },
  { namespace: "datawrangler", type: "user", date_joined: "2019-01-01T10:00:00Z" },
  { namespace: "k8s-tools", type: "organization", full_name: "k8s tools", badge: "open_source", date_joined: "2017-01-01T10:00:00Z" },
  { namespace: "houston-devs", type: "organization", full_name: "Houston Developers Meetup", location: "Houston, TX", date_joined: "2018-01-01T10:00:00Z" },
  { namespace: "mlops-lab", type: "user", date_joined: "2022-01-01T10:00:00Z" },
  { namespace: "nginxfan", type: "user", date_joined: "2016-01-01T10:00:00Z" },
];
for (const a of ACCOUNTS) K.account(a);

const evidence: Record<string, Array<{ type: string; value: string }>> = {};
const ev = (ns: string, type: string, value: string) => (evidence[ns] ??= []).push({ type, value });

// ------------------------------------------------------------------ sanctioned: acmerockets
{
  const ns = "acmerockets";
  const stripe = S.stripe();
  const sendgrid = S.sendgrid();
  K.repo(ns, "launch-api", {
    description: "Launch scheduling API",
    pull_count: 15320,
    star_count: 12,
    date_registered: "2019-01-10T10:00:00Z",
    full_description: `# Launch API\n\nMaintained by platform@${D1}.\n\nQuick test:\n\n\`\`\`\nexport SENDGRID_API_KEY=${sendgrid}\ncurl https://api.${D2}/v1/launches\n\`\`\`\n\n${docsReadme("Configuration reference").slice(2)}`,
  });
  K.plant(`${ns}/launch-api`, sendgrid, "sendgrid", "repository README (full_description)", { source: "readme" });
  const ref = K.image(
    ns,
    "launch-api",
    "1.4.2",
    multi(
      (arch) => ({
        config: { Env: ["NODE_ENV=production", `STRIPE_SECRET_KEY=${stripe}`, ...decoyEnv.slice(0, 2)], Labels: { maintainer: `platform@${D1}`, "org.opencontainers.image.source": "https://github.com/acme-rockets/launch-api" }, Cmd: ["node", "server.js"], WorkingDir: "/app" },
        layers: [app([...nodeAppFiles("launch-api", "@acme-rockets", { express: "^4.19.2" }, DECOY_INTEGRITY), noteFile("app/ARCH", arch)])],
      }),
      { attestation: {} },
    ),
    "2025-05-02T08:11:09Z",
    ["latest"],
  );
  K.plant(ref, stripe, "stripe", "config Env STRIPE_SECRET_KEY (both platforms)", { source: "env" });
  K.image(ns, "launch-api", "1.4.1", multi(() => ({ config: { Env: ["NODE_ENV=production", ...decoyEnv], Cmd: ["node", "server.js"] }, layers: [app(nodeAppFiles("launch-api", "@acme-rockets", { express: "^4.18.0" }, DECOY_INTEGRITY))] })), "2025-03-01T08:00:00Z");

  // telemetry-gateway: .env with a DB URL, deleted by a later layer (whiteout)
  const pw = S.password();
  K.repo(ns, "telemetry-gateway", { description: "Ingests vehicle telemetry", pull_count: 2210, date_registered: "2020-02-01T10:00:00Z", full_description: docsReadme("Telemetry gateway") });
  const r2 = K.image(
    ns,
    "telemetry-gateway",
    "2.0.0",
    single(
      [
        app([noteFile("srv/gateway/.env", `LOG_LEVEL=info\nDATABASE_URL=postgres://telemetry:${pw}@db.internal.${D1}:5432/telemetry\n`)], { created_by: "COPY .env /srv/gateway/.env" }),
        app([noteFile("srv/gateway/gateway.yaml", "listen: 0.0.0.0:9000\nstore: ${DATABASE_URL}\n")], { delete: ["srv/gateway/.env"], created_by: "RUN rm /srv/gateway/.env" }),
      ],
      { Cmd: ["/srv/gateway/bin/gateway"], Labels: { maintainer: `telemetry@${D1}` } },
      { format: "docker", distro: "debian" },
    ),
    undefined,
    ["latest"],
  );
  K.plant(r2, pw, "postgres-url", "file /srv/gateway/.env, deleted by a whiteout in the next layer", { source: "file", path: "/srv/gateway/.env", deleted: true });

  K.repo(ns, "website", { description: "Marketing website", pull_count: 830 });
  K.image(ns, "website", "latest", single([app([...nodeAppFiles("website", "@acme-rockets", { next: "^15.0.0" }, DECOY_INTEGRITY), ...decoyFiles("app")])], { Env: decoyEnv }));
  K.repo(ns, "flight-sim", { description: "internal flight simulator", is_private: true, pull_count: 40 });
  K.image(ns, "flight-sim", "latest", single([app([noteFile("app/README", "internal")])]));
}

// ------------------------------------------------------------------ sanctioned: acmerockets-ci
{
  const ns = "acmerockets-ci";
  const npm = S.npm();
  K.repo(ns, "builder", { description: "CI build image", pull_count: 45100 });
  const ref = K.image(
    ns,
    "builder",
    "node20",
    multi(() => ({ config: { Env: ["CI=true"], history: [{ created_by: `ARG NPM_TOKEN=${npm}`, index: 1 }, { created_by: "ENV CI=true", index: 2 }] }, layers: [app([noteFile("usr/local/bin/ci-build", "#!/bin/sh\nnpm ci && npm run build\n")], { created_by: "RUN |1 NPM_TOKEN=*** npm ci" })] }), { attestation: { NPM_TOKEN: npm } }),
    undefined,
    ["latest"],
  );
  K.plant(ref, npm, "npm", "history ARG NPM_TOKEN (also in the attestation's build args)", { source: "history" });

  const user = "acmerocketsci";
  const pass = S.dockerPat();
  K.repo(ns, "runner", { description: "self-hosted runner", pull_count: 9800 });
  const auth = Buffer.from(`${user}:${pass}`).toString("base64");
  const r2 = K.image(ns, "runner", "3.1", single([app([noteFile("home/runner/.docker/config.json", `${JSON.stringify({ auths: { "https://index.docker.io/v1/": { auth } } }, null, 2)}\n`)], { created_by: "COPY docker-config.json /home/runner/.docker/config.json" })], { User: "runner" }), undefined, ["latest"]);
  K.plant(r2, pass, "docker-config-auth", "file /home/runner/.docker/config.json auth (base64 user:password)", { source: "file", path: "/home/runner/.docker/config.json" });
}

// ------------------------------------------------------------------ shadow accounts
{
  const ns = "acme-rockets-dev";
  ev(ns, "profile.company", "Acme Rockets");
  const pw = S.password();
  const r1 = K.image(ns, "api-sandbox", "latest", single([app(nodeAppFiles("api-sandbox", null, { pg: "^8.11.0" }, DECOY_INTEGRITY))], { Env: [`DATABASE_URL=postgres://sandbox:${pw}@db.internal.${D1}:5432/sandbox`, "PORT=8080"], Cmd: ["node", "server.js"] }));
  K.repo(ns, "api-sandbox", { description: "sandbox API", pull_count: 310 });
  K.plant(r1, pw, "postgres-url", "config Env DATABASE_URL", { source: "env" });
  const openai = S.openai();
  const hf = S.huggingface();
  const r2 = K.image(ns, "ml-worker", "0.3.0", single([app([noteFile("app/config/app.json", `${JSON.stringify({ model: "gpt-4o-mini", openai_api_key: openai, batch: 16 }, null, 2)}\n`), noteFile("app/worker.py", "import json\ncfg = json.load(open('/app/config/app.json'))\n")])], { Env: [`HF_TOKEN=${hf}`, "PYTHONUNBUFFERED=1"], Cmd: ["python", "/app/worker.py"] }, { distro: "debian" }));
  K.repo(ns, "ml-worker", { description: "batch inference", pull_count: 95 });
  K.plant(r2, openai, "openai", "file /app/config/app.json openai_api_key", { source: "file", path: "/app/config/app.json" });
  K.plant(r2, hf, "huggingface", "config Env HF_TOKEN", { source: "env" });
}
{
  const ns = "arocket-platform";
  ev(ns, "profile.profile_url", `https://platform.${D1}/team`);
  ev(ns, "content.aws_account", ACCT_PROD);
  const aws = S.aws(ACCT_PROD);
  const r1 = K.image(ns, "platform-tools", "latest", single([app([noteFile("root/.aws/credentials", `[default]\naws_access_key_id = ${aws.id}\naws_secret_access_key = ${aws.secret}\nregion = us-east-1\n`)], { created_by: "COPY credentials /root/.aws/credentials" })], { Cmd: ["/bin/sh"] }));
  K.repo(ns, "platform-tools", { description: "ops toolbox for the acme-rockets platform team", pull_count: 58 });
  K.plant(r1, aws.secret, "aws", `file /root/.aws/credentials (key id ${aws.id}, account ${ACCT_PROD})`, { source: "file", path: "/root/.aws/credentials" });
  const pem = S.rsaPem();
  const r2 = K.image(
    ns,
    "infra-shell",
    "1.0",
    single([
      app([noteFile("root/.ssh/id_rsa", `${pem}\n`), noteFile("root/.ssh/known_hosts", `bastion.${D1} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${S.password(40)}\n`)], { created_by: "COPY ssh/ /root/.ssh/" }),
      app([], { delete: ["root/.ssh/id_rsa"], created_by: "RUN rm -f /root/.ssh/id_rsa" }),
    ]),
  );
  K.repo(ns, "infra-shell", { description: "bastion shell", pull_count: 22 });
  K.plant(r2, pem, "private-key", "file /root/.ssh/id_rsa (RSA PEM), deleted by a whiteout", { source: "file", path: "/root/.ssh/id_rsa", deleted: true });
}
{
  const ns = "jsmith-ar";
  ev(ns, "profile.gravatar_email", `jordan.smith@${D1}`);
  const ghp = S.ghp();
  const netrcPw = S.password(24);
  const r1 = K.image(
    ns,
    "dotfiles",
    "latest",
    single([app([noteFile("home/jordan/.git-credentials", `https://jsmith-ar:${ghp}@github.com\n`), noteFile("home/jordan/.netrc", `machine artifacts.example-cdn.net\n  login jordan\n  password ${netrcPw}\n`), noteFile("home/jordan/.gitconfig", "[user]\n\tname = Jordan Smith\n\temail = jordan@personal-mail.example\n")])]),
  );
  K.repo(ns, "dotfiles", { description: "my shell setup at acme", pull_count: 7 });
  K.plant(r1, ghp, "github", "file /home/jordan/.git-credentials", { source: "file", path: "/home/jordan/.git-credentials" });
  K.plant(r1, netrcPw, "generic-password", "file /home/jordan/.netrc password", { source: "file", path: "/home/jordan/.netrc" });
}
{
  const ns = "launchpad-team";
  ev(ns, "content.email", `launchpad@${D1}`);
  const pw = S.password();
  const r1 = K.image(ns, "launchpad", "2024.11", single([app(nodeAppFiles("launchpad", null, { ioredis: "^5.3.0" }, DECOY_INTEGRITY))], { Labels: { maintainer: `launchpad@${D1}` }, Cmd: ["sh", "-c", `node server.js --redis redis://:${pw}@redis.cache.${D2}:6379/0`] }), undefined, ["latest"]);
  K.repo(ns, "launchpad", { description: "Launch countdown board (Acme Rockets launches)", pull_count: 1200 });
  K.plant(r1, pw, "redis-url", "config Cmd redis:// URL", { source: "cmd" });
  const pw2 = S.password();
  const r2 = K.image(ns, "scheduler", "latest", single([app([noteFile("etc/scheduler/config.yaml", `db:\n  url: mysql://sched:${pw2}@mysql.internal.${D1}:3306/scheduler\npool: 10\n`)])], { Labels: { maintainer: `launchpad@${D1}` } }));
  K.repo(ns, "scheduler", { description: "cron for launches", pull_count: 400 });
  K.plant(r2, pw2, "mysql-url", "file /etc/scheduler/config.yaml", { source: "file", path: "/etc/scheduler/config.yaml" });
}
{
  const ns = "telemetry-svc";
  ev(ns, "content.email", `telemetry@${D2}`);
  const hook = S.slackWebhook();
  const pw = S.password();
  const r1 = K.image(
    ns,
    "collector",
    "0.9.1",
    single(
      [app([noteFile("etc/collector/amqp.conf", `broker = amqp://collector:${pw}@mq.internal.${D1}:5672/telemetry\n`)], { compression: "zstd", created_by: "COPY amqp.conf /etc/collector/ (zstd layer)" })],
      { Env: [`SLACK_WEBHOOK_URL=${hook}`], Labels: { "org.opencontainers.image.authors": `Telemetry Team <telemetry@${D2}>`, "org.opencontainers.image.title": "collector" } },
    ),
    undefined,
    ["latest"],
  );
  K.repo(ns, "collector", { description: "acmerockets telemetry collector", pull_count: 2300 });
  K.plant(r1, hook, "slack-webhook", "config Env SLACK_WEBHOOK_URL", { source: "env" });
  K.plant(r1, pw, "amqp-url", "file /etc/collector/amqp.conf in a zstd layer", { source: "file", path: "/etc/collector/amqp.conf" });
}
{
  const ns = "propulsion-eng";
  ev(ns, "content.host", `db.internal.${D1}`);
  const pw = S.password();
  const r1 = K.image(ns, "thrust-model", "latest", single([app([noteFile("etc/propulsion/config.toml", `[database]\nhost = "db.internal.${D1}"\nuri = "mongodb+srv://thrust:${pw}@cluster0.db.internal.${D1}/models?retryWrites=true"\n`)])], {}, { distro: "debian" }));
  K.repo(ns, "thrust-model", { description: "thrust modelling service, acme propulsion", pull_count: 66 });
  K.plant(r1, pw, "mongodb-url", "file /etc/propulsion/config.toml", { source: "file", path: "/etc/propulsion/config.toml" });
  const ant = S.anthropic();
  const r2 = K.image(
    ns,
    "sim-runner",
    "latest",
    single([
      app([noteFile("etc/propulsion/secrets/api.env", `ANTHROPIC_API_KEY=${ant}\n`), noteFile("etc/propulsion/secrets/README", "mounted at runtime\n")], { created_by: "COPY secrets/ /etc/propulsion/secrets/" }),
      app([noteFile("etc/propulsion/secrets/README", "mounted at runtime (emptied)\n")], { opaque: ["etc/propulsion/secrets"], created_by: "RUN rm -rf /etc/propulsion/secrets && mkdir /etc/propulsion/secrets" }),
    ]),
  );
  K.repo(ns, "sim-runner", { description: "simulation runner", pull_count: 12 });
  K.plant(r2, ant, "anthropic", "file /etc/propulsion/secrets/api.env, hidden by an opaque directory in the next layer", { source: "file", path: "/etc/propulsion/secrets/api.env", deleted: true });
}
{
  const ns = "mission-ctl";
  ev(ns, "content.host", `api.${D2}`);
  const npm = S.npm();
  const r1 = K.image(ns, "console", "latest", single([app([...nodeAppFiles("console", null, { react: "^19.0.0" }, DECOY_INTEGRITY), noteFile("app/.npmrc", `//registry.npmjs.org/:_authToken=${npm}\nalways-auth=true\n`)])], { Env: [`API_BASE=https://api.${D2}/v2`] }));
  K.repo(ns, "console", { description: "acme mission control console", pull_count: 140 });
  K.plant(r1, npm, "npm", "file /app/.npmrc _authToken", { source: "file", path: "/app/.npmrc" });
  const gl = S.gitlab();
  const r2 = K.image(
    ns,
    "uplink",
    "1.2",
    single([
      app([noteFile("app/.env", `GITLAB_TOKEN=${gl}\nAPI_BASE=https://api.${D2}\n`)], { created_by: "COPY .env /app/.env" }),
      app([noteFile("app/.env", "GITLAB_TOKEN=xxxx\nAPI_BASE=https://api.example.invalid\n")], { created_by: "COPY .env.sample /app/.env" }),
    ]),
  );
  K.repo(ns, "uplink", { description: "uplink relay", pull_count: 31 });
  K.plant(r2, gl, "gitlab", "file /app/.env, overwritten by a later layer", { source: "file", path: "/app/.env", deleted: true });
}
{
  const ns = "orbit-tools";
  ev(ns, "content.git_remote", "github.com/acme-rockets/orbit-tools");
  const gcp = S.gcpServiceAccount("acme-rockets-prod", "orbit-deployer");
  const r1 = K.image(
    ns,
    "orbit-cli",
    "latest",
    single([app([noteFile("app/keys/gcp.json", `${gcp.json}\n`), noteFile("app/.git/config", `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = git@github.com:acme-rockets/orbit-tools.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`)])], { Labels: { "org.opencontainers.image.source": "https://github.com/acme-rockets/orbit-tools" } }),
  );
  K.repo(ns, "orbit-cli", { description: "orbit calculations CLI (acmerockets)", pull_count: 88 });
  K.plant(r1, gcp.pem, "gcp-service-account", "file /app/keys/gcp.json private_key (decoded PEM)", { source: "file", path: "/app/keys/gcp.json" });
  const pw = S.password();
  const r2 = K.image(
    ns,
    "orbit-agent",
    "2.3.0",
    single(
      [
        app([
          {
            path: "opt/orbit/lib/orbit-core.jar",
            archive: {
              format: "zip",
              files: [
                { path: "META-INF/MANIFEST.MF", content: "Manifest-Version: 1.0\nMain-Class: com.acmerockets.orbit.Agent\n" },
                { path: "BOOT-INF/classes/application.properties", content: `spring.datasource.url=jdbc:postgresql://db.internal.${D1}:5432/orbit?user=orbit&password=${pw}\nserver.port=8080\n` },
              ],
            },
          },
        ]),
      ],
      { Entrypoint: ["java", "-jar", "/opt/orbit/lib/orbit-core.jar"], Labels: { "org.opencontainers.image.source": "https://github.com/acme-rockets/orbit-agent" } },
      { distro: "debian" },
    ),
  );
  K.repo(ns, "orbit-agent", { description: "orbit agent (java)", pull_count: 45 });
  K.plant(r2, pw, "jdbc-url", "file BOOT-INF/classes/application.properties inside /opt/orbit/lib/orbit-core.jar", { source: "file", path: "/opt/orbit/lib/orbit-core.jar!BOOT-INF/classes/application.properties" });
}
{
  const ns = "nozzle-ui";
  ev(ns, "content.package_scope", "@acme-rockets");
  const bot = S.slackBot();
  const r1 = K.image(ns, "nozzle-ui", "latest", single([app([...nodeAppFiles("nozzle-ui", "@acme-rockets", { "@acme-rockets/ui-kit": "^3.2.0", react: "^19.0.0" }, DECOY_INTEGRITY), noteFile("app/.env.production", `SLACK_BOT_TOKEN=${bot}\nNEXT_PUBLIC_THEME=dark\n`)])]));
  K.repo(ns, "nozzle-ui", { description: "nozzle dashboard UI for acme engines", pull_count: 19 });
  K.plant(r1, bot, "slack-token", "file /app/.env.production", { source: "file", path: "/app/.env.production" });
}
{
  const ns = "fuel-data";
  ev(ns, "content.aws_account", ACCT_DEV);
  const aws = S.aws(ACCT_DEV);
  const r1 = K.image(ns, "etl", "latest", single([app([noteFile("app/etl.py", "import boto3\n")])], { Env: [`AWS_ACCESS_KEY_ID=${aws.id}`, `AWS_SECRET_ACCESS_KEY=${aws.secret}`, "AWS_DEFAULT_REGION=us-east-2"] }, { distro: "debian" }));
  K.repo(ns, "etl", { description: "acme fuel telemetry ETL", pull_count: 14 });
  K.plant(r1, aws.secret, "aws", `config Env AWS_SECRET_ACCESS_KEY (key id ${aws.id}, account ${ACCT_DEV})`, { source: "env" });
}
{
  const ns = "acmerockets-legacy";
  ev(ns, "name", "acmerockets");
  ev(ns, "content.email", `devops@${D1}`);
  const jwt = S.jwt({ iss: "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "legacy", "kubernetes.io/serviceaccount/service-account.name": "deployer", sub: "system:serviceaccount:legacy:deployer" });
  K.repo(ns, "legacy-portal", { description: "old customer portal", pull_count: 5100, full_description: `# Legacy portal\n\nMaintained by devops@${D1}. Deprecated, do not use.\n` });
  const r1 = K.image(ns, "legacy-portal", "2019", single([app([noteFile("root/.kube/config", `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.12.4:6443\n  name: legacy\ncontexts:\n- context:\n    cluster: legacy\n    user: deployer\n  name: legacy\ncurrent-context: legacy\nusers:\n- name: deployer\n  user:\n    token: ${jwt}\n`)])], {}, { format: "docker", distro: "debian" }), "2019-06-01T10:00:00Z", ["latest"]);
  K.plant(r1, jwt, "jwt", "file /root/.kube/config user token (service-account JWT)", { source: "file", path: "/root/.kube/config" });
}
{
  const ns = "arx-build";
  ev(ns, "content.email", `build-team@${D1}`);
  const pypi = S.pypi();
  K.repo(ns, "wheelhouse", { description: "python wheel builder for acme-rockets", pull_count: 230, full_description: `# wheelhouse\n\nQuestions? build-team@${D1}\n` });
  const r1 = K.image(ns, "wheelhouse", "py3.12", single([app([noteFile("root/.pypirc", `[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = ${pypi}\n`)])], {}, { distro: "debian" }), undefined, ["latest"]);
  K.plant(r1, pypi, "pypi", "file /root/.pypirc", { source: "file", path: "/root/.pypirc" });
}
{
  const ns = "groundstation-ops";
  ev(ns, "content.host", `k8s.prod.${D1}`);
  const pat = S.dockerPat();
  const r1 = K.image(
    ns,
    "gs-deploy",
    "latest",
    single([app([noteFile("deploy/kubeconfig.yaml", `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://k8s.prod.${D1}:6443\n  name: prod\nusers: []\n`)], { created_by: `RUN echo ${pat} | docker login -u groundstation --password-stdin` })], {}),
  );
  K.repo(ns, "gs-deploy", { description: "acme groundstation deploy helper", pull_count: 77 });
  K.plant(r1, pat, "dockerhub", "history RUN docker login --password-stdin", { source: "history" });
}
{
  const ns = "kleinr";
  ev(ns, "profile.company", "ACME ROCKETS GmbH");
  const key = S.opensshPem();
  const r1 = K.image(ns, "notebook", "latest", single([app([noteFile("home/app/.ssh/id_ed25519", `${key}\n`)])], { User: "app" }, { distro: "debian" }));
  K.repo(ns, "notebook", { description: "jupyter notebook, Acme Rockets analytics", pull_count: 9 });
  K.plant(r1, key, "private-key", "file /home/app/.ssh/id_ed25519 (OpenSSH)", { source: "file", path: "/home/app/.ssh/id_ed25519" });
}
{
  // label secret, a secret only in the arm64 image of a Docker manifest list, a nested tar.gz
  const ns = "acme-rockets-dev";
  const ghp = S.ghp();
  const sg = S.sendgrid();
  const bot = S.slackBot();
  const ref = K.image(
    ns,
    "edge-relay",
    "1.0.3",
    multi(
      (arch) => ({
        config: { Labels: { "com.acme-rockets.deploy-token": ghp, "org.opencontainers.image.title": "edge-relay" }, Cmd: ["/usr/local/bin/relay"] },
        layers: [
          app([
            noteFile("usr/local/bin/relay", "#!/bin/sh\nexec relay\n"),
            { path: "opt/bundle/config-bundle.tar.gz", archive: { format: "tar.gz", files: [{ path: "config/secrets.yml", content: `slack:\n  bot_token: ${bot}\n` }] } },
            ...(arch === "arm64" ? [noteFile("opt/relay/arm64-overrides.json", `${JSON.stringify({ mailer: { sendgrid_api_key: sg } }, null, 2)}\n`)] : []),
          ]),
        ],
      }),
      { format: "docker" },
    ),
    undefined,
    ["latest"],
  );
  K.repo(ns, "edge-relay", { description: "edge relay", pull_count: 260 });
  K.plant(ref, ghp, "github", "config Labels com.acme-rockets.deploy-token (both platforms)", { source: "label" });
  K.plant(ref, sg, "sendgrid", "file /opt/relay/arm64-overrides.json, only in the linux/arm64/v8 image", { source: "file", path: "/opt/relay/arm64-overrides.json", platform: "linux/arm64/v8" });
  K.plant(ref, bot, "slack-token", "file config/secrets.yml inside /opt/bundle/config-bundle.tar.gz", { source: "file", path: "/opt/bundle/config-bundle.tar.gz!config/secrets.yml" });
}
// review accounts
{
  const pw = S.password();
  const r1 = K.image("acmerocketsdemo", "demo", "latest", single([app([noteFile("app/demo.sh", `#!/bin/sh\ncurl -s https://demo:${pw}@staging.rocketdemo-host.net/api/ping\n`)])]));
  K.repo("acmerocketsdemo", "demo", { description: "demo", pull_count: 3 });
  K.plant(r1, pw, "basic-auth-url", "file /app/demo.sh https://user:password@ URL", { source: "file", path: "/app/demo.sh" });
  K.image("acme-rockets-intern", "hello", "latest", single([app([noteFile("app/hello.txt", "hello world\n")])]));
  K.repo("acme-rockets-intern", "hello", { description: "hello world", pull_count: 1 });
}

// ------------------------------------------------------------------ look-alikes
{
  const pw = S.password();
  const r = K.image("acmecorp", "billing-api", "latest", single([app([noteFile("app/config.yml", `database: postgres://billing:${pw}@db.acmecorp-dental-supplies.uk:5432/billing\n`)])], { Labels: { maintainer: "it@acmecorp-dental.example" } }));
  K.repo("acmecorp", "billing-api", { description: "dental practice billing", pull_count: 1532 });
  K.plant(r, pw, "postgres-url", "file /app/config.yml (look-alike account: still a leak)", { source: "file", path: "/app/config.yml" });
  K.image("acme", "acme-arcade", "latest", single([app([noteFile("app/README", "Arcade Classic Mini Emulator. Press start.\n"), ...decoyFiles("app")])], { Env: decoyEnv }));
  K.repo("acme", "acme-arcade", { description: "retro arcade emulator", pull_count: 48000, star_count: 210 });
  const stripe = S.stripe();
  const r3 = K.image("acme-anvils", "storefront", "3.0", single([app(nodeAppFiles("storefront", "@acme-anvils", { stripe: "^14.0.0" }, DECOY_INTEGRITY))], { Env: [`STRIPE_API_KEY=${stripe}`], Labels: { maintainer: "web@acme-anvils.example" } }));
  K.repo("acme-anvils", "storefront", { description: "anvil shop", pull_count: 610 });
  K.plant(r3, stripe, "stripe", "config Env STRIPE_API_KEY (look-alike account)", { source: "env" });
  K.image("acmeinc", "intranet", "latest", single([app([noteFile("app/index.html", "<h1>ACME Inc. intranet</h1>\n")])], { Labels: { maintainer: "ops@acmeinc.example" } }));
  K.repo("acmeinc", "intranet", { description: "ACME Inc. intranet", pull_count: 90 });
  K.image("rocketlabs-hobby", "launch-calc", "latest", single([app([noteFile("app/README.md", "Model rocket apogee calculator for our club in Houston.\n")])]));
  K.repo("rocketlabs-hobby", "launch-calc", { description: "model rockets apogee calculator", pull_count: 300, full_description: "# launch-calc\n\nFor model rocketry hobbyists. Club contact: club@rockethobby.example\n" });
  K.repo("acme-rockets-game", "acme-rockets", {
    description: "Acme Rockets - a retro arcade shooter",
    pull_count: 2500,
    full_description: "# Acme Rockets\n\nA retro arcade shooter I made for a game jam. Not affiliated with any company.\n\nSource: https://github.com/pixelpete/acme-rockets-game\n",
  });
  K.image("acme-rockets-game", "acme-rockets", "latest", multi(() => ({ config: { Labels: { "org.opencontainers.image.source": "https://github.com/pixelpete/acme-rockets-game", "org.opencontainers.image.authors": "pete@pixelmail.example" } }, layers: [app([noteFile("game/index.html", "<canvas id=game></canvas>\n")])] })));
  K.image("acmerocket", "pizza-orders", "latest", single([app([noteFile("app/menu.json", '{"pizzas":["rocket","margherita"]}\n')])], { Labels: { maintainer: "orders@acmerocketpizza.example" } }));
  K.repo("acmerocket", "pizza-orders", { description: "online orders for Acme Rocket Pizza", pull_count: 150 });
  K.image("acme-labs", "research-notebook", "latest", single([app([noteFile("app/README", "ACME Labs research environment\n")])], { Labels: { "org.opencontainers.image.source": "https://github.com/acme-labs/notebook" } }, { distro: "debian" }));
  K.repo("acme-labs", "research-notebook", { description: "research notebook", pull_count: 12000 });
  K.image("acme-io", "api", "latest", single([app([noteFile("app/config.yaml", "upstream: https://api.acme.io\nadmin_email: ops@acme.io\n")])], { Labels: { maintainer: "ops@acme.io" } }));
  K.repo("acme-io", "api", { description: "acme.io API", pull_count: 410 });
  K.image("notacme", "tools", "latest", single([app([noteFile("app/.git/config", '[remote "origin"]\n\turl = https://github.com/acme-rocket/tools.git\n')])], { Labels: { "org.opencontainers.image.source": "https://github.com/acme-rocket/tools" } }));
  K.repo("notacme", "tools", { description: "misc tools", pull_count: 20 });
  K.image("acme-dental-it", "backup", "latest", single([app([noteFile("etc/backup.conf", "target = db.acme-dental.example\nschedule = daily\n")])]));
  K.repo("acme-dental-it", "backup", { description: "backup jobs", pull_count: 33 });
  K.image("acme-rockets-fanclub", "fan-site", "latest", single([app([noteFile("app/index.html", "<p>Unofficial fan club. Not affiliated with Acme Rockets.</p>\n")])]));
  K.repo("acme-rockets-fanclub", "fan-site", { description: "Unofficial Acme Rockets fan site", pull_count: 75, full_description: "Unofficial fan club. Not affiliated with Acme Rockets.\n" });
  const aws = S.aws("999988887777");
  const r4 = K.image("rocketdev42", "s3-sync", "latest", single([app([noteFile("app/sync.sh", "aws s3 sync /data s3://rocketdev42-bucket\n")])], { Env: [`AWS_ACCESS_KEY_ID=${aws.id}`, `AWS_SECRET_ACCESS_KEY=${aws.secret}`] }));
  K.repo("rocketdev42", "s3-sync", { description: "s3 sync for my rockets hobby", pull_count: 11 });
  K.plant(r4, aws.secret, "aws", "config Env AWS_SECRET_ACCESS_KEY (account 999988887777: not the company's)", { source: "env" });
  K.image("acmeapps", "widgets", "latest", single([app(nodeAppFiles("widgets", "@acme", { "@acme/widgets-core": "^1.0.0" }, DECOY_INTEGRITY))]));
  K.repo("acmeapps", "widgets", { description: "widgets", pull_count: 64 });
  const ghp = S.ghp();
  const r5 = K.image("acme-corp-ci", "ci-runner", "latest", single([app([noteFile("runner/.env", `GITHUB_TOKEN=${ghp}\n`)])], { Labels: { maintainer: "ci@acmecorp.example" } }));
  K.repo("acme-corp-ci", "ci-runner", { description: "Acme Corp CI runner", pull_count: 520 });
  K.plant(r5, ghp, "github", "file /runner/.env (look-alike account)", { source: "file", path: "/runner/.env" });
  K.image("acme-rocketry", "catalog", "latest", single([app([noteFile("app/catalog.csv", "sku,name\nAR-1,igniter\n")])], { Labels: { maintainer: "sales@acmerocketry.example" } }));
  K.repo("acme-rocketry", "catalog", { description: "rocketry supplies catalog", pull_count: 48 });
}

// ------------------------------------------------------------------ unrelated accounts
K.image("pixelpete", "game-server", "latest", single([app([noteFile("app/server.lua", "print('hi')\n")])]));
K.repo("pixelpete", "game-server", { description: "game server", pull_count: 200 });
K.image("datawrangler", "jupyter-base", "latest", single([app([noteFile("opt/conda/README", "conda env\n"), ...decoyFiles("opt/conda")])], { Env: decoyEnv }, { distro: "debian" }));
K.repo("datawrangler", "jupyter-base", { description: "jupyter base image", pull_count: 90000 });
K.image("k8s-tools", "kubectl", "1.30", multi(() => ({ layers: [app([noteFile("usr/local/bin/kubectl", "#!/bin/sh\necho kubectl\n")])] })), undefined, ["latest"]);
K.repo("k8s-tools", "kubectl", { description: "kubectl in a box", pull_count: 2_400_000, star_count: 95 });
K.image("houston-devs", "meetup-site", "latest", single([app([noteFile("app/index.html", "<h1>Houston Developers</h1>\n")])]));
K.repo("houston-devs", "meetup-site", { description: "meetup website", pull_count: 60 });
K.image("mlops-lab", "trainer", "latest", single([app([noteFile("app/train.py", "print('train')\n")])], { Env: decoyEnv }, { distro: "debian" }));
K.repo("mlops-lab", "trainer", { description: "training image", pull_count: 380 });
K.image("nginxfan", "nginx-custom", "latest", single([app([noteFile("etc/nginx/nginx.conf", "events {}\nhttp { server { listen 80; } }\n")])]));
K.repo("nginxfan", "nginx-custom", { description: "nginx with my config", pull_count: 5400 });

// ------------------------------------------------------------------ filler: older, clean versions (realistic tag histories)
const FILLER_OWNERS = ["acmerockets", "acmerockets-ci", "acme-rockets-dev", "launchpad-team", "telemetry-svc", "mission-ctl", "orbit-tools", "acme", "acme-labs", "k8s-tools", "datawrangler", "acme-anvils", "acmecorp", "nginxfan", "acmeinc", "groundstation-ops", "pixelpete", "mlops-lab"];
let fillerN = 0;
while (K.images.length < 100) {
  const ns = FILLER_OWNERS[fillerN % FILLER_OWNERS.length]!;
  const repos = K.repositories.filter((r) => r.namespace === ns && !r.is_private);
  const repo = repos[fillerN % repos.length]!;
  const tag = `0.${fillerN + 1}.0`;
  const multiArch = fillerN % 5 === 0;
  const files = [noteFile("app/VERSION", `${tag}\n`), noteFile("app/CHANGELOG.md", `## ${tag}\n- fixes\n- request id ${DECOY_UUID}\n`)];
  K.image(
    ns,
    repo.name,
    tag,
    multiArch ? multi(() => ({ layers: [app(files)], config: { Env: decoyEnv.slice(0, 3) } })) : single([app(files, fillerN % 4 === 0 ? { compression: "zstd" } : {})], { Env: ["APP_ENV=production"] }, { distro: fillerN % 3 === 0 ? "debian" : "alpine" }),
    rng.date(2022, 2024),
  );
  fillerN++;
}

// repository defaults
for (const r of K.repositories) {
  r.date_registered ??= rng.date(2017, 2022);
  r.description ??= "";
}

const world: WorldInput = {
  version: 1,
  name: "Acme Rockets",
  description: "Demo world: the fictional company Acme Rockets (acme-rockets.com, acmerockets.io), its sanctioned organisations, shadow accounts, look-alikes and planted FAKE secrets. Generated by lib/hubsim/worlds/generate-acme.ts.",
  seed: 7,
  pullLimit: 100,
  apiLimit: 600,
  identity: {
    name: "Acme Rockets",
    domains: [D1, D2],
    emailPatterns: [`*@${D1}`, `*@${D2}`],
    knownNames: ["Acme Rockets", "acmerockets", "acme-rockets"],
    sanctioned: ["acmerockets", "acmerockets-ci"],
    exclusions: ["acme-rockets-fanclub"],
    cloudAccountIds: [ACCT_PROD, ACCT_DEV],
    githubOrgs: ["acme-rockets"],
    packageScopes: ["@acme-rockets"],
  },
  accounts: K.accounts,
  repositories: K.repositories,
  images: K.images,
  faults: [],
  expected: {
    sanctioned: ["acmerockets", "acmerockets-ci"],
    shadowAccounts: Object.keys(evidence),
    reviewAccounts: ["acmerocketsdemo", "acme-rockets-intern"],
    lookalikes: ["acmecorp", "acme", "acme-anvils", "acmeinc", "rocketlabs-hobby", "acme-rockets-game", "acmerocket", "acme-labs", "acme-io", "notacme", "acme-dental-it", "acme-rockets-fanclub", "rocketdev42", "acmeapps", "acme-corp-ci", "acme-rocketry"],
    evidence,
    plantedSecrets: K.planted,
    decoys: K.decoys,
  },
};

const parsed = parseWorld(world, "generated Acme world");
verifyGroundTruth(parsed);
const defaultOut = path.join(path.dirname(fileURLToPath(import.meta.url)), "acme-rockets.json");
finish(text(), defaultOut);

function text(): string {
  return `${JSON.stringify(world, null, 1)}\n`;
}
function finish(body: string, fallback: string): void {
  // --check: compare with the committed file (exit 1 if it differs); --out FILE: write elsewhere
  const args = process.argv.slice(2);
  const i = args.indexOf("--out");
  const out = i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  if (args.includes("--check")) {
    const same = existsSync(out) && readFileSync(out, "utf8") === body;
    console.log(same ? `${out} is up to date` : `${out} differs from the generator output`);
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(out, body);
  console.log(`wrote ${out}: ${parsed.accounts.length} accounts, ${parsed.repositories.length} repositories, ${parsed.images.length} images, ${parsed.expected!.plantedSecrets.length} planted secrets, ${parsed.expected!.decoys.length} decoys, ${(body.length / 1024).toFixed(0)} KiB`);
}
