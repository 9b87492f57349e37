import { createHash } from "node:crypto";
import type http from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createRegistryReader } from "./registry";
import { MEDIA_TYPES } from "./registry-schemas";
import { fakeSleep, json, startTestServer, type TestServer } from "./test-server";

const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** A tiny in-memory registry speaking the v2 API over a real socket. */
class FakeRegistry {
  manifests = new Map<string, { body: Buffer; type: string; headerDigest?: string }>(); // by "repo@ref"
  blobs = new Map<string, Buffer>(); // by digest
  auth: "bearer" | "none" = "bearer";
  tokenExpiresIn: number | undefined = 300;
  issued = 0;
  /** when set, blob GETs 307 to this base */
  blobRedirect: string | null = null;
  private readonly valid = new Set<string>();

  constructor(readonly srv: TestServer) {}

  putBlob(data: Buffer | string): { digest: string; size: number } {
    const b = Buffer.from(data);
    const digest = sha(b);
    this.blobs.set(digest, b);
    return { digest, size: b.length };
  }

  putManifest(repo: string, tags: string[], body: object, type: string): string {
    const raw = Buffer.from(JSON.stringify(body, null, 2));
    const digest = sha(raw);
    for (const ref of [...tags, digest]) this.manifests.set(`${repo}@${ref}`, { body: raw, type });
    return digest;
  }

  image(repo: string, tag: string, platform = { os: "linux", architecture: "amd64" }, layerText = "layer") {
    const config = this.putBlob(JSON.stringify({ ...platform, config: { Env: ["A=1"] }, rootfs: { type: "layers", diff_ids: [] } }));
    const layer = this.putBlob(layerText);
    const body = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.dockerManifest,
      config: { mediaType: "application/vnd.docker.container.image.v1+json", ...config },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", ...layer }],
    };
    return { digest: this.putManifest(repo, [tag], body, MEDIA_TYPES.dockerManifest), config, layer, size: JSON.stringify(body, null, 2).length };
  }

  handle = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    if (url.pathname === "/token") {
      this.issued++;
      const t = `tok-${this.issued}-${url.searchParams.get("scope")}`;
      this.valid.add(t);
      return json(res, 200, { token: t, access_token: t, ...(this.tokenExpiresIn ? { expires_in: this.tokenExpiresIn } : {}) });
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) return json(res, 404, { errors: [{ code: "NOT_FOUND" }] });
    const [, repo, kind, ref] = m as unknown as [string, string, string, string];
    if (this.auth === "bearer") {
      const got = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (!this.valid.has(got) || !got.endsWith(`repository:${repo}:pull`)) {
        return json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }, {
          "www-authenticate": `Bearer realm="${this.srv.url}/token",service="test-registry",scope="repository:${repo}:pull"`,
        });
      }
    }
    if (kind === "manifests") {
      const e = this.manifests.get(`${repo}@${ref}`);
      if (!e) return json(res, 404, { errors: [{ code: "MANIFEST_UNKNOWN" }] });
      res.writeHead(200, {
        "content-type": e.type,
        "content-length": String(e.body.length),
        "docker-content-digest": e.headerDigest ?? sha(e.body),
        "ratelimit-limit": "100;w=21600",
        "ratelimit-remaining": "99;w=21600",
      });
      return void res.end(req.method === "HEAD" ? undefined : e.body);
    }
    const blob = this.blobs.get(ref);
    if (!blob) return json(res, 404, { errors: [{ code: "BLOB_UNKNOWN" }] });
    if (this.blobRedirect) {
      res.writeHead(307, { location: `${this.blobRedirect}/cdn/${ref}?sig=abc` });
      return void res.end();
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(blob.length) });
    res.end(blob);
  };
}

