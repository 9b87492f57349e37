// Provider tokens with a distinctive prefix or a context word.
import type { AttributionHint } from "../../types";
import type { DetectorDef, Env, RegexHit } from "../engine";
import { validCrc32Token } from "../util";
import { afterDigit, afterHex, atBoundary, contextual, isDigit, lowerHexRun, nearbyEmails, token, tokenRun } from "./helpers";

const ghChecksum = (hit: RegexHit) => validCrc32Token(hit.secret, 4);

/** the Twilio account SID (AC + 32 hex) within ±1 KiB identifies the account owning the key */
function twilioHints(hit: RegexHit, env: Env): AttributionHint[] {
  const w = env.text.slice(Math.max(0, hit.index - 1024), Math.min(env.text.length, hit.end + 1024));
  const sid = /(?:^|[^A-Za-z0-9])(AC[0-9a-f]{32})(?:[^A-Za-z0-9]|$)/.exec(w)?.[1];
  const hints = nearbyEmails(hit, env.text);
  if (sid) hints.push({ type: "username", value: sid });
  return hints;
}

export const TOKEN_DETECTORS: DetectorDef[] = [
  // --- GitHub (classic tokens carry a CRC32 checksum in their last 6 chars)
  token("github-pat", "github", "critical", "GitHub personal access token (classic), checksum-validated", ["ghp_"], "ghp_[A-Za-z0-9]{36}", 40, { validate: ghChecksum }),
  token("github-oauth-token", "github", "critical", "GitHub OAuth access token, checksum-validated", ["gho_"], "gho_[A-Za-z0-9]{36}", 40, { validate: ghChecksum }),
  token("github-user-to-server-token", "github", "critical", "GitHub App user-to-server token, checksum-validated", ["ghu_"], "ghu_[A-Za-z0-9]{36}", 40, { validate: ghChecksum }),
  token("github-server-to-server-token", "github", "critical", "GitHub App installation (server-to-server) token, checksum-validated", ["ghs_"], "ghs_[A-Za-z0-9]{36}", 40, { validate: ghChecksum }),
  token("github-refresh-token", "github", "critical", "GitHub App refresh token, checksum-validated", ["ghr_"], "ghr_[A-Za-z0-9]{36}", 40, { validate: ghChecksum }),
  token("github-fine-grained-pat", "github", "critical", "GitHub fine-grained personal access token", ["github_pat_"], "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", 93, { minEntropy: 4 }),
  // --- GitLab
  token("gitlab-pat", "gitlab", "critical", "GitLab personal/project/group access token", ["glpat-"], "glpat-[A-Za-z0-9_-]{20}(?:[A-Za-z0-9_.-]{0,70})", 96, { minEntropy: 3.5 }),
  token("gitlab-deploy-token", "gitlab", "critical", "GitLab deploy token", ["gldt-"], "gldt-[A-Za-z0-9_-]{20,80}", 90, { minEntropy: 3.5 }),
  token("gitlab-runner-token", "gitlab", "critical", "GitLab runner authentication token", ["glrt-"], "glrt-[A-Za-z0-9_.-]{20,80}", 90, { minEntropy: 3.5 }),
  token("gitlab-pipeline-trigger-token", "gitlab", "critical", "GitLab pipeline trigger token", ["glptt-"], "glptt-[0-9a-f]{40}", 48, { hashLike: true }),
  token("gitlab-oauth-app-secret", "gitlab", "critical", "GitLab OAuth application secret", ["gloas-"], "gloas-[0-9a-f]{64}", 72, { hashLike: true }),
  // --- Package registries
  token("npm-token", "npm", "critical", "npm access token, checksum-validated", ["npm_"], "npm_[A-Za-z0-9]{36}", 40, { validate: (h) => validCrc32Token(h.secret, 4) }),
  token("pypi-token", "pypi", "critical", "PyPI API token (macaroon)", ["pypi-AgE"], "pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,300}", 330, {
    severityOf: (h) => (h.secret.startsWith("pypi-AgENdGVzdC5weXBpLm9yZw") ? "low" : "critical"),
  }),
  token("docker-hub-pat", "docker", "critical", "Docker Hub personal access token", ["dckr_pat_"], "dckr_pat_[A-Za-z0-9_-]{27,40}", 50, { minEntropy: 3.5 }),
  token("docker-hub-oat", "docker", "critical", "Docker Hub organization access token", ["dckr_oat_"], "dckr_oat_[A-Za-z0-9_-]{27,40}", 50, { minEntropy: 3.5 }),
  // --- Chat
  token("slack-bot-token", "slack", "high", "Slack bot token", ["xoxb-"], "xoxb-[0-9]{8,13}-[0-9]{8,13}-[A-Za-z0-9]{24,34}", 80),
  token("slack-user-token", "slack", "high", "Slack user token", ["xoxp-"], "xoxp-[0-9]{8,13}-[0-9]{8,13}-[0-9]{8,13}-[A-Za-z0-9]{28,34}", 100),
  token("slack-app-token", "slack", "high", "Slack app-level token", ["xapp-"], "xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[A-Za-z0-9]{64}", 110),
  token("slack-legacy-token", "slack", "high", "Slack legacy/workspace/refresh token (xoxa/xoxo/xoxs/xoxr/xoxe)", ["xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-"], "xox[aosre]-[0-9]{1,13}-[A-Za-z0-9-]{20,200}", 220, { minEntropy: 3.5 }),
  token("slack-webhook", "slack", "high", "Slack incoming webhook URL", ["hooks.slack.com/"], "https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Z0-9]{8,12}/[A-Z0-9]{8,13}/[A-Za-z0-9]{20,40}", 140, { keywordsAt: "anywhere" }),
  token("discord-webhook", "discord", "high", "Discord webhook URL", ["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"], "https?://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,70}", 140, { keywordsAt: "anywhere" }),
  token("teams-webhook", "microsoft", "high", "Microsoft Teams incoming webhook URL", ["webhook.office.com/webhookb2/"], "https://[a-z0-9-]{1,63}\\.webhook\\.office\\.com/webhookb2/[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(?:/[A-Za-z0-9_-]{20,60})?", 360, { keywordsAt: "anywhere", hashLike: true }),
  token("telegram-bot-token", "telegram", "high", "Telegram bot token", [":AA"], "[0-9]{8,10}:AA[A-Za-z0-9_-]{33}", 48, { keywordsAt: "anywhere", precheck: afterDigit, minEntropy: 3.5 }),
  // --- Payments
  token("stripe-secret-key", "stripe", "critical", "Stripe live secret key", ["sk_live_"], "sk_live_[A-Za-z0-9]{24,247}", 256, { minEntropy: 3.5 }),
  token("stripe-restricted-key", "stripe", "critical", "Stripe live restricted key", ["rk_live_"], "rk_live_[A-Za-z0-9]{24,247}", 256, { minEntropy: 3.5 }),
  token("stripe-test-key", "stripe", "low", "Stripe test-mode secret or restricted key", ["sk_test_", "rk_test_"], "[sr]k_test_[A-Za-z0-9]{24,247}", 256, { minEntropy: 3.5 }),
  token("stripe-webhook-secret", "stripe", "high", "Stripe webhook signing secret", ["whsec_"], "whsec_[A-Za-z0-9+/=]{32,88}", 96, { minEntropy: 3.5 }),
  // "EAAA" is frequent in source-map mappings: check the 64-char run before running the pattern
  token("square-access-token", "square", "critical", "Square access token", ["EAAA"], "EAAA[A-Za-z0-9_-]{60}", 66, {
    minEntropy: 4,
    precheck: (text, hit) => atBoundary(text, hit) && tokenRun(64)(text, hit),
  }),
  token("square-oauth-secret", "square", "critical", "Square OAuth application secret", ["sq0csp-"], "sq0csp-[A-Za-z0-9_-]{43}", 52, { minEntropy: 3.5 }),
  token("square-legacy-access-token", "square", "critical", "Square legacy personal access token", ["sq0atp-"], "sq0atp-[A-Za-z0-9_-]{22}", 32, { minEntropy: 3.5 }),
  token("braintree-access-token", "paypal", "critical", "PayPal/Braintree access token", ["access_token$"], "access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}", 80, {
    hashLike: true,
    severityOf: (h) => (h.secret.includes("$sandbox$") ? "low" : "critical"),
  }),
  // --- Email / messaging
  token("sendgrid-api-key", "sendgrid", "high", "SendGrid API key", ["SG."], "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", 70, { minEntropy: 4 }),
  // Both prechecks test the whole hex run: "key-" and "-us" are common in code and prose ("monkey-
  // patch", "cache-usage"), and a failed precheck keeps the regex engine from running at all.
  token("mailgun-api-key", "mailgun", "high", "Mailgun API key (key-…)", ["key-"], "key-[0-9a-f]{32}", 38, {
    precheck: (text, hit) => atBoundary(text, hit) && lowerHexRun(text, hit + 4, 32),
    hashLike: true,
    minEntropy: 3.2,
  }),
  token("mailchimp-api-key", "mailchimp", "high", "Mailchimp API key", ["-us"], "[0-9a-f]{32}-us[0-9]{1,2}", 40, {
    keywordsAt: "anywhere",
    precheck: (text, hit) => lowerHexRun(text, hit - 32, 32) && isDigit(text.charCodeAt(hit + 3)),
    hashLike: true,
    minEntropy: 3.2,
  }),
  contextual("twilio-api-key", "twilio", "high", "Twilio API key SID (SK…) next to a Twilio context; hint: the account SID (AC…) nearby", ["twilio"], "SK[0-9a-fA-F]{32}", { hashLike: true, hints: twilioHints }),
  contextual("twilio-auth-token", "twilio", "high", "Twilio account auth token; hint: the account SID (AC…) nearby", ["twilio_auth_token", "twilioauthtoken", "twilio-auth-token", "twilio auth token", "twilio_token"], "[0-9a-f]{32}", { hashLike: true, hints: twilioHints }),
  token("postman-api-key", "postman", "high", "Postman API key", ["PMAK-"], "PMAK-[a-f0-9]{24}-[a-f0-9]{34}", 70, { hashLike: true }),
  // --- AI
  token("openai-api-key", "openai", "high", "OpenAI API key (project, service-account, admin or legacy)", ["sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"],
    "sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}", 420, { keywordsAt: "anywhere", minEntropy: 4 }),
  token("anthropic-api-key", "anthropic", "high", "Anthropic API key", ["sk-ant-api03-"], "sk-ant-api03-[A-Za-z0-9_-]{93}AA", 110),
  token("anthropic-admin-key", "anthropic", "high", "Anthropic admin API key", ["sk-ant-admin01-"], "sk-ant-admin01-[A-Za-z0-9_-]{93}AA", 112),
  token("huggingface-token", "huggingface", "high", "Hugging Face access token", ["hf_"], "hf_[A-Za-z]{34}", 38, { minEntropy: 3.8 }),
  token("groq-api-key", "groq", "high", "Groq API key", ["gsk_"], "gsk_[A-Za-z0-9]{52}", 58, { minEntropy: 4 }),
  token("replicate-api-token", "replicate", "high", "Replicate API token", ["r8_"], "r8_[A-Za-z0-9]{37}", 42, { minEntropy: 3.8 }),
  token("perplexity-api-key", "perplexity", "high", "Perplexity API key", ["pplx-"], "pplx-[A-Za-z0-9]{48}", 55, { minEntropy: 4 }),
  token("xai-api-key", "xai", "high", "xAI (Grok) API key", ["xai-"], "xai-[A-Za-z0-9]{80}", 86, { minEntropy: 4 }),
  contextual("cohere-api-key", "cohere", "high", "Cohere API key (context)", ["cohere_api_key", "cohere-api-key", "cohereapikey", "co_api_key", "cohere_key", "cohere_token"], "[A-Za-z0-9]{40}", { minEntropy: 4 }),
  contextual("mistral-api-key", "mistral", "high", "Mistral AI API key (context)", ["mistral_api_key", "mistral-api-key", "mistralapikey", "mistral_key", "mistral_token"], "[A-Za-z0-9]{32}", { minEntropy: 4 }),
  // --- Observability
  contextual("datadog-api-key", "datadog", "high", "Datadog API key (context)", ["datadog", "dd_api_key", "dd-api-key", "ddapikey"], "[a-f0-9]{32}", { minEntropy: 3.3 }),
  contextual("datadog-app-key", "datadog", "high", "Datadog application key (context)", ["dd_app_key", "dd-app-key", "dd_application_key", "datadog_app_key", "datadog_application_key", "ddappkey"], "[a-f0-9]{40}", { minEntropy: 3.3 }),
  token("newrelic-user-api-key", "newrelic", "high", "New Relic user API key", ["NRAK-"], "NRAK-[A-Z0-9]{27}", 34, { minEntropy: 3.5 }),
  token("newrelic-insert-key", "newrelic", "high", "New Relic insights insert key", ["NRII-"], "NRII-[A-Za-z0-9_-]{32}", 40, { minEntropy: 3.5 }),
  token("newrelic-license-key", "newrelic", "high", "New Relic ingest license key", ["NRAL"], "[a-f0-9]{36}NRAL", 42, { keywordsAt: "anywhere", precheck: afterHex, hashLike: true, minEntropy: 3 }),
  token("sentry-org-token", "sentry", "high", "Sentry organization auth token", ["sntrys_"], "sntrys_eyJ[A-Za-z0-9+/=_-]{60,400}", 420),
  token("sentry-user-token", "sentry", "high", "Sentry user auth token", ["sntryu_"], "sntryu_[a-f0-9]{64}", 72, { hashLike: true }),
  token("grafana-service-account-token", "grafana", "high", "Grafana service account token", ["glsa_"], "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}", 48, { minEntropy: 3.5 }),
  token("grafana-cloud-token", "grafana", "high", "Grafana Cloud access policy token", ["glc_eyJ"], "glc_eyJ[A-Za-z0-9+/=_-]{32,400}", 410),
  // --- Commerce / SaaS
  token("shopify-access-token", "shopify", "critical", "Shopify Admin API access token", ["shpat_"], "shpat_[a-fA-F0-9]{32}", 40, { hashLike: true, minEntropy: 3 }),
  token("shopify-shared-secret", "shopify", "critical", "Shopify app shared secret", ["shpss_"], "shpss_[a-fA-F0-9]{32}", 40, { hashLike: true, minEntropy: 3 }),
  token("shopify-custom-app-token", "shopify", "critical", "Shopify custom app access token", ["shpca_"], "shpca_[a-fA-F0-9]{32}", 40, { hashLike: true, minEntropy: 3 }),
  token("shopify-private-app-token", "shopify", "critical", "Shopify private app password", ["shppa_"], "shppa_[a-fA-F0-9]{32}", 40, { hashLike: true, minEntropy: 3 }),
  token("atlassian-api-token", "atlassian", "high", "Atlassian (Jira/Confluence) API token", ["ATATT3"], "ATATT3[A-Za-z0-9_=-]{180,200}", 210, { minEntropy: 4 }),
  token("linear-api-key", "linear", "high", "Linear API key", ["lin_api_"], "lin_api_[A-Za-z0-9]{40}", 50, { minEntropy: 4 }),
  token("notion-token", "notion", "high", "Notion integration token", ["ntn_", "secret_"], "ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}", 52, { minEntropy: 4 }),
  token("figma-pat", "figma", "high", "Figma personal access token", ["figd_"], "figd_[A-Za-z0-9_-]{40,43}", 50, { minEntropy: 4 }),
  contextual("postmark-server-token", "postmark", "high", "Postmark server token (UUID next to a Postmark context)", ["postmark"], "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", { hashLike: true }),
  // --- Hosting / cloud platforms
  token("heroku-api-key", "heroku", "critical", "Heroku platform API key (HRKU-)", ["HRKU-"], "HRKU-[A-Za-z0-9_-]{58,70}", 80, { minEntropy: 4 }),
  contextual("heroku-api-key-legacy", "heroku", "critical", "Heroku API key (UUID next to a Heroku context)", ["heroku_api_key", "heroku_api_token", "heroku-api-key", "heroku_auth_token", "herokuapikey"], "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", { hashLike: true }),
  token("digitalocean-pat", "digitalocean", "critical", "DigitalOcean personal access token", ["dop_v1_"], "dop_v1_[a-f0-9]{64}", 72, { hashLike: true, minEntropy: 3 }),
  token("digitalocean-oauth-token", "digitalocean", "critical", "DigitalOcean OAuth access token", ["doo_v1_"], "doo_v1_[a-f0-9]{64}", 72, { hashLike: true, minEntropy: 3 }),
  token("digitalocean-refresh-token", "digitalocean", "critical", "DigitalOcean OAuth refresh token", ["dor_v1_"], "dor_v1_[a-f0-9]{64}", 72, { hashLike: true, minEntropy: 3 }),
  contextual("cloudflare-api-token", "cloudflare", "critical", "Cloudflare API token (context)", ["cloudflare_api_token", "cf_api_token", "cloudflare-api-token", "cloudflare_token", "cf_token", "cloudflareapitoken"], "[A-Za-z0-9_-]{40}", { minEntropy: 4 }),
  contextual("cloudflare-global-api-key", "cloudflare", "critical", "Cloudflare global API key (context)", ["cloudflare_api_key", "cf_api_key", "cloudflare-api-key", "cloudflare_global", "x-auth-key"], "[a-f0-9]{37}", { minEntropy: 3.3 }),
  token("cloudflare-origin-ca-key", "cloudflare", "critical", "Cloudflare Origin CA key", ["v1.0-"], "v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}", 180, { hashLike: true }),
  contextual("fastly-api-token", "fastly", "critical", "Fastly API token (context)", ["fastly"], "[A-Za-z0-9_-]{32}", { minEntropy: 4 }),
  contextual("vercel-token", "vercel", "critical", "Vercel access token (context)", ["vercel_token", "vercel-token", "vercel_api_token", "vercel_access_token", "vercel token"], "[A-Za-z0-9]{24}", { minEntropy: 4 }),
  token("netlify-pat", "netlify", "critical", "Netlify personal access token", ["nfp_"], "nfp_[A-Za-z0-9]{36}", 42, { minEntropy: 4 }),
  token("supabase-access-token", "supabase", "critical", "Supabase management access token", ["sbp_"], "sbp_[a-f0-9]{40}", 46, { hashLike: true, minEntropy: 3.2 }),
  token("supabase-secret-key", "supabase", "critical", "Supabase secret API key", ["sb_secret_"], "sb_secret_[A-Za-z0-9_-]{31,64}", 76, { minEntropy: 4 }),
  token("terraform-cloud-token", "hashicorp", "critical", "Terraform Cloud / Enterprise API token", [".atlasv1."], "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}", 95, { keywordsAt: "anywhere", minEntropy: 4 }),
  token("vault-service-token", "hashicorp", "critical", "HashiCorp Vault service token", ["hvs."], "hvs\\.[A-Za-z0-9_-]{24,200}", 210, { minEntropy: 3.8 }),
  token("vault-batch-token", "hashicorp", "critical", "HashiCorp Vault batch token", ["hvb."], "hvb\\.[A-Za-z0-9_-]{24,300}", 310, { minEntropy: 3.8 }),
  contextual("vault-legacy-token", "hashicorp", "critical", "HashiCorp Vault legacy token s.… (context)", ["vault_token", "vault-token", "x-vault-token", "vault token"], "s\\.[A-Za-z0-9]{24}", { minEntropy: 3.8 }),
  token("doppler-token", "doppler", "critical", "Doppler service/personal token", ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct."], "dp\\.(?:pt|st|sa|ct)\\.[A-Za-z0-9_.-]{40,64}", 74, { minEntropy: 4 }),
  token("pulumi-access-token", "pulumi", "critical", "Pulumi access token", ["pul-"], "pul-[a-f0-9]{40}", 46, { hashLike: true, minEntropy: 3.2 }),
  token("databricks-token", "databricks", "critical", "Databricks personal access token", ["dapi"], "dapi[a-f0-9]{32}(?:-[0-9])?", 40, { hashLike: true, minEntropy: 3.2 }),
  token("planetscale-token", "planetscale", "critical", "PlanetScale service token or password", ["pscale_tkn_", "pscale_pw_", "pscale_oauth_"], "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}", 80, { minEntropy: 4 }),
  token("tailscale-key", "tailscale", "critical", "Tailscale API/auth key", ["tskey-"], "tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,64}", 100, { minEntropy: 3.8 }),
  token("buildkite-token", "buildkite", "critical", "Buildkite agent or API token", ["bkua_"], "bkua_[a-f0-9]{40}", 46, { hashLike: true, minEntropy: 3.2 }),
  token("circleci-token", "circleci", "critical", "CircleCI personal API token", ["CCIPAT_"], "CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}", 72, { minEntropy: 3.8 }),
  token("age-secret-key", "age", "critical", "age encryption secret key", ["AGE-SECRET-KEY-1"], "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", 76),
  token("onepassword-service-account-token", "1password", "critical", "1Password service account token", ["ops_eyJ"], "ops_eyJ[A-Za-z0-9+/=_-]{250,1000}", 1020),
  token("mapbox-secret-token", "mapbox", "high", "Mapbox secret access token", ["sk.eyJ"], "sk\\.eyJ[A-Za-z0-9_-]{50,300}\\.[A-Za-z0-9_-]{22}", 340),
  // --- Identity
  contextual("okta-api-token", "okta", "high", "Okta API token (00… next to okta/SSWS)", ["okta", "ssws "], "00[A-Za-z0-9_-]{40}", { minEntropy: 4 }),
  contextual("auth0-client-secret", "auth0", "high", "Auth0 client secret (context)", ["auth0"], "[A-Za-z0-9_-]{64}", { minEntropy: 4.2 }),
  token("gcp-oauth-client-secret", "google", "high", "Google OAuth client secret", ["GOCSPX-"], "GOCSPX-[A-Za-z0-9_-]{28}", 36, { minEntropy: 3.5 }),
  token("google-api-key", "google", "high", "Google API key (Maps, Firebase, Gemini…)", ["AIza"], "AIza[0-9A-Za-z_-]{35}", 40, { minEntropy: 3.8 }),
  token("firebase-fcm-server-key", "google", "high", "Firebase Cloud Messaging legacy server key", [":APA91b"], "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}", 152, { keywordsAt: "anywhere" }),
  // --- Azure
  {
    ...token("azure-storage-connection-string", "azure", "critical", "Azure storage account key in a connection string (AccountKey=)", ["AccountKey="],
      "AccountKey=([A-Za-z0-9+/]{86}==)", 100, { caseSensitive: false, minEntropy: 4.5 }),
    group: 2,
    hints: (h, env) => {
        const w = env.text.slice(Math.max(0, h.matchIndex - 300), h.end + 300);
        const name = /AccountName=([a-z0-9]{3,24})/i.exec(w)?.[1];
        const suffix = /EndpointSuffix=([A-Za-z0-9.-]{3,100})/i.exec(w)?.[1] ?? "core.windows.net";
      return name ? [{ type: "username", value: name }, { type: "host", value: `${name.toLowerCase()}.blob.${suffix}` }] : [];
    },
  },
  contextual("aws-secret-access-key", "aws", "critical", "AWS secret access key next to its name (no key id nearby)", ["aws_secret_access_key", "aws_secret_key", "secret_access_key", "secretaccesskey", "aws-secret-access-key", "aws_secret"], "[A-Za-z0-9/+]{40}", { minEntropy: 4 }),
  contextual("azure-storage-key", "azure", "critical", "Azure storage account key (context)", ["azure_storage_key", "azure_storage_access_key", "azure_storage_account_key", "storage_account_key", "azurestoragekey", "storageaccountkey", "azure-storage-key"], "[A-Za-z0-9+/]{86}==", { minEntropy: 4.5 }),
  token("azure-ad-client-secret", "azure", "critical", "Azure AD (Entra ID) application client secret", ["0Q~", "1Q~", "2Q~", "3Q~", "4Q~", "5Q~", "6Q~", "7Q~", "8Q~", "9Q~"], "[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}", 42, { keywordsAt: "anywhere", minEntropy: 4 }),
  token("alibaba-access-key-id", "alibaba", "medium", "Alibaba Cloud AccessKey ID", ["LTAI"], "LTAI[A-Za-z0-9]{20}", 26, { minEntropy: 3.8 }),
];
