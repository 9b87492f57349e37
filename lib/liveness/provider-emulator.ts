// A local stand-in for the providers' identity endpoints, answering as their documentation says
// (GitHub 401 "Bad credentials", Slack 200 {ok:false,error:"invalid_auth"}, STS 403
// InvalidClientTokenId / SignatureDoesNotMatch, …). Used by tests and the demo: every verifier base
// URL points at one emulator on 127.0.0.1, and the emulator knows which tokens are live.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { signV4 } from "./aws-sigv4";
import { VERIFIER_PROVIDERS, type VerifierBaseUrls } from "./config";

export interface ProviderEmulator {
  url: string;
  /** every provider pointed at this emulator */
  baseUrls: VerifierBaseUrls;
  /** makes a token live (for AWS: the secret access key, with its key id) */
  setLive(token: string, awsKeyId?: string): void;
  /** revokes a token: the provider rejects it from now on */
  revoke(token: string): void;
  /** requests seen, by path (no credentials recorded) */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startProviderEmulator(opts: { live?: string[]; aws?: Array<{ keyId: string; secret: string }> } = {}): Promise<ProviderEmulator> {
  const live = new Set(opts.live ?? []);
  const aws = new Map((opts.aws ?? []).map((a) => [a.keyId, a.secret]));
  const hits = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://x").pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const h = req.headers;
      const bearer = /^Bearer (.+)$/.exec(String(h.authorization ?? ""))?.[1];
      const send = (status: number, payload: unknown, type = "application/json") => {
        res.writeHead(status, { "content-type": type });
        res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
      };
      const gate = (token: string | undefined, ok: unknown, bad: unknown, badStatus = 401) => (token && live.has(token) ? send(200, ok) : send(badStatus, bad));

      if (req.method === "GET" && path === "/user") return gate(bearer, { login: "octocat", id: 1 }, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
      if (req.method === "GET" && path === "/api/v4/personal_access_tokens/self") {
        return gate(String(h["private-token"] ?? ""), { id: 1, name: "ci", revoked: false, active: true, scopes: ["read_api"] }, { message: "401 Unauthorized" });
      }
      if (req.method === "POST" && path === "/api/auth.test") {
        return send(200, bearer && live.has(bearer) ? { ok: true, url: "https://acme.slack.com/", team: "Acme", user: "bot" } : { ok: false, error: "invalid_auth" });
      }
      if (req.method === "GET" && path === "/v1/balance") {
        const basic = /^Basic (.+)$/.exec(String(h.authorization ?? ""))?.[1];
        const key = basic ? Buffer.from(basic, "base64").toString("utf8").replace(/:$/, "") : undefined;
        return gate(key, { object: "balance", available: [] }, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
      }
      if (req.method === "GET" && path === "/v1/models") {
        if (h["x-api-key"] !== undefined) {
          if (h["anthropic-version"] === undefined) return send(400, { type: "error", error: { type: "invalid_request_error", message: "anthropic-version header is required" } });
          return gate(String(h["x-api-key"]), { data: [], has_more: false }, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
        }
        return gate(bearer, { object: "list", data: [] }, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
      }
      if (req.method === "GET" && path === "/v3/scopes") return gate(bearer, { scopes: ["mail.send"] }, { errors: [{ field: null, message: "authorization required" }] });
      if (req.method === "GET" && path === "/-/whoami") return gate(bearer, { username: "acme-ci" }, { error: "Unauthorized" });
      if (req.method === "GET" && path === "/api/whoami-v2") return gate(bearer, { type: "user", name: "acme-ml" }, { error: "Invalid credentials in Authorization header" });
      if (req.method === "GET" && path === "/v2/account") return gate(bearer, { account: { status: "active" } }, { id: "unauthorized", message: "Unable to authenticate you" });
      if (req.method === "GET" && path === "/openai/v1/models") return gate(bearer, { object: "list", data: [] }, { error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" } });
      if (req.method === "GET" && path === "/me") return gate(String(h["x-api-key"] ?? ""), { user: { id: 1 } }, { error: { name: "AuthenticationError", message: "Invalid API Key" } });
      if (req.method === "POST" && path === "/") return sts(req, body, send);
      send(404, { message: "Not Found" });
    });
  });

  function sts(req: http.IncomingMessage, body: string, send: (s: number, p: unknown, t?: string) => void): void {
    const err = (code: string) =>
      send(403, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>x</Message></Error></ErrorResponse>`, "text/xml");
    const auth = String(req.headers.authorization ?? "");
    const m = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{20})\/(\d{8})\/([a-z0-9-]+)\/sts\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m || body !== "Action=GetCallerIdentity&Version=2011-06-15") return send(400, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>", "text/xml");
    const keyId = m[1]!;
    const secret = aws.get(keyId);
    if (!secret || !live.has(secret)) return err("InvalidClientTokenId");
    const date = String(req.headers["x-amz-date"] ?? "");
    const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (!when) return err("IncompleteSignature");
    const signedNames = m[4]!.split(";");
    const headers: Record<string, string> = {};
    for (const n of signedNames) if (n !== "host" && n !== "x-amz-date") headers[n] = String(req.headers[n] ?? "");
    const expected = signV4({
      method: "POST",
      url: new URL(`http://${String(req.headers.host)}/`),
      headers,
      body,
      accessKeyId: keyId,
      secretAccessKey: secret,
      region: m[3]!,
      service: "sts",
      now: new Date(`${when[1]}-${when[2]}-${when[3]}T${when[4]}:${when[5]}:${when[6]}Z`),
    });
    if (expected.authorization !== auth) return err("SignatureDoesNotMatch");
    send(200, `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`, "text/xml");
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrls: Object.fromEntries(VERIFIER_PROVIDERS.map((p) => [p, url])) as VerifierBaseUrls,
    setLive(token, awsKeyId) {
      live.add(token);
      if (awsKeyId) aws.set(awsKeyId, token);
    },
    revoke(token) {
      live.delete(token);
    },
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface WorldPlanted {
  value?: unknown;
  image?: unknown;
  kind?: unknown;
  where?: unknown;
  deleted?: unknown;
}

/**
 * For the demo: an emulator that knows a simulator world's planted secrets, with a plausible mix
 * so the overview shows both: a secret in a `latest` tag (or a repository README) is still live;
 * one deleted in a later layer, or only in an older versioned tag, was rotated since (revoked).
 */
export async function startProviderEmulatorForWorld(world: unknown): Promise<ProviderEmulator> {
  const planted = ((world as { expected?: { plantedSecrets?: WorldPlanted[] } })?.expected?.plantedSecrets ?? []).filter(
    (p): p is WorldPlanted & { value: string } => typeof p.value === "string",
  );
  const emu = await startProviderEmulator();
  for (const p of planted) {
    if (p.deleted === true) continue;
    const tag = typeof p.image === "string" ? /:([^:/]+)$/.exec(p.image)?.[1] : undefined;
    if (tag !== undefined && tag !== "latest") continue;
    const keyId = p.kind === "aws" && typeof p.where === "string" ? /\b((?:AKIA|ABIA|ACCA)[A-Z0-9]{16})\b/.exec(p.where)?.[1] : undefined;
    emu.setLive(p.value, keyId);
  }
  return emu;
}