let srv: TestServer;
let reg: FakeRegistry;
beforeEach(async () => {
  srv = await startTestServer();
  reg = new FakeRegistry(srv);
  srv.handler = reg.handle;
});
afterEach(async () => {
  await srv.close();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe("token flow", () => {
  it("gets a token from the challenge's realm, caches it per scope, renews after expiry", async () => {
    const img = reg.image("acme/api", "1.0");
    reg.image("acme/web", "1.0");
    let now = 1_000_000;
    const r = createRegistryReader({ registryUrl: srv.url, now: () => now });
    expect((await r.headManifest("acme/api", "1.0"))?.digest).toBe(img.digest);
    expect((await r.headManifest("acme/api", "1.0"))?.digest).toBe(img.digest);
    expect(reg.issued).toBe(1);
    const tokenReq = srv.requests.find((q) => q.path === "/token")!;
    expect(tokenReq.url.searchParams.get("service")).toBe("test-registry");
    expect(tokenReq.url.searchParams.getAll("scope")).toEqual(["repository:acme/api:pull"]);
    expect(tokenReq.headers.authorization).toBeUndefined(); // anonymous
    // another repository = another scope = another token, fetched up front (realm is known)
    const before = srv.requests.length;
    await r.headManifest("acme/web", "1.0");
    expect(reg.issued).toBe(2);
    expect(srv.requests.slice(before).map((q) => q.path)).toEqual(["/token", "/v2/acme/web/manifests/1.0"]);
    // expiry (300 s) passes: renewed
    now += 301_000;
    await r.headManifest("acme/api", "1.0");
    expect(reg.issued).toBe(3);
  });

  it("assumes 60 s when expires_in is missing", async () => {
    reg.tokenExpiresIn = undefined;
    reg.image("a/b", "t");
    let now = 0;
    const r = createRegistryReader({ registryUrl: srv.url, now: () => now });
    await r.headManifest("a/b", "t");
    now += 45_000;
    await r.headManifest("a/b", "t");
    expect(reg.issued).toBe(1);
    now += 20_000;
    await r.headManifest("a/b", "t");
    expect(reg.issued).toBe(2);
  });

  it("sends Basic credentials to the token service when given", async () => {
    reg.image("a/b", "t");
    const r = createRegistryReader({ registryUrl: srv.url, credentials: { username: "jdoe", token: "dckr_pat_x" } });
    await r.headManifest("a/b", "t");
    const tokenReq = srv.requests.find((q) => q.path === "/token")!;
    expect(tokenReq.headers.authorization).toBe(`Basic ${Buffer.from("jdoe:dckr_pat_x").toString("base64")}`);
  });

  it("works against a registry that asks for no token", async () => {
    reg.auth = "none";
    const img = reg.image("a/b", "t");
    const r = createRegistryReader({ registryUrl: srv.url });
    const resolved = await r.resolveImage("a/b", "t");
    expect(resolved.digest).toBe(img.digest);
    expect(srv.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
    expect(reg.issued).toBe(0);
  });

  it("answers a Basic-only registry with the credentials, and only with them", async () => {
    const img = reg.image("a/b", "t");
    reg.auth = "none";
    const original = reg.handle;
    const basic = `Basic ${Buffer.from("jdoe:dckr_pat_x").toString("base64")}`;
    srv.handler = (q, s, u) =>
      q.headers.authorization === basic ? original(q, s, u) : json(s, 401, { errors: [{ code: "UNAUTHORIZED" }] }, { "www-authenticate": 'Basic realm="registry"' });
    expect(await createRegistryReader({ registryUrl: srv.url }).headManifest("a/b", "t")).toBeNull();
    const r = createRegistryReader({ registryUrl: srv.url, credentials: { username: "jdoe", token: "dckr_pat_x" } });
    expect((await r.headManifest("a/b", "t"))?.digest).toBe(img.digest);
    expect((await r.resolveImage("a/b", "t")).digest).toBe(img.digest);
    expect(reg.issued).toBe(0);
  });

  it("treats 401 after a token (private or missing repo) as not found", async () => {
    reg.image("a/b", "t");
    const original = reg.handle;
    srv.handler = (q, s, u) =>
      u.pathname.startsWith("/v2/a/secret/")
        ? json(s, 401, { errors: [{ code: "UNAUTHORIZED" }] }, { "www-authenticate": `Bearer realm="${srv.url}/token",service="x"` })
        : original(q, s, u);
    const r = createRegistryReader({ registryUrl: srv.url });
    expect(await r.headManifest("a/secret", "latest")).toBeNull();
    const e = await rejection(r.resolveImage("a/secret", "latest"));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toMatch(/not found or not public/);
    expect(await r.headManifest("a/b", "missing")).toBeNull();
  });
});

describe("manifests", () => {
  it("resolves a single Docker v2 manifest with its platform from the config", async () => {
    const img = reg.image("acme/api", "1.0", { os: "linux", architecture: "arm64" });
    const r = createRegistryReader({ registryUrl: srv.url });
    const out = await r.resolveImage("acme/api", "1.0");
    expect(out).toMatchObject({ repository: "acme/api", reference: "1.0", digest: img.digest, mediaType: MEDIA_TYPES.dockerManifest });
    expect(out.platforms).toHaveLength(1);
    expect(out.platforms[0]).toMatchObject({
      platform: { os: "linux", architecture: "arm64" },
      manifestDigest: img.digest,
      config: { digest: img.config.digest, size: img.config.size },
      layers: [{ digest: img.layer.digest, size: img.layer.size, mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip" }],
    });
    const manifestReq = srv.requests.find((q) => q.path === "/v2/acme/api/manifests/1.0" && q.headers.authorization)!;
    for (const t of Object.values(MEDIA_TYPES).slice(0, 4)) expect(manifestReq.headers.accept).toContain(t);
    expect(r.rateLimit()).toMatchObject({ pullLimit: 100, pullRemaining: 99, pullWindowSeconds: 21600 });
    await expect(r.resolveImage("acme/api", "1.0", { platform: "linux/amd64" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("resolves an OCI index: all platforms by default, attestations skipped, one on request", async () => {
    const amd = reg.image("acme/multi", "amd", { os: "linux", architecture: "amd64" }, "amd layer");
    const arm = reg.image("acme/multi", "arm", { os: "linux", architecture: "arm", variant: "v7" } as never, "arm layer");
    const att = reg.putBlob("{}");
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { mediaType: MEDIA_TYPES.dockerManifest, digest: amd.digest, size: amd.size, platform: { os: "linux", architecture: "amd64" } },
        { mediaType: MEDIA_TYPES.dockerManifest, digest: arm.digest, size: arm.size, platform: { os: "linux", architecture: "arm", variant: "v7" } },
        {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: att.digest,
          size: att.size,
          platform: { os: "unknown", architecture: "unknown" },
          annotations: { "vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": amd.digest },
        },
      ],
    };
    const idx = reg.putManifest("acme/multi", ["latest"], index, MEDIA_TYPES.ociIndex);
    const r = createRegistryReader({ registryUrl: srv.url });
    const all = await r.resolveImage("acme/multi", "latest");
    expect(all.digest).toBe(idx);
    expect(all.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(all.platforms.map((p) => p.platform)).toEqual([
      { os: "linux", architecture: "amd64" },
      { os: "linux", architecture: "arm", variant: "v7" },
    ]);
    expect(srv.requests.some((q) => q.path.endsWith(att.digest))).toBe(false);
    const one = await r.resolveImage("acme/multi", "latest", { platform: "linux/arm/v7" });
    expect(one.platforms.map((p) => p.manifestDigest)).toEqual([arm.digest]);
    const noVariant = await r.resolveImage("acme/multi", idx, { platform: "linux/arm" });
    expect(noVariant.platforms).toHaveLength(1);
    await expect(r.resolveImage("acme/multi", "latest", { platform: "windows/amd64" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(r.resolveImage("acme/multi", "latest", { platform: "linux" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("takes the platform of a platform-less index entry from its config", async () => {
    const win = reg.image("acme/np", "w", { os: "windows", architecture: "amd64" }, "win");
    const lin = reg.image("acme/np", "l", { os: "linux", architecture: "amd64" }, "lin");
    reg.putManifest(
      "acme/np",
      ["latest"],
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          { mediaType: MEDIA_TYPES.dockerManifest, digest: win.digest, size: win.size },
          { mediaType: MEDIA_TYPES.dockerManifest, digest: lin.digest, size: lin.size, platform: { os: "linux", architecture: "amd64" } },
        ],
      },
      MEDIA_TYPES.ociIndex,
    );
    const r = createRegistryReader({ registryUrl: srv.url });
    expect((await r.resolveImage("acme/np", "latest")).platforms.map((p) => p.platform.os)).toEqual(["windows", "linux"]);
    expect((await r.resolveImage("acme/np", "latest", { platform: "windows/amd64" })).platforms.map((p) => p.manifestDigest)).toEqual([win.digest]);
    await expect(r.resolveImage("acme/np", "latest", { platform: "linux/arm64" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rejects a manifest whose bytes do not match Docker-Content-Digest", async () => {
    reg.image("a/b", "t");
    reg.manifests.get("a/b@t")!.headerDigest = sha("something else");
    const r = createRegistryReader({ registryUrl: srv.url });
    const e = await rejection(r.resolveImage("a/b", "t"));
    expect(e.code).toBe("UPSTREAM_FAILED");
    expect(e.message).toMatch(/does not match its digest/);
  });

  it("rejects a manifest fetched by digest that hashes differently (header lies too)", async () => {
    const img = reg.image("a/b", "t");
    const entry = reg.manifests.get(`a/b@${img.digest}`)!;
    reg.manifests.set(`a/b@${img.digest}`, { ...entry, body: Buffer.concat([entry.body, Buffer.from(" ")]), headerDigest: img.digest });
    const r = createRegistryReader({ registryUrl: srv.url });
    await expect(r.resolveImage("a/b", img.digest)).rejects.toThrow(/does not match its digest/);
  });

  it("caps manifest size", async () => {
    const img = reg.image("a/b", "t");
    const r = createRegistryReader({ registryUrl: srv.url, maxManifestBytes: img.size - 1 });
    await expect(r.resolveImage("a/b", "t")).rejects.toThrow(/byte limit/);
  });

  it("HEAD reports digest, type and size without GETting the manifest", async () => {
    const img = reg.image("a/b", "t");
    const r = createRegistryReader({ registryUrl: srv.url });
    expect(await r.headManifest("a/b", "t")).toEqual({ digest: img.digest, mediaType: MEDIA_TYPES.dockerManifest, size: img.size });
    expect(srv.requests.filter((q) => q.path.includes("/manifests/")).every((q) => q.method === "HEAD")).toBe(true);
  });

  it("validates names and references before any request", async () => {
    const r = createRegistryReader({ registryUrl: srv.url });
    await expect(r.resolveImage("../etc", "t")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(r.resolveImage("a/b", "t?x=1")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(r.openBlob("a/b", "sha256:1234")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(srv.requests).toHaveLength(0);
  });
});

describe("configs and blobs", () => {
  it("parses a verified config and rejects one that does not match its digest", async () => {
    const img = reg.image("a/b", "t");
    const r = createRegistryReader({ registryUrl: srv.url });
    const cfg = await r.getConfig("a/b", { mediaType: "x", ...img.config });
    expect(cfg).toMatchObject({ os: "linux", architecture: "amd64", config: { Env: ["A=1"] } });
    reg.blobs.set(img.config.digest, Buffer.from('{"os":"evil"}'));
    const r2 = createRegistryReader({ registryUrl: srv.url });
    await expect(r2.getConfig("a/b", { mediaType: "x", ...img.config })).rejects.toThrow(/does not match its digest/);
  });

  it("refuses configs above the size cap", async () => {
    const img = reg.image("a/b", "t");
    const r = createRegistryReader({ registryUrl: srv.url, maxConfigBytes: 10 });
    await expect(r.getConfig("a/b", { mediaType: "x", ...img.config })).rejects.toThrow(/10-byte limit/);
  });

  it("streams a blob and verifies it", async () => {
    const data = Buffer.alloc(300_000, 7);
    const blob = reg.putBlob(data);
    const r = createRegistryReader({ registryUrl: srv.url });
    const s = await r.openBlob("a/b", blob.digest, { expectedSize: blob.size });
    expect((await readAll(s)).equals(data)).toBe(true);
    expect(r.http.inFlight).toBe(0);
  });

  it("emits the bytes, then errors at the end when the blob does not match its digest", async () => {
    const blob = reg.putBlob("original");
    reg.blobs.set(blob.digest, Buffer.from("tampered"));
    const r = createRegistryReader({ registryUrl: srv.url });
    const s = await r.openBlob("a/b", blob.digest);
    const got: Buffer[] = [];
    s.on("data", (c: Buffer) => got.push(c));
    const err = await new Promise<unknown>((resolve) => {
      s.on("error", resolve);
      s.on("end", () => resolve(null));
    });
    expect(Buffer.concat(got).toString()).toBe("tampered");
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/does not match its digest/);
  });

  it("fails a truncated blob against its expected size and caps endless ones", async () => {
    const blob = reg.putBlob("0123456789");
    reg.blobs.set(blob.digest, Buffer.from("01234"));
    const r = createRegistryReader({ registryUrl: srv.url });
    await expect(readAll(await r.openBlob("a/b", blob.digest, { expectedSize: 10 }))).rejects.toThrow(/5 bytes, expected 10/);
    const big = reg.putBlob(Buffer.alloc(5000));
    // declared too big: refused before reading
    await expect(r.openBlob("a/b", big.digest, { maxBytes: 100 })).rejects.toThrow(/5000 bytes, more than the 100-byte limit/);
    // undeclared (chunked) and too big: the stream fails once past the cap
    const original = reg.handle;
    srv.handler = (q, s, u) => {
      if (!u.pathname.includes("/blobs/") || !q.headers.authorization) return original(q, s, u);
      s.writeHead(200, { "content-type": "application/octet-stream" });
      s.write(Buffer.alloc(3000));
      s.end(Buffer.alloc(2000));
    };
    await expect(readAll(await r.openBlob("a/b", big.digest, { maxBytes: 100 }))).rejects.toThrow(/larger than 100 bytes/);
    expect(r.http.inFlight).toBe(0);
  });

  it("follows a blob redirect to another host without the Authorization header", async () => {
    const blob = reg.putBlob("layer bytes from the CDN");
    let cdnHost = "127.0.0.2";
    let cdn: TestServer;
    try {
      cdn = await startTestServer(undefined, cdnHost);
    } catch {
      cdnHost = "localhost"; // no 127.0.0.2 here: a different host name is still another origin
      cdn = await startTestServer(undefined, cdnHost);
    }
    try {
      cdn.handler = (_q, s, u) => {
        const digest = u.pathname.replace("/cdn/", "");
        const b = reg.blobs.get(digest);
        s.writeHead(b ? 200 : 404);
        s.end(b);
      };
      reg.blobRedirect = cdn.url;
      const r = createRegistryReader({ registryUrl: srv.url });
      const s = await r.openBlob("a/b", blob.digest);
      expect((await readAll(s)).toString()).toBe("layer bytes from the CDN");
      const regBlobReq = srv.requests.filter((q) => q.path.includes("/blobs/"));
      expect(regBlobReq.at(-1)!.headers.authorization).toMatch(/^Bearer /);
      expect(cdn.requests).toHaveLength(1);
      expect(cdn.requests[0]!.headers.authorization).toBeUndefined();
      expect(cdn.requests[0]!.url.searchParams.get("sig")).toBe("abc");
    } finally {
      await cdn.close();
    }
  });

  it("retries a 5xx manifest GET (with injected sleep) and stays within attempts", async () => {
    const img = reg.image("a/b", "t");
    let fails = 2;
    const original = reg.handle;
    srv.handler = (q, s, u) => (u.pathname.includes("/manifests/") && q.headers.authorization && fails-- > 0 ? json(s, 503, {}) : original(q, s, u));
    const fs = fakeSleep();
    const r = createRegistryReader({ registryUrl: srv.url, sleep: fs.sleep });
    expect((await r.resolveImage("a/b", "t")).digest).toBe(img.digest);
    expect(fs.calls).toHaveLength(2);
  });
});
