import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { decompress } from "fzstd";
import { describe, expect, it } from "vitest";
import { buildTar } from "./tar";
import { zstdRawFrame } from "./zstd";
import { buildZip } from "./zip";
import { buildWorld, MT } from "./blobs";
import { parseWorld } from "./world";

function hasCli(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/** Tiny tar reader for assertions (ustar + pax path). */
function readTar(buf: Buffer): Array<{ name: string; type: string; content: Buffer }> {
  const out: Array<{ name: string; type: string; content: Buffer }> = [];
  let off = 0;
  let paxPath: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(h.subarray(124, 136).toString("utf8").replace(/\0.*$/s, ""), 8);
    const type = String.fromCharCode(h[156]!);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    expect(parseInt(h.subarray(148, 156).toString("utf8"), 8)).toBe(sum);
    const content = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(content.toString("utf8"));
      paxPath = m?.[1];
      continue;
    }
    out.push({ name: paxPath ?? name, type, content: Buffer.from(content) });
    paxPath = undefined;
  }
  return out;
}

describe("tar writer", () => {
  it("writes ustar entries with valid checksums and PAX headers for long names", () => {
    const long = `${"deep/".repeat(30)}secret.env`;
    const tar = buildTar([
      { path: "app", type: "dir" },
      { path: "app/a.txt", type: "file", content: Buffer.from("hello") },
      { path: long, type: "file", content: Buffer.from("X=1") },
      { path: "app/link", type: "symlink", linkname: "/etc/passwd" },
    ]);
    expect(tar.length % 512).toBe(0);
    const entries = readTar(tar);
    expect(entries.map((e) => e.name)).toEqual(["app/", "app/a.txt", long, "app/link"]);
    expect(entries[1]!.content.toString()).toBe("hello");
    expect(entries[2]!.content.toString()).toBe("X=1");
    if (hasCli("tar")) {
      const dir = mkdtempSync(path.join(tmpdir(), "hubsim-tar-"));
      try {
        writeFileSync(path.join(dir, "t.tar"), tar);
        const listing = execFileSync("tar", ["-tf", path.join(dir, "t.tar")], { encoding: "utf8" }).trim().split("\n");
        expect(listing).toContain(long);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe("zstd raw-block frame writer", () => {
  const sizes = [0, 1, 255, 256, 65791, 65792, 300_000];
  for (const n of sizes) {
    it(`round-trips ${n} bytes through fzstd`, () => {
      const data = Buffer.alloc(n);
      for (let i = 0; i < n; i++) data[i] = (i * 31 + (i >> 7)) & 0xff;
      const frame = zstdRawFrame(data);
      expect(frame.subarray(0, 4)).toEqual(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
      expect(Buffer.from(decompress(frame)).equals(data)).toBe(true);
    });
  }
  it.runIf(hasCli("zstd"))("is accepted by the zstd CLI", () => {
    const data = Buffer.from("x".repeat(200_000) + "tail");
    const outBuf = execFileSync("zstd", ["-d", "-c"], { input: zstdRawFrame(data) });
    expect(outBuf.equals(data)).toBe(true);
  });
});

describe("zip writer", () => {
  it.runIf(hasCli("python3"))("builds a zip python's zipfile reads with valid CRCs", () => {
    const zip = buildZip([
      { path: "META-INF/MANIFEST.MF", content: Buffer.from("Manifest-Version: 1.0\n") },
      { path: "config/app.properties", content: Buffer.from("db.password=hunter22-not-real\n") },
    ]);
    const script = "import sys,zipfile,io\nz=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nassert z.testzip() is None\nprint(z.read('config/app.properties').decode(),end='')";
    const text = execFileSync("python3", ["-c", script], { input: zip, encoding: "utf8" });
    expect(text).toBe("db.password=hunter22-not-real\n");
  });
});

describe("buildWorld", () => {
  const world = parseWorld({
    name: "t",
    accounts: [{ namespace: "acme", type: "organization" }],
    repositories: [{ namespace: "acme", name: "api", tags: [{ name: "latest", image: "multi" }, { name: "single", image: "one" }] }],
    images: [
      {
        id: "multi",
        attestation: { buildArgs: { NPM_TOKEN: "abc" } },
        platforms: [
          { architecture: "amd64", layers: [{ files: [{ path: "app/.env", content: "A=1" }] }, { compression: "zstd", files: [], delete: ["app/.env"], opaque: ["etc/ssl"] }] },
          { architecture: "arm64", variant: "v8", layers: [{ compression: "none", files: [{ path: "app/x", content: "y" }] }] },
        ],
      },
      { id: "one", format: "docker", platforms: [{ config: { Env: ["A=B"], history: [{ created_by: "ARG X=1", index: 0 }] }, layers: [{ files: [{ path: "f", content: "z" }] }] }] },
    ],
  });
  const built = buildWorld(world);

  it("is cached per world object and deterministic across builds", () => {
    expect(buildWorld(world)).toBe(built);
    const again = buildWorld(parseWorld(JSON.parse(JSON.stringify(world))));
    expect(again.images.get("multi")!.digest).toBe(built.images.get("multi")!.digest);
  });

  it("addresses every blob and manifest by the sha256 of its bytes", () => {
    for (const m of [built.blobs, built.manifests]) {
      for (const [digest, blob] of m) {
        expect(`sha256:${createHash("sha256").update(blob.bytes).digest("hex")}`).toBe(digest);
      }
    }
  });

  it("builds an OCI index with platforms and an attestation manifest", () => {
    const img = built.images.get("multi")!;
    expect(img.mediaType).toBe(MT.ociIndex);
    const idx = JSON.parse(built.manifests.get(img.digest)!.bytes.toString());
    expect(idx.manifests).toHaveLength(4); // 2 platforms + one attestation each
    expect(idx.manifests[1].platform).toEqual({ os: "linux", architecture: "arm64", variant: "v8" });
    expect(idx.manifests[2].platform).toEqual({ os: "unknown", architecture: "unknown" });
    expect(idx.manifests[2].annotations["vnd.docker.reference.digest"]).toBe(idx.manifests[0].digest);
    expect(idx.manifests[3].annotations["vnd.docker.reference.digest"]).toBe(idx.manifests[1].digest);
  });

  it("writes whiteouts, opaque markers and diff_ids of the uncompressed tars", () => {
    const img = built.images.get("multi")!;
    const man = JSON.parse(built.manifests.get(img.platforms[0]!.manifestDigest)!.bytes.toString());
    expect(man.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([MT.ociLayerGzip, MT.ociLayerZstd]);
    const cfg = JSON.parse(built.blobs.get(man.config.digest)!.bytes.toString());
    const tar0 = gunzipSync(built.blobs.get(man.layers[0].digest)!.bytes);
    const tar1 = Buffer.from(decompress(built.blobs.get(man.layers[1].digest)!.bytes));
    expect(cfg.rootfs.diff_ids).toEqual([`sha256:${createHash("sha256").update(tar0).digest("hex")}`, `sha256:${createHash("sha256").update(tar1).digest("hex")}`]);
    expect(readTar(tar0).find((e) => e.name === "app/.env")!.content.toString()).toBe("A=1");
    expect(readTar(tar1).map((e) => e.name)).toEqual(["etc/", "etc/ssl/", "etc/ssl/.wh..wh..opq", "app/", "app/.wh..env"]);
  });

  it("builds a single Docker v2 manifest with history lines in order", () => {
    const img = built.images.get("one")!;
    expect(img.mediaType).toBe(MT.dockerManifest);
    const man = JSON.parse(built.manifests.get(img.digest)!.bytes.toString());
    expect(man.layers[0].mediaType).toBe(MT.dockerLayerGzip);
    const cfg = JSON.parse(built.blobs.get(man.config.digest)!.bytes.toString());
    expect(cfg.history.map((h: { created_by: string }) => h.created_by)[0]).toBe("ARG X=1");
    expect(cfg.history[1].created_by).toMatch(/^\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{64} in /);
    expect(cfg.config.Env).toEqual(["A=B"]);
    expect(built.repoDigests.get("acme/api")!.has(man.config.digest)).toBe(true);
  });
});
