// Conformance of lib/hub's registry reader against a real CNCF distribution registry
// (Debian `docker-registry`) with token auth, images built by umoci and pushed by skopeo.
// Needs: apt-get install -y docker-registry skopeo umoci (openssl is in the base system).
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createRegistryReader, MEDIA_TYPES, type RegistryClient } from "@/lib/hub";
import {
  generateTokenKeys,
  missingTools,
  ociLayout,
  skopeoCopy,
  startBlobCdn,
  startRegistry,
  startTokenServer,
  umoci,
  type BlobCdn,
  type OciLayout,
  type RunningRegistry,
  type TokenServer,
} from "../support/registry";

const missing = missingTools();
const suite = missing.length ? describe.skip : describe;
if (missing.length) {
  console.warn(`registry conformance suite skipped: missing ${missing.join(", ")} (apt-get install -y docker-registry skopeo umoci)`);
}

const SERVICE = "stowaway-conformance";
const ISSUER = "stowaway-test-issuer";
const PUSHER = { username: "pusher", password: "push-secret-not-real" };

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

function findFile(dir: string, name: string, underPath: string): string | null {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) {
      const r = findFile(p, name, underPath);
      if (r) return r;
    } else if (e === name && p.includes(underPath)) return p;
  }
  return null;
}

suite(`registry conformance (real docker-registry${missing.length ? `; skipped: missing ${missing.join(", ")}` : ""})`, () => {
  let work: string;
  let storage: string;
  let tokens: TokenServer;
  let plain: RunningRegistry;
  let redirecting: RunningRegistry;
  let open: RunningRegistry;
  let cdn: BlobCdn;
  let layout: OciLayout;
  let bigLayer: Buffer;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), "stowaway-regconf-"));
    storage = path.join(work, "storage");
    const keys = await generateTokenKeys(work);
    tokens = await startTokenServer({ keys, issuer: ISSUER, service: SERVICE, users: { [PUSHER.username]: PUSHER.password } });
    const common = { dir: work, storageDir: storage, realm: tokens.realm, service: SERVICE, issuer: ISSUER, certPath: keys.certPath };
    plain = await startRegistry({ ...common, name: "plain" });
    cdn = await startBlobCdn(storage);
    redirecting = await startRegistry({ ...common, name: "redirecting", redirectBaseUrl: cdn.url });
    open = await startRegistry({ ...common, name: "open", realm: null }); // same storage, no auth at all

    // --- real images: umoci builds OCI layouts (layers are real tar+gzip) ---
    const oci = path.join(work, "oci");
    await umoci(["init", "--layout", oci], work);
    writeFileSync(path.join(work, "app.env"), "STRIPE_KEY=sk_live_FAKE_conformance\n");
    bigLayer = randomBytes(1536 * 1024); // incompressible: a layer of ~1.5 MiB streams in many chunks
    writeFileSync(path.join(work, "big.bin"), bigLayer);
    await umoci(["new", "--image", `${oci}:amd`], work);
    await umoci(["insert", "--image", `${oci}:amd`, path.join(work, "app.env"), "/app/.env"], work);
    await umoci(["insert", "--image", `${oci}:amd`, path.join(work, "big.bin"), "/app/big.bin"], work);
    await umoci(["insert", "--image", `${oci}:amd`, "--whiteout", "/app/.env"], work);
    await umoci(
      ["config", "--image", `${oci}:amd`, "--os", "linux", "--architecture", "amd64", "--config.env", "API_TOKEN=FAKE_TOKEN_123", "--config.label", "org.opencontainers.image.source=https://git.acme-rockets.com/ops/api", "--config.cmd", "/app/run"],
      work,
    );
    await umoci(["new", "--image", `${oci}:arm`], work);
    await umoci(["insert", "--image", `${oci}:arm`, path.join(work, "app.env"), "/app/.env"], work);
    await umoci(["config", "--image", `${oci}:arm`, "--os", "linux", "--architecture", "arm64", "--config.env", "ARCH=arm64"], work);
    await umoci(["new", "--image", `${oci}:tamper`], work);
    writeFileSync(path.join(work, "tamper.txt"), `unique ${Date.now()} ${Math.random()}`);
    await umoci(["insert", "--image", `${oci}:tamper`, path.join(work, "tamper.txt"), "/tamper.txt"], work);
    await umoci(["new", "--image", `${oci}:zimg`], work);
    writeFileSync(path.join(work, "z.txt"), `zstd ${Date.now()} ${Math.random()}`);
    await umoci(["insert", "--image", `${oci}:zimg`, path.join(work, "z.txt"), "/z.txt"], work);

    // --- a multi-platform OCI index with a BuildKit-style attestation manifest, by hand ---
    layout = ociLayout(oci);
    const amd = layout.ref("amd");
    const arm = layout.ref("arm");
    const statement = layout.putBlob(JSON.stringify({ _type: "https://in-toto.io/Statement/v0.1", predicateType: "https://slsa.dev/provenance/v0.2", subject: [{ digest: { sha256: amd.digest.slice(7) } }] }));
    const attConfig = layout.putBlob(JSON.stringify({ architecture: "unknown", os: "unknown", config: {}, rootfs: { type: "layers", diff_ids: [statement.digest] } }));
    const attManifest = layout.putBlob(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...attConfig },
        layers: [{ mediaType: "application/vnd.in-toto+json", ...statement, annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2" } }],
      }),
    );
    const index = (withAttestation: boolean) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          { ...amd, platform: { os: "linux", architecture: "amd64" } },
          { ...arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          ...(withAttestation
            ? [{ mediaType: MEDIA_TYPES.ociManifest, ...attManifest, platform: { os: "unknown", architecture: "unknown" }, annotations: { "vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": amd.digest } }]
            : []),
        ],
      });
    layout.tag("multi", { mediaType: MEDIA_TYPES.ociIndex, ...layout.putBlob(index(true)) });
    layout.tag("multi-plain", { mediaType: MEDIA_TYPES.ociIndex, ...layout.putBlob(index(false)) });

    // --- push with skopeo through the token flow (Basic → token service → bearer) ---
    const creds = `${PUSHER.username}:${PUSHER.password}`;
    const home = path.join(work, "home");
    const dest = (repo: string) => `docker://${plain.host}/${repo}`;
    await skopeoCopy(`oci:${oci}:amd`, dest("acme/oci-single:1.0"), { creds, home, format: "oci" });
    await skopeoCopy(`oci:${oci}:amd`, dest("acme/docker-single:1.0"), { creds, home, format: "v2s2" });
    await skopeoCopy(`oci:${oci}:multi`, dest("acme/multi:latest"), { creds, home, all: true });
    await skopeoCopy(`oci:${oci}:multi-plain`, dest("acme/multi-docker:latest"), { creds, home, all: true, format: "v2s2" });
    await skopeoCopy(`oci:${oci}:arm`, dest("private/secret:1.0"), { creds, home, format: "oci" });
    await skopeoCopy(`oci:${oci}:tamper`, dest("acme/tamper:1.0"), { creds, home, format: "oci" });
    // a layer the registry has never seen: skopeo would otherwise reuse the known gzip blob
    await skopeoCopy(`oci:${oci}:zimg`, dest("acme/zstd:1.0"), { creds, home, format: "oci", compress: "zstd" });
    tokens.requests.length = 0;
  }, 180_000);

  afterAll(async () => {
    await plain?.stop();
    await redirecting?.stop();
    await open?.stop();
    await cdn?.close();
    await tokens?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const reader = (reg: RunningRegistry, opts: Parameters<typeof createRegistryReader>[0] = {}): RegistryClient =>
    createRegistryReader({ registryUrl: reg.url, ...opts });

  it("runs the token flow: realm and service from the challenge, one token per repository scope", async () => {
    const r = reader(plain);
    await r.resolveImage("acme/oci-single", "1.0");
    await r.resolveImage("acme/oci-single", "1.0");
    const anon = tokens.requests.filter((q) => q.scopes.includes("repository:acme/oci-single:pull"));
    expect(anon).toHaveLength(1);
    expect(anon[0]).toMatchObject({ account: null, service: SERVICE });
    const withCreds = reader(plain, { credentials: { username: PUSHER.username, token: PUSHER.password } });
    await withCreds.headManifest("acme/oci-single", "1.0");
    expect(tokens.requests.at(-1)).toMatchObject({ account: PUSHER.username, scopes: ["repository:acme/oci-single:pull"] });
    const bad = reader(plain, { credentials: { username: PUSHER.username, token: "wrong" } });
    await expect(bad.headManifest("acme/oci-single", "1.0")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("works with a registry that asks for no token", async () => {
    const before = tokens.requests.length;
    const r = reader(open);
    const img = await r.resolveImage("acme/multi", "latest");
    expect(img.platforms).toHaveLength(2);
    const l = img.platforms[0]!.layers[0]!;
    expect(sha256(await readAll(await r.openBlob("acme/multi", l.digest)))).toBe(l.digest);
    expect(tokens.requests.length).toBe(before);
  });

  it("reads an OCI image manifest and its verified config", async () => {
    const r = reader(plain);
    const img = await r.resolveImage("acme/oci-single", "1.0");
    expect(img.mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(img.digest).toBe(layout.ref("amd").digest); // skopeo kept the bytes: same digest
    expect(img.platforms).toHaveLength(1);
    const p = img.platforms[0]!;
    expect(p.platform).toEqual({ os: "linux", architecture: "amd64" });
    expect(p.layers).toHaveLength(3);
    expect(p.layers.every((l) => l.mediaType === "application/vnd.oci.image.layer.v1.tar+gzip")).toBe(true);
    const cfg = await r.getConfig("acme/oci-single", p.config);
    expect(cfg.config?.Env).toContain("API_TOKEN=FAKE_TOKEN_123");
    expect(cfg.config?.Labels?.["org.opencontainers.image.source"]).toBe("https://git.acme-rockets.com/ops/api");
    expect(cfg.rootfs?.diff_ids).toHaveLength(3);
    expect(sha256(layout.readBlob(p.config.digest))).toBe(p.config.digest);
  });

  it("reads a Docker v2 schema 2 manifest (skopeo --format v2s2)", async () => {
    const img = await reader(plain).resolveImage("acme/docker-single", "1.0");
    expect(img.mediaType).toBe(MEDIA_TYPES.dockerManifest);
    const p = img.platforms[0]!;
    expect(p.manifestMediaType).toBe(MEDIA_TYPES.dockerManifest);
    expect(p.config.mediaType).toBe("application/vnd.docker.container.image.v1+json");
    expect(p.layers.every((l) => l.mediaType === "application/vnd.docker.image.rootfs.diff.tar.gzip")).toBe(true);
    expect(p.platform).toEqual({ os: "linux", architecture: "amd64" });
  });

  it("resolves an OCI index: all platforms, attestation skipped, platform selection", async () => {
    const r = reader(plain);
    const all = await r.resolveImage("acme/multi", "latest");
    expect(all.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(all.digest).toBe(layout.ref("multi").digest);
    expect(all.platforms.map((p) => p.platform)).toEqual([
      { os: "linux", architecture: "amd64" },
      { os: "linux", architecture: "arm64", variant: "v8" },
    ]);
    expect(all.platforms.map((p) => p.manifestDigest)).toEqual([layout.ref("amd").digest, layout.ref("arm").digest]);
    const arm = await r.resolveImage("acme/multi", "latest", { platform: "linux/arm64/v8" });
    expect(arm.platforms.map((p) => p.manifestDigest)).toEqual([layout.ref("arm").digest]);
    expect((await r.resolveImage("acme/multi", all.digest, { platform: "linux/amd64" })).platforms).toHaveLength(1);
    await expect(r.resolveImage("acme/multi", "latest", { platform: "linux/s390x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("resolves a Docker manifest list (index converted by skopeo --format v2s2)", async () => {
    const img = await reader(plain).resolveImage("acme/multi-docker", "latest");
    expect(img.mediaType).toBe(MEDIA_TYPES.dockerList);
    expect(img.platforms.map((p) => `${p.platform.os}/${p.platform.architecture}`)).toEqual(["linux/amd64", "linux/arm64"]);
    expect(img.platforms.every((p) => p.manifestMediaType === MEDIA_TYPES.dockerManifest)).toBe(true);
  });

  it("learns digests with HEAD; missing and private repositories are null / NOT_FOUND", async () => {
    const r = reader(plain);
    for (const [repo, ref] of [["acme/oci-single", "1.0"], ["acme/docker-single", "1.0"], ["acme/multi", "latest"], ["acme/multi-docker", "latest"]] as const) {
      const head = await r.headManifest(repo, ref);
      const full = await r.resolveImage(repo, ref);
      expect(head?.digest).toBe(full.digest);
      expect(head?.mediaType).toBe(full.mediaType);
      expect(head?.size).toBeGreaterThan(0);
    }
    const byDigest = await r.headManifest("acme/multi", layout.ref("multi").digest);
    expect(byDigest?.digest).toBe(layout.ref("multi").digest);
    expect(await r.headManifest("acme/oci-single", "nope")).toBeNull();
    expect(await r.headManifest("acme/does-not-exist", "1.0")).toBeNull();
    expect(await r.headManifest("private/secret", "1.0")).toBeNull(); // token granted no pull
    await expect(r.resolveImage("private/secret", "1.0")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const pusher = reader(plain, { credentials: { username: PUSHER.username, token: PUSHER.password } });
    expect((await pusher.resolveImage("private/secret", "1.0")).platforms[0]!.platform.architecture).toBe("arm64");
  });

  it("streams every layer blob, verified, byte-identical to what was pushed", async () => {
    const r = reader(plain);
    const img = await r.resolveImage("acme/oci-single", "1.0");
    const layers = img.platforms[0]!.layers;
    for (const l of layers) {
      const bytes = await readAll(await r.openBlob("acme/oci-single", l.digest, { expectedSize: l.size }));
      expect(bytes.length).toBe(l.size);
      expect(sha256(bytes)).toBe(l.digest);
      expect(bytes.equals(layout.readBlob(l.digest))).toBe(true);
    }
    const tars = await Promise.all(layers.map(async (l) => gunzipSync(await readAll(await r.openBlob("acme/oci-single", l.digest)))));
    expect(tars[0]!.includes(Buffer.from("app/.env"))).toBe(true);
    expect(tars[1]!.includes(bigLayer.subarray(0, 4096))).toBe(true);
    expect(tars[2]!.includes(Buffer.from("app/.wh..env"))).toBe(true); // the whiteout of the secret file
    expect(r.http.inFlight).toBe(0);
  });

  it("reads OCI tar+zstd layers (skopeo --dest-compress-format zstd)", async () => {
    const r = reader(plain);
    const img = await r.resolveImage("acme/zstd", "1.0");
    const layers = img.platforms[0]!.layers;
    expect(layers.map((l) => l.mediaType)).toEqual(["application/vnd.oci.image.layer.v1.tar+zstd"]);
    const bytes = await readAll(await r.openBlob("acme/zstd", layers[0]!.digest, { expectedSize: layers[0]!.size }));
    expect([...bytes.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]); // zstd frame magic
    expect(sha256(bytes)).toBe(layers[0]!.digest);
  });

  it("follows the registry's blob redirect to another host without Authorization", async () => {
    const r = reader(redirecting);
    const img = await r.resolveImage("acme/docker-single", "1.0");
    const p = img.platforms[0]!;
    const cfg = await r.getConfig("acme/docker-single", p.config);
    expect(cfg.config?.Env).toContain("API_TOKEN=FAKE_TOKEN_123");
    const big = p.layers.reduce((a, b) => (b.size > a.size ? b : a));
    const bytes = await readAll(await r.openBlob("acme/docker-single", big.digest, { expectedSize: big.size }));
    expect(sha256(bytes)).toBe(big.digest);
    expect(cdn.requests.length).toBeGreaterThanOrEqual(2); // config + layer came from the CDN
    expect(cdn.requests.every((q) => q.authorization === undefined)).toBe(true);
    expect(cdn.requests.map((q) => q.path)).toContain(`/docker/registry/v2/blobs/sha256/${big.digest.slice(7, 9)}/${big.digest.slice(7)}/data`);
  });

  it("catches a registry serving corrupted blobs and manifests", async () => {
    const r = reader(plain);
    const img = await r.resolveImage("acme/tamper", "1.0");
    const layer = img.platforms[0]!.layers[0]!;
    // corrupt the stored layer: the registry serves the bytes without checking them
    const dataFile = path.join(storage, "docker/registry/v2/blobs/sha256", layer.digest.slice(7, 9), layer.digest.slice(7), "data");
    const original = readFileSync(dataFile);
    const evil = Buffer.from(original);
    evil[evil.length - 1] = (evil[evil.length - 1] ?? 0) ^ 0xff;
    writeFileSync(dataFile, evil);
    const s = await r.openBlob("acme/tamper", layer.digest);
    const err = await readAll(s).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/does not match its digest/);
    // corrupt the stored manifest
    const mFile = findFile(path.join(storage, "docker/registry/v2/blobs"), "data", img.digest.slice(7));
    expect(mFile).not.toBeNull();
    const m = readFileSync(mFile!);
    writeFileSync(mFile!, Buffer.concat([m, Buffer.from(" ")]));
    await expect(reader(plain).resolveImage("acme/tamper", "1.0")).rejects.toThrow(/does not match its digest/);
    await expect(reader(plain).resolveImage("acme/tamper", img.digest)).rejects.toThrow(/does not match its digest/);
  });
});
