// Every verifier against real HTTP servers on 127.0.0.1: the provider emulator (documented live
// and rejected answers) and a fault server (429, 5xx, redirects, timeouts, huge bodies, 403s).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signV4 } from "./aws-sigv4";
import { VERIFIER_PROVIDERS, type VerifierBaseUrls } from "./config";
import { startProviderEmulator, type ProviderEmulator } from "./provider-emulator";
import type { SecretMaterial } from "./seal";
import { hasVerifier, VERIFIERS, verifierFor } from "./verifiers";
import { createVerifierClient } from "./verify";

// one representative detector per provider, with a token shape for it (fake values)
const CASES: Array<{ provider: string; detector: string; live: SecretMaterial; dead: SecretMaterial }> = [
  { provider: "github", detector: "github-pat", live: { secret: "ghp_liveLIVElive000000000000000000000001" }, dead: { secret: "ghp_deadDEADdead000000000000000000000001" } },
  { provider: "gitlab", detector: "gitlab-pat", live: { secret: "glpat-liveLIVElive0000001" }, dead: { secret: "glpat-deadDEADdead0000001" } },
  { provider: "slack", detector: "slack-bot-token", live: { secret: "xoxb-111111111-222222222-liveLIVElive000000000001" }, dead: { secret: "xoxb-111111111-222222222-deadDEADdead000000000001" } },
  { provider: "stripe", detector: "stripe-secret-key", live: { secret: "sk_live_liveLIVElive000000000001" }, dead: { secret: "sk_live_deadDEADdead000000000001" } },
  { provider: "openai", detector: "openai-api-key", live: { secret: "sk-proj-liveLIVElive0000000000000000000000000001" }, dead: { secret: "sk-proj-deadDEADdead0000000000000000000000000001" } },
  { provider: "anthropic", detector: "anthropic-api-key", live: { secret: "sk-ant-api03-liveLIVElive01AA" }, dead: { secret: "sk-ant-api03-deadDEADdead01AA" } },
  { provider: "sendgrid", detector: "sendgrid-api-key", live: { secret: "SG.liveLIVElive.000000000001" }, dead: { secret: "SG.deadDEADdead.000000000001" } },
  { provider: "npm", detector: "npm-token", live: { secret: "npm_liveLIVElive00000000000000000000001" }, dead: { secret: "npm_deadDEADdead00000000000000000000001" } },
  { provider: "huggingface", detector: "huggingface-token", live: { secret: "hf_liveLIVElivexxxxxxxxxxxxxxxxxxxxxa" }, dead: { secret: "hf_deadDEADdeadxxxxxxxxxxxxxxxxxxxxxa" } },
  { provider: "digitalocean", detector: "digitalocean-pat", live: { secret: "dop_v1_" + "a".repeat(64) }, dead: { secret: "dop_v1_" + "b".repeat(64) } },
  { provider: "groq", detector: "groq-api-key", live: { secret: "gsk_liveLIVElive" + "0".repeat(40) }, dead: { secret: "gsk_deadDEADdead" + "0".repeat(40) } },
  { provider: "postman", detector: "postman-api-key", live: { secret: "PMAK-" + "a".repeat(24) + "-" + "c".repeat(34) }, dead: { secret: "PMAK-" + "b".repeat(24) + "-" + "c".repeat(34) } },
  {
    provider: "aws",
    detector: "aws-access-key",
    live: { secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLIVEKEY0001", keyId: "AKIAQYLPMN5HFIQR7Y01" },
    dead: { secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEADKEY0001", keyId: "AKIAQYLPMN5HFIQR7Y02" },
  },
];

interface FaultServer {
  url: string;
  hits: number;
  /** what the next requests get */
  mode: { status: number; body?: string; headers?: Record<string, string>; hang?: boolean; huge?: boolean };
  lastAuth: string[];
  close(): Promise<void>;
}

async function startFaultServer(): Promise<FaultServer> {
  const state: FaultServer = { url: "", hits: 0, mode: { status: 200 }, lastAuth: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    state.hits++;
    state.lastAuth.push(String(req.headers.authorization ?? req.headers["x-api-key"] ?? req.headers["private-token"] ?? ""));
    req.resume();
    const m = state.mode;
    if (m.hang) return; // never answers: the client's deadline must fire
    res.writeHead(m.status, { "content-type": "application/json", ...m.headers });
    if (m.huge) {
      // 8 MiB of JSON-ish noise: the client must stop reading at its cap
      const chunk = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const pump = () => {
        while (sent < 128) {
          sent++;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    res.end(m.body ?? "{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

const all = (url: string) => Object.fromEntries(VERIFIER_PROVIDERS.map((p) => [p, url])) as VerifierBaseUrls;

describe("verifier registry", () => {
  it("covers at least 8 providers and maps every listed detector to exactly one verifier", () => {
    expect(new Set(VERIFIERS.map((v) => v.provider)).size).toBeGreaterThanOrEqual(8);
    const seen = new Set<string>();
    for (const v of VERIFIERS) for (const d of v.detectors) {
      expect(seen.has(d), d).toBe(false);
      seen.add(d);
    }
    expect(hasVerifier("generic-secret")).toBe(false);
    expect(CASES.map((c) => c.provider).sort()).toEqual([...VERIFIER_PROVIDERS].sort());
  });

  it("every detector id in the registry exists in the scanner's detector set", async () => {
    const { DETECTORS } = await import("@/lib/scan/detectors");
    const ids = new Set(DETECTORS.map((d) => d.id));
    for (const v of VERIFIERS) for (const d of v.detectors) expect(ids.has(d), d).toBe(true);
  });
});

describe("verifiers against the provider emulator (documented live / rejected answers)", () => {
  let emu: ProviderEmulator;
  beforeAll(async () => {
    emu = await startProviderEmulator();
    for (const c of CASES) emu.setLive(c.live.secret, c.live.keyId);
  });
  afterAll(() => emu.close());

  for (const c of CASES) {
    it(`${c.provider}: a live credential is live, a rejected one is revoked`, async () => {
      const client = createVerifierClient({ baseUrls: emu.baseUrls, timeoutMs: 5000 });
      const a = await client.verify(c.detector, c.live);
      expect(a, c.provider).toEqual({ liveness: "live", reason: "authenticated" });
      const b = await client.verify(c.detector, c.dead);
      expect(b.liveness, c.provider).toBe("revoked");
      expect(JSON.stringify(b)).not.toContain(c.dead.secret);
    });
  }

  it("a credential revoked at the provider flips from live to revoked", async () => {
    const client = createVerifierClient({ baseUrls: emu.baseUrls });
    const c = CASES.find((x) => x.provider === "slack")!;
    const token = { secret: c.live.secret.replace("0001", "0777") };
    emu.setLive(token.secret);
    expect((await client.verify(c.detector, token)).liveness).toBe("live");
    emu.revoke(token.secret);
    expect(await client.verify(c.detector, token)).toEqual({ liveness: "revoked", reason: "rejected (invalid_auth)" });
  });

  it("AWS: a wrong secret for a known key id is revoked (SignatureDoesNotMatch); temporary keys are not checked", async () => {
    const client = createVerifierClient({ baseUrls: emu.baseUrls });
    const aws = CASES.find((x) => x.provider === "aws")!;
    expect(await client.verify("aws-access-key", { secret: aws.live.secret.replace("0001", "0002"), keyId: aws.live.keyId! })).toEqual({
      liveness: "revoked",
      reason: "secret does not match the access key id",
    });
    const before = emu.hits.get("/") ?? 0;
    expect((await client.verify("aws-access-key", { secret: aws.live.secret, keyId: "ASIAQYLPMN5HFIQR7Y01" })).liveness).toBe("unknown");
    expect((await client.verify("aws-access-key", { secret: aws.live.secret })).reason).toMatch(/no access key id/);
    expect(emu.hits.get("/") ?? 0).toBe(before);
  });

  it("a detector without a verifier is unknown and makes no call", async () => {
    const client = createVerifierClient({ baseUrls: emu.baseUrls });
    expect(await client.verify("generic-secret", { secret: "x".repeat(30) })).toEqual({ liveness: "unknown", reason: "no verifier for this detector" });
  });
});

describe("verifiers against faults (429, 5xx, redirects, timeouts, big bodies, 403)", () => {
  let f: FaultServer;
  let trap: FaultServer;
  beforeAll(async () => {
    f = await startFaultServer();
    trap = await startFaultServer();
  });
  afterAll(async () => {
    await f.close();
    await trap.close();
  });

  const check = (c: (typeof CASES)[number], timeoutMs = 3000) => createVerifierClient({ baseUrls: all(f.url), timeoutMs }).verify(c.detector, c.live);

  it("429 → unknown (rate limited) for every provider", async () => {
    f.mode = { status: 429, body: '{"ok":false,"error":"ratelimited"}' };
    for (const c of CASES) expect(await check(c), c.provider).toEqual({ liveness: "unknown", reason: "rate limited" });
  });

  it("5xx → unknown for every provider", async () => {
    for (const status of [500, 502, 503]) {
      f.mode = { status, body: "oops" };
      for (const c of CASES) {
        const r = await check(c);
        expect(r.liveness, `${c.provider} ${status}`).toBe("unknown");
        expect(r.reason).toBe(`provider error (${status})`);
      }
    }
  });

  it("redirects are never followed: the credential does not reach the redirect target", async () => {
    for (const status of [301, 302, 307, 308]) {
      f.mode = { status, headers: { location: `${trap.url}/steal` } };
      for (const c of CASES) {
        const r = await check(c);
        expect(r.liveness, `${c.provider} ${status}`).toBe("unknown");
        expect(r.reason).toMatch(/redirect/);
      }
    }
    expect(trap.hits).toBe(0);
  });

  it("a provider that never answers → unknown (timed out)", async () => {
    f.mode = { status: 200, hang: true };
    const c = CASES.find((x) => x.provider === "github")!;
    expect(await check(c, 300)).toEqual({ liveness: "unknown", reason: "timed out" });
  });

  it("an unreachable provider → unknown (unreachable), and the reason carries no URL or secret", async () => {
    const dead = await startFaultServer();
    const url = dead.url;
    await dead.close();
    const c = CASES.find((x) => x.provider === "npm")!;
    const r = await createVerifierClient({ baseUrls: all(url) }).verify(c.detector, c.live);
    expect(r).toEqual({ liveness: "unknown", reason: "unreachable" });
  });

  it("a huge body is read only up to the cap (the answer is still classified)", async () => {
    f.mode = { status: 200, huge: true };
    const c = CASES.find((x) => x.provider === "npm")!;
    expect(await createVerifierClient({ baseUrls: all(f.url), maxBodyBytes: 1024 }).verify(c.detector, c.live)).toEqual({ liveness: "live", reason: "authenticated" });
  });

  it("403 follows each provider's documented meaning", async () => {
    f.mode = { status: 403, body: '{"message":"forbidden"}' };
    const byProvider = Object.fromEntries(await Promise.all(CASES.map(async (c) => [c.provider, (await check(c)).liveness] as const)));
    // scoped-but-valid keys (documented 403 permission errors) count as live
    for (const p of ["stripe", "anthropic", "sendgrid", "gitlab", "digitalocean"]) expect(byProvider[p], p).toBe("live");
    for (const p of ["github", "openai", "npm", "huggingface", "groq", "postman", "aws"]) expect(byProvider[p], p).toBe("unknown");
    f.mode = { status: 403, body: '{"message":"API rate limit exceeded"}', headers: { "x-ratelimit-remaining": "0" } };
    expect(await check(CASES[0]!)).toEqual({ liveness: "unknown", reason: "rate limited" });
    f.mode = { status: 403, body: '{"message":"Resource not accessible by integration"}' };
    expect((await check(CASES[0]!)).liveness).toBe("live");
  });

  it("sends each provider's documented auth header (and only one call per check)", async () => {
    f.mode = { status: 200, body: '{"ok":true}' };
    f.lastAuth = [];
    const before = f.hits;
    for (const c of CASES) await check(c);
    expect(f.hits - before).toBe(CASES.length);
    const byProvider = Object.fromEntries(CASES.map((c, i) => [c.provider, f.lastAuth[i] ?? ""]));
    expect(byProvider.github).toBe(`Bearer ${CASES[0]!.live.secret}`);
    expect(byProvider.stripe).toBe(`Basic ${Buffer.from(`${CASES[3]!.live.secret}:`).toString("base64")}`);
    expect(byProvider.anthropic).toBe(CASES[5]!.live.secret);
    expect(byProvider.gitlab).toBe(CASES[1]!.live.secret);
    expect(byProvider.aws).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAQYLPMN5HFIQR7Y01\/\d{8}\/us-east-1\/sts\/aws4_request, /);
  });

  it("Slack's 200 answers are read from the body", async () => {
    const slack = CASES.find((x) => x.provider === "slack")!;
    f.mode = { status: 200, body: '{"ok":false,"error":"token_revoked"}' };
    expect(await check(slack)).toEqual({ liveness: "revoked", reason: "rejected (token_revoked)" });
    f.mode = { status: 200, body: "<html>" };
    expect((await check(slack)).liveness).toBe("unknown");
  });

  it("limits concurrent calls per provider", async () => {
    let active = 0;
    let peak = 0;
    const slow = http.createServer((req, res) => {
      active++;
      peak = Math.max(peak, active);
      req.resume();
      setTimeout(() => {
        active--;
        res.writeHead(200).end("{}");
      }, 50);
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const client = createVerifierClient({ baseUrls: all(url), concurrency: 8, perProviderConcurrency: 2 });
    const c = CASES.find((x) => x.provider === "npm")!;
    await Promise.all(Array.from({ length: 6 }, () => client.verify(c.detector, c.live)));
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
    expect(peak).toBe(2);
  });
});

describe("AWS SigV4", () => {
  it("matches the AWS Signature Version 4 test suite (get-vanilla)", () => {
    const h = signV4({
      method: "GET",
      url: new URL("https://example.amazonaws.com/"),
      headers: {},
      body: "",
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
      service: "service",
      now: new Date("2015-08-30T12:36:00Z"),
    });
    expect(h.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("the STS request is a signed form POST to / without a Host header of its own", () => {
    const v = verifierFor("aws-access-key")!;
    const req = v.request({ secret: "s".repeat(40), keyId: "AKIAQYLPMN5HFIQR7Y01" }, new URL("https://sts.amazonaws.com"), new Date("2026-01-01T00:00:00Z"));
    expect("method" in req && req.method).toBe("POST");
    if (!("method" in req)) return;
    expect(req.body).toBe("Action=GetCallerIdentity&Version=2011-06-15");
    expect(Object.keys(req.headers)).not.toContain("host");
    expect(req.headers["x-amz-date"]).toBe("20260101T000000Z");
  });
});

describe("the demo world's provider emulator", () => {
  it("answers live for secrets in a latest tag, revoked for those deleted in a later layer or only in versioned tags", async () => {
    const { loadWorldFile } = await import("@/lib/hubsim/world");
    const { startProviderEmulatorForWorld } = await import("./provider-emulator");
    const world = await loadWorldFile("lib/hubsim/worlds/acme-rockets.json");
    const planted = (world as unknown as { expected: { plantedSecrets: Array<{ value: string; kind: string; deleted: boolean; where: string; image: string }> } }).expected.plantedSecrets;
    const emu = await startProviderEmulatorForWorld(world);
    try {
      const client = createVerifierClient({ baseUrls: emu.baseUrls });
      const gl = planted.find((p) => p.kind === "gitlab")!;
      const gh = planted.find((p) => p.kind === "github" && p.image.endsWith(":latest"))!;
      const aws = planted.find((p) => p.kind === "aws" && p.image.endsWith(":latest"))!;
      const oldTag = planted.find((p) => p.kind === "github" && p.image.endsWith(":1.0.3"))!;
      expect((await client.verify("github-pat", { secret: oldTag.value })).liveness).toBe("revoked");
      expect(gl.deleted).toBe(true);
      expect((await client.verify("gitlab-pat", { secret: gl.value })).liveness).toBe("revoked");
      expect((await client.verify("github-pat", { secret: gh.value })).liveness).toBe("live");
      const keyId = /(AKIA[A-Z0-9]{16})/.exec(aws.where)![1]!;
      expect((await client.verify("aws-access-key", { secret: aws.value, keyId })).liveness).toBe("live");
    } finally {
      await emu.close();
    }
  });
});
