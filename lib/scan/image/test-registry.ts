// Test-only in-memory RegistryReader: the real client is exercised by integration tests against
// the simulator; unit tests need exact control over blobs (including hostile ones).
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Descriptor, ImageConfig, PlatformImage, RegistryReader, ResolvedImage } from "../../hub/types";

export interface FakePlatform {
  os: string;
  architecture: string;
  config: ImageConfig;
  layers: Array<{ blob: Buffer; mediaType?: string; /** stream errors at the end (digest mismatch) */ corruptDigest?: boolean }>;
}

const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export function fakeRegistry(platforms: FakePlatform[]): RegistryReader & { opened: string[] } {
  const blobs = new Map<string, { blob: Buffer; corrupt: boolean }>();
  const configs = new Map<string, ImageConfig>();
  const images: PlatformImage[] = platforms.map((p, pi) => {
    const cfgJson = JSON.stringify(p.config);
    const cfgDigest = sha(cfgJson);
    configs.set(cfgDigest, p.config);
    const layers: Descriptor[] = p.layers.map((l, li) => {
      // a corrupt layer gets a digest that cannot match its content
      const digest = l.corruptDigest ? sha(`corrupt-${pi}-${li}`) : sha(l.blob);
      blobs.set(digest, { blob: l.blob, corrupt: Boolean(l.corruptDigest) });
      return { mediaType: l.mediaType ?? "application/vnd.oci.image.layer.v1.tar+gzip", digest, size: l.blob.length };
    });
    return {
      platform: { os: p.os, architecture: p.architecture },
      manifestDigest: sha(`manifest-${pi}`),
      manifestMediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfgDigest, size: cfgJson.length },
      layers,
    };
  });
  const opened: string[] = [];
  return {
    opened,
    async headManifest() {
      return { digest: sha("index"), mediaType: "application/vnd.oci.image.index.v1+json", size: 1 };
    },
    async resolveImage(repository, reference, opts): Promise<ResolvedImage> {
      const want = opts?.platform && opts.platform !== "all" ? opts.platform : null;
      return {
        repository,
        reference,
        digest: sha("index"),
        mediaType: "application/vnd.oci.image.index.v1+json",
        platforms: images.filter((i) => !want || `${i.platform.os}/${i.platform.architecture}` === want),
      };
    },
    async getConfig(_repo, d) {
      const c = configs.get(d.digest);
      if (!c) throw new Error("config not found");
      return c;
    },
    async openBlob(_repo, digest) {
      const b = blobs.get(digest);
      if (!b) throw new Error("blob not found");
      opened.push(digest);
      const parts: Buffer[] = [];
      for (let i = 0; i < b.blob.length; i += 16 * 1024) parts.push(b.blob.subarray(i, i + 16 * 1024));
      async function* gen() {
        for (const p of parts) yield p;
        if (b!.corrupt) throw new Error(`digest mismatch for ${digest}`);
      }
      return Readable.from(gen(), { objectMode: false });
    },
    rateLimit() {
      return { pullLimit: null, pullRemaining: null, pullWindowSeconds: null, apiLimit: null, apiRemaining: null, apiResetAt: null, updatedAt: 0 };
    },
  };
}
