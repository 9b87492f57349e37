// Turns a world's images into real registry content: layer tars (gzip/zstd/none), image
// configs, manifests, indexes and attestation manifests, all addressed by real sha256 digests.
// Built once per world object (WeakMap cache) and deterministic, so digests are stable.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { buildTar, type TarEntry } from "./tar";
import { zstdRawFrame } from "./zstd";
import { buildZip } from "./zip";
import type { FileEntry, Image, Layer, PlatformSpec, World } from "./world";

export const MT = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  inToto: "application/vnd.in-toto+json",
} as const;

export const FIXED_CREATED = "2024-01-01T00:00:00Z";

export function sha256(buf: Buffer | string): string {
  return `sha256:${createHash("sha256").update(buf).digest("hex")}`;
}

export interface Blob {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface BuiltPlatform {
  platform: { os: string; architecture: string; variant?: string };
  manifestDigest: string;
  manifestMediaType: string;
  manifestSize: number;
  /** compressed sizes of config + layers */
  size: number;
}

export interface BuiltImage {
  id: string;
  /** top-level manifest (index/list or single manifest) */
  digest: string;
  mediaType: string;
  platforms: BuiltPlatform[];
  /** every digest (manifests and blobs) reachable from this image */
  digests: Set<string>;
}

export interface BuiltWorld {
  images: Map<string, BuiltImage>;
  /** manifests by digest */
  manifests: Map<string, Blob>;
  /** configs and layers by digest */
  blobs: Map<string, Blob>;
  /** "ns/repo" → digests reachable from its tags */
  repoDigests: Map<string, Set<string>>;
}

function fillerBytes(n: number, seed: string): Buffer {
  // deterministic, incompressible-looking filler (sha256 chain)
  const out = Buffer.alloc(n);
  let block = createHash("sha256").update(seed).digest();
  for (let o = 0; o < n; o += 32) {
    block.copy(out, o, 0, Math.min(32, n - o));
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

export function fileContent(f: FileEntry): Buffer {
  let body: Buffer;
  if (f.archive) {
    const files = f.archive.files.filter((x) => (x.type ?? "file") === "file").map((x) => ({ path: x.path, content: fileContent(x) }));
    if (f.archive.format === "zip") body = buildZip(files);
    else body = gzipSync(buildTar(archiveEntries(f.archive.files)), { level: 6 });
  } else if (f.contentBase64 !== undefined) body = Buffer.from(f.contentBase64, "base64");
  else body = Buffer.from(f.content ?? "", "utf8");
  if (f.padBytes) body = Buffer.concat([body, fillerBytes(f.padBytes, f.path)]);
  return body;
}

function archiveEntries(files: FileEntry[]): TarEntry[] {
  return withParents(
    files.map((f) => ({ path: f.path, type: f.type ?? "file", content: (f.type ?? "file") === "file" ? fileContent(f) : undefined, mode: f.mode, linkname: f.linkname })),
  );
}

/** Adds missing parent directory entries before their children, keeping the given order. */
function withParents(entries: TarEntry[]): TarEntry[] {
  const seen = new Set<string>();
  const out: TarEntry[] = [];
  for (const e of entries) {
    const clean = e.path.replace(/\/+$/, "");
    const parts = clean.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!seen.has(dir)) {
        seen.add(dir);
        out.push({ path: dir, type: "dir" });
      }
    }
    if (e.type === "dir") {
      if (seen.has(clean)) continue;
      seen.add(clean);
    }
    out.push({ ...e, path: clean });
  }
  return out;
}

function layerEntries(layer: Layer): TarEntry[] {
  const entries: TarEntry[] = [];
  for (const dir of layer.opaque) {
    entries.push({ path: `${dir.replace(/\/+$/, "")}/.wh..wh..opq`, type: "file", content: Buffer.alloc(0) });
  }
  for (const del of layer.delete) {
    const clean = del.replace(/\/+$/, "");
    const i = clean.lastIndexOf("/");
    const wh = i < 0 ? `.wh.${clean}` : `${clean.slice(0, i)}/.wh.${clean.slice(i + 1)}`;
    entries.push({ path: wh, type: "file", content: Buffer.alloc(0) });
  }
  for (const f of layer.files) {
    const type = f.type ?? "file";
    entries.push({ path: f.path, type, content: type === "file" ? fileContent(f) : undefined, mode: f.mode, linkname: f.linkname });
  }
  return withParents(entries);
}

function compress(tar: Buffer, c: Layer["compression"]): Buffer {
  if (c === "gzip") return gzipSync(tar, { level: 6 });
  if (c === "zstd") return zstdRawFrame(tar);
  return tar;
}

function layerMediaType(format: Image["format"], c: Layer["compression"]): string {
  if (c === "zstd") return MT.ociLayerZstd;
  if (format === "docker") return c === "gzip" ? MT.dockerLayerGzip : MT.ociLayer;
  return c === "gzip" ? MT.ociLayerGzip : MT.ociLayer;
}

function json(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v), "utf8");
}

