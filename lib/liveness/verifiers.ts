// The verifier registry, keyed by detector id. Each verifier makes ONE read-only identity call
// documented by its provider (the same calls TruffleHog and GitGuardian use) and maps the answer:
// accepted → live, rejected credentials → revoked, anything else (429, 5xx, redirects, odd
// answers, timeouts) → unknown. A 403 means "authenticated but not allowed here" for providers
// whose docs say so (the key works, it is only scoped): those count as live.
import { signV4 } from "./aws-sigv4";
import type { VerifierBaseUrls, VerifierProvider } from "./config";
import type { ProbeRequest, ProbeResponse } from "./http";
import type { SecretMaterial } from "./seal";
import { live, revoked, unknown, type VerifyOutcome } from "./types";

export interface VerifierDef {
  provider: VerifierProvider;
  detectors: readonly string[];
  defaultBaseUrl: string;
  /** the documented endpoint, for docs/liveness.md and the UI */
  endpoint: string;
  /** the request, or an outcome when the material cannot be checked (e.g. AWS temporary keys) */
  request(m: SecretMaterial, base: URL, now: Date): ProbeRequest | VerifyOutcome;
  classify(r: ProbeResponse): VerifyOutcome;
}

const at = (base: URL, path: string) => new URL(base.pathname.replace(/\/$/, "") + path, base);
const bearer = (s: string) => ({ authorization: `Bearer ${s}` });

/** The common status mapping; `forbidden` says what a 403 means for this provider. */
function byStatus(r: ProbeResponse, forbidden: "live" | "unknown" = "unknown"): VerifyOutcome {
  const s = r.status;
  if (s >= 200 && s < 300) return live("authenticated");
  if (s === 401) return revoked("rejected (401)");
  if (s === 403) return forbidden === "live" ? live("valid, not permitted on the identity endpoint (403)") : unknown("forbidden (403)");
  return other(s);
}

function other(s: number): VerifyOutcome {
  if (s === 429) return unknown("rate limited");
  if (s >= 300 && s < 400) return unknown(`unexpected redirect (${s}), not followed`);
  if (s >= 500) return unknown(`provider error (${s})`);
  return unknown(`unexpected answer (${s})`);
}

