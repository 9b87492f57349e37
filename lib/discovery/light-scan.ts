// The light file scan discovery uses for attribution: the top few layers of one platform of the
// newest tag, streamed through lib/scan's layer walker (bounded, never on disk), with a "detector"
// that only hands small text files to discovery's matchers. Secrets are not looked for here;
// the jobs pipeline runs the full scan of every layer later.
import type { PlatformImage, RegistryReader } from "../hub/types";
import { resolveLimits, scanLayerStream } from "../scan";
import type { LightScanFn } from "./run";

export interface LightScanOptions {
  /** layers from the top of the image (application layers are usually last) */
  maxLayers?: number;
  /** skip layers larger than this (compressed bytes) */
  maxLayerBytes?: number;
  /** bytes of one file handed to the matchers */
  maxFileBytes?: number;
  /** uncompressed bytes read per layer */
  maxUncompressedBytes?: number;
}

const MiB = 1024 * 1024;

export function createLightScanner(registry: RegistryReader, opts: LightScanOptions = {}): LightScanFn {
  const maxLayers = opts.maxLayers ?? 3;
  const maxLayerBytes = opts.maxLayerBytes ?? 64 * MiB;
  const limits = resolveLimits({
    maxFileBytes: opts.maxFileBytes ?? 256 * 1024,
    maxLayerBytes: opts.maxUncompressedBytes ?? 256 * MiB,
    maxNestedDepth: 1,
    maxNestedTotalBytes: 32 * MiB,
  });
  return async ({ repository, tag, image, signal, visit }) => {
    const layers = selectLayers(image, maxLayers, maxLayerBytes);
    for (const layer of layers) {
      if (signal?.aborted) return;
      const blob = await registry.openBlob(repository, layer.digest, signal ? { signal } : {});
      await scanLayerStream(blob, {
        limits,
        detect: (text, ctx) => {
          visit(text, { kind: "file", source: `file ${ctx.path ?? "?"} in ${repository}:${tag}` });
          return [];
        },
      });
    }
  };
}

function selectLayers(image: PlatformImage, n: number, maxBytes: number) {
  return image.layers
    .filter((l) => !/nondistributable|foreign/.test(l.mediaType) && !(l.urls && l.urls.length))
    .slice(-n)
    .filter((l) => l.size <= maxBytes);
}