function platformString(p: { os: string; architecture: string; variant?: string }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join("/");
}

function buildConfig(img: Image, p: PlatformSpec, diffIds: string[]): Buffer {
  const layerLines = p.layers.map((l, i) => ({
    created: p.config.created ?? FIXED_CREATED,
    created_by: l.created_by ?? `/bin/sh -c #(nop) ADD file:${diffIds[i]!.slice(7, 71)} in / `,
  }));
  type H = { created: string; created_by: string; empty_layer?: boolean; comment?: string; author?: string };
  const history: H[] = [...layerLines];
  const extra = p.config.history.map((h) => ({
    entry: {
      created: h.created ?? p.config.created ?? FIXED_CREATED,
      created_by: h.created_by,
      ...(h.comment ? { comment: h.comment } : {}),
      ...(h.author ? { author: h.author } : {}),
      empty_layer: true,
    } as H,
    index: h.index,
  }));
  const unplaced = extra.filter((e) => e.index === undefined).map((e) => e.entry);
  history.unshift(...unplaced);
  for (const e of extra.filter((x) => x.index !== undefined).sort((a, b) => a.index! - b.index!)) {
    history.splice(Math.min(e.index!, history.length), 0, e.entry);
  }
  const c = p.config;
  const cfg: Record<string, unknown> = {
    architecture: p.architecture,
    os: p.os,
    ...(p.variant ? { variant: p.variant } : {}),
    created: c.created ?? FIXED_CREATED,
    ...(c.author ? { author: c.author } : {}),
    config: {
      ...(c.User ? { User: c.User } : {}),
      ...(c.ExposedPorts ? { ExposedPorts: Object.fromEntries(c.ExposedPorts.map((x) => [x, {}])) } : {}),
      Env: c.Env,
      ...(c.Entrypoint ? { Entrypoint: c.Entrypoint } : {}),
      ...(c.Cmd ? { Cmd: c.Cmd } : {}),
      ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
      Labels: c.Labels,
    },
    rootfs: { type: "layers", diff_ids: diffIds },
    history,
  };
  if (img.format === "docker") cfg.docker_version = "24.0.7";
  return json(cfg);
}