function json(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The common shape: GET <path> with a bearer token, classified by status. */
function bearerGet(provider: VerifierProvider, detectors: readonly string[], defaultBaseUrl: string, path: string, forbidden: "live" | "unknown" = "unknown"): VerifierDef {
  return {
    provider,
    detectors,
    defaultBaseUrl,
    endpoint: `GET ${path}`,
    request: (m, base) => ({ method: "GET", url: at(base, path), headers: bearer(m.secret) }),
    classify: (r) => byStatus(r, forbidden),
  };
}

const SLACK_REVOKED = new Set(["invalid_auth", "token_revoked", "account_inactive", "token_expired", "not_authed", "no_permission", "team_disabled", "user_removed_from_team"]);

export const VERIFIERS: readonly VerifierDef[] = [
  {
    provider: "github",
    detectors: ["github-pat", "github-oauth-token", "github-user-to-server-token", "github-server-to-server-token", "github-fine-grained-pat"],
    defaultBaseUrl: "https://api.github.com",
    endpoint: "GET /user",
    request: (m, base) => ({
      method: "GET",
      url: at(base, "/user"),
      headers: { ...bearer(m.secret), accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    }),
    classify: (r) => {
      if (r.status === 403 || r.status === 429) {
        if (r.headers.get("x-ratelimit-remaining") === "0" || /rate limit/i.test(r.body)) return unknown("rate limited");
        // installation (ghs_) tokens are valid but may not read /user
        if (/not accessible by integration/i.test(r.body)) return live("valid installation token (403 on /user)");
      }
      return byStatus(r);
    },
  },
  {
    provider: "gitlab",
    detectors: ["gitlab-pat"],
    defaultBaseUrl: "https://gitlab.com",
    endpoint: "GET /api/v4/personal_access_tokens/self",
    request: (m, base) => ({ method: "GET", url: at(base, "/api/v4/personal_access_tokens/self"), headers: { "private-token": m.secret } }),
    classify: (r) => {
      if (r.status === 200) {
        const b = json(r.body);
        if (b && (b.revoked === true || b.active === false)) return revoked("token inactive or revoked");
        return live("authenticated");
      }
      // 403 insufficient_scope: the token authenticated but lacks read_api
      return byStatus(r, "live");
    },
  },
  {
    provider: "slack",
    detectors: ["slack-bot-token", "slack-user-token", "slack-legacy-token"],
    defaultBaseUrl: "https://slack.com",
    endpoint: "POST /api/auth.test",
    request: (m, base) => ({ method: "POST", url: at(base, "/api/auth.test"), headers: { ...bearer(m.secret), "content-type": "application/x-www-form-urlencoded" }, body: "" }),
    classify: (r) => {
      // Slack answers 200 with {ok:false, error} for bad tokens
      if (r.status !== 200) return other(r.status);
      const b = json(r.body);
      if (!b) return unknown("unreadable answer");
      if (b.ok === true) return live("authenticated");
      const err = typeof b.error === "string" ? b.error : "";
      if (SLACK_REVOKED.has(err)) return revoked(`rejected (${err})`);
      if (err === "ratelimited") return unknown("rate limited");
      return unknown(err ? `unexpected error (${err.slice(0, 40).replace(/[^a-z_]/g, "")})` : "unexpected answer");
    },
  },
  {
    provider: "stripe",
    detectors: ["stripe-secret-key", "stripe-restricted-key", "stripe-test-key"],
    defaultBaseUrl: "https://api.stripe.com",
    endpoint: "GET /v1/balance",
    request: (m, base) => ({ method: "GET", url: at(base, "/v1/balance"), headers: { authorization: `Basic ${Buffer.from(`${m.secret}:`).toString("base64")}` } }),
    // a restricted key without balance read gets 403: the key itself is valid
    classify: (r) => byStatus(r, "live"),
  },
  {
    provider: "openai",
    detectors: ["openai-api-key"],
    defaultBaseUrl: "https://api.openai.com",
    endpoint: "GET /v1/models",
    request: (m, base) => ({ method: "GET", url: at(base, "/v1/models"), headers: bearer(m.secret) }),
    classify: (r) => {
      // restricted project keys without model read answer 403 "insufficient permissions"/"missing scopes"
      if (r.status === 403 && /insufficient permissions|missing scopes/i.test(r.body)) return live("valid, restricted key (403)");
      return byStatus(r);
    },
  },
  {
    provider: "anthropic",
    detectors: ["anthropic-api-key"],
    defaultBaseUrl: "https://api.anthropic.com",
    endpoint: "GET /v1/models",
    request: (m, base) => ({ method: "GET", url: at(base, "/v1/models"), headers: { "x-api-key": m.secret, "anthropic-version": "2023-06-01" } }),
    classify: (r) => (r.status === 529 ? unknown("provider overloaded (529)") : byStatus(r, "live")),
  },
  bearerGet("sendgrid", ["sendgrid-api-key"], "https://api.sendgrid.com", "/v3/scopes", "live"),
  bearerGet("npm", ["npm-token"], "https://registry.npmjs.org", "/-/whoami"),
  bearerGet("huggingface", ["huggingface-token"], "https://huggingface.co", "/api/whoami-v2"),
  bearerGet("digitalocean", ["digitalocean-pat", "digitalocean-oauth-token"], "https://api.digitalocean.com", "/v2/account", "live"),
  bearerGet("groq", ["groq-api-key"], "https://api.groq.com", "/openai/v1/models"),
  {
    provider: "postman",
    detectors: ["postman-api-key"],
    defaultBaseUrl: "https://api.getpostman.com",
    endpoint: "GET /me",
    request: (m, base) => ({ method: "GET", url: at(base, "/me"), headers: { "x-api-key": m.secret } }),
    classify: (r) => byStatus(r),
  },
  {
    provider: "aws",
    // aws-secret-access-key: the secret named without its id beside it; paired at capture time
    detectors: ["aws-access-key", "aws-secret-access-key"],
    defaultBaseUrl: "https://sts.amazonaws.com",
    endpoint: "POST / Action=GetCallerIdentity (SigV4, us-east-1)",
    request: (m, base, now) => {
      if (!m.keyId) return unknown("no access key id next to the secret");
      if (m.keyId.startsWith("ASIA")) return unknown("temporary credentials need their session token");
      const url = at(base, "/");
      const body = "Action=GetCallerIdentity&Version=2011-06-15";
      const signed = signV4({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body,
        accessKeyId: m.keyId,
        secretAccessKey: m.secret,
        region: "us-east-1",
        service: "sts",
        now,
      });
      // fetch sets Host itself (to the same value that was signed)
      const { host: _host, ...headers } = signed;
      return { method: "POST", url, headers, body };
    },
    classify: (r) => {
      if (r.status === 200) return live("authenticated");
      const code = /<Code>([A-Za-z]{1,64})<\/Code>/.exec(r.body)?.[1] ?? json(r.body)?.Error;
      if (code === "InvalidClientTokenId") return revoked("access key id unknown or deactivated");
      if (code === "SignatureDoesNotMatch") return revoked("secret does not match the access key id");
      if (code === "Throttling" || r.status === 429) return unknown("rate limited");
      if (r.status === 403 && code === "AccessDenied") return live("valid, denied GetCallerIdentity (403)");
      return other(r.status === 403 ? 400 : r.status);
    },
  },
];

const BY_DETECTOR: ReadonlyMap<string, VerifierDef> = new Map(VERIFIERS.flatMap((v) => v.detectors.map((d) => [d, v] as const)));

export function verifierFor(detector: string): VerifierDef | undefined {
  return BY_DETECTOR.get(detector);
}

export function hasVerifier(detector: string): boolean {
  return BY_DETECTOR.has(detector);
}

export const VERIFIABLE_DETECTORS: readonly string[] = [...BY_DETECTOR.keys()];

export function baseUrlFor(v: VerifierDef, overrides: VerifierBaseUrls): URL {
  return new URL(overrides[v.provider] ?? v.defaultBaseUrl);
}