function buildImage(img: Image, out: BuiltWorld): BuiltImage {
  const digests = new Set<string>();
  const put = (map: Map<string, Blob>, mediaType: string, bytes: Buffer): Blob => {
    const digest = sha256(bytes);
    const blob = { digest, mediaType, bytes };
    map.set(digest, blob);
    digests.add(digest);
    return blob;
  };
  const manifestType = img.format === "docker" ? MT.dockerManifest : MT.ociManifest;
  const configType = img.format === "docker" ? MT.dockerConfig : MT.ociConfig;
  const platforms: BuiltPlatform[] = [];
  const attestations: Array<{ blob: Blob; ref: string }> = [];

  for (const p of img.platforms) {
    const layers = p.layers.map((l) => {
      const tar = buildTar(layerEntries(l));
      const diffId = sha256(tar);
      const blob = put(out.blobs, layerMediaType(img.format, l.compression), compress(tar, l.compression));
      return { diffId, blob };
    });
    const config = put(out.blobs, configType, buildConfig(img, p, layers.map((l) => l.diffId)));
    const manifest = json({
      schemaVersion: 2,
      mediaType: manifestType,
      config: { mediaType: configType, digest: config.digest, size: config.bytes.length },
      layers: layers.map((l) => ({ mediaType: l.blob.mediaType, digest: l.blob.digest, size: l.blob.bytes.length })),
    });
    const m = put(out.manifests, manifestType, manifest);
    const platform = { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) };
    platforms.push({
      platform,
      manifestDigest: m.digest,
      manifestMediaType: manifestType,
      manifestSize: manifest.length,
      size: config.bytes.length + layers.reduce((s, l) => s + l.blob.bytes.length, 0),
    });

    if (img.attestation) {
      const statement = json({
        _type: "https://in-toto.io/Statement/v0.1",
        predicateType: "https://slsa.dev/provenance/v0.2",
        subject: [{ name: `pkg:docker/${img.id}?platform=${encodeURIComponent(platformString(platform))}`, digest: { sha256: m.digest.slice(7) } }],
        predicate: {
          builder: { id: "" },
          buildType: "https://mobyproject.org/buildkit@v1",
          invocation: { parameters: { frontend: "dockerfile.v0", args: Object.fromEntries(Object.entries(img.attestation.buildArgs).map(([k, v]) => [`build-arg:${k}`, v])) } },
          metadata: { buildStartedOn: FIXED_CREATED, buildFinishedOn: FIXED_CREATED, reproducible: false },
        },
      });
      const layer = put(out.blobs, MT.inToto, statement);
      const acfg = put(
        out.blobs,
        MT.ociConfig,
        json({ architecture: "unknown", os: "unknown", config: {}, rootfs: { type: "layers", diff_ids: [layer.digest] } }),
      );
      const am = put(
        out.manifests,
        MT.ociManifest,
        json({
          schemaVersion: 2,
          mediaType: MT.ociManifest,
          config: { mediaType: MT.ociConfig, digest: acfg.digest, size: acfg.bytes.length },
          layers: [{ mediaType: MT.inToto, digest: layer.digest, size: layer.bytes.length, annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2" } }],
        }),
      );
      attestations.push({ blob: am, ref: m.digest });
    }
  }

  const useIndex = img.index ?? (img.platforms.length > 1 || img.attestation !== undefined);
  let digest: string;
  let mediaType: string;
  if (useIndex) {
    mediaType = img.format === "docker" ? MT.dockerList : MT.ociIndex;
    const manifests = [
      ...platforms.map((p) => ({ mediaType: p.manifestMediaType, digest: p.manifestDigest, size: p.manifestSize, platform: p.platform })),
      ...attestations.map((a) => ({
        mediaType: MT.ociManifest,
        digest: a.blob.digest,
        size: a.blob.bytes.length,
        annotations: { "vnd.docker.reference.digest": a.ref, "vnd.docker.reference.type": "attestation-manifest" },
        platform: { architecture: "unknown", os: "unknown" },
      })),
    ];
    const idx = put(out.manifests, mediaType, json({ schemaVersion: 2, mediaType, manifests }));
    digest = idx.digest;
  } else {
    digest = platforms[0]!.manifestDigest;
    mediaType = platforms[0]!.manifestMediaType;
  }
  return { id: img.id, digest, mediaType, platforms, digests };
}

const cache = new WeakMap<World, BuiltWorld>();

/** Build (once per world object) every blob and manifest of a world. */
export function buildWorld(world: World): BuiltWorld {
  const hit = cache.get(world);
  if (hit) return hit;
  const out: BuiltWorld = { images: new Map(), manifests: new Map(), blobs: new Map(), repoDigests: new Map() };
  for (const img of world.images) out.images.set(img.id, buildImage(img, out));
  for (const r of world.repositories) {
    const set = new Set<string>();
    for (const t of r.tags) for (const d of out.images.get(t.image)?.digests ?? []) set.add(d);
    out.repoDigests.set(`${r.namespace}/${r.name}`, set);
  }
  cache.set(world, out);
  return out;
}
