// Every bound the scanner applies to untrusted image content. Defaults keep peak memory well
// under 300 MB whatever the image size; tests pass tiny values.

export interface ScanLimits {
  /** text bytes of one file handed to detectors; larger files are scanned up to the cap */
  maxFileBytes: number;
  /** absolute uncompressed bytes per layer (bomb / endless stream) */
  maxLayerBytes: number;
  /** uncompressed/compressed ratio per layer, checked once past ratioGraceBytes */
  maxRatio: number;
  ratioGraceBytes: number;
  /** largest zstd window (fzstd allocates it) */
  maxZstdWindow: number;
  /** tar entries per layer */
  maxEntries: number;
  /** one PAX extended header or GNU long name */
  maxMetaHeaderBytes: number;
  /** nested archives: entries of a layer are depth 0; an archive at depth >= this is not opened */
  maxNestedDepth: number;
  /** largest nested zip/gzip archive buffered in memory (compressed size) */
  maxNestedArchiveBytes: number;
  /** largest expansion of one nested gzip */
  maxNestedExpandBytes: number;
  /** total bytes expanded from nested archives per layer */
  maxNestedTotalBytes: number;
  /** entries of one nested zip */
  maxZipEntries: number;
  /**
   * Expand compressed files that a distribution's package manager ships under
   * /usr/share/{doc,man,info} (man pages, changelogs). Off by default: on a typical Debian-based
   * image they are a third of all uncompressed bytes, vendor-written, and any "secret" in them is
   * a documentation sample (reported low anyway). Their uncompressed siblings are still scanned.
   */
  expandPackageDocs: boolean;
  /**
   * Inflate gzip layers on a worker thread so decompression overlaps with scanning (see
   * gunzip-worker.ts). Off: Node's zlib stream on the scanning thread.
   */
  gunzipOnWorker: boolean;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ScanLimits = {
  maxFileBytes: 10 * MiB,
  maxLayerBytes: 8 * 1024 * MiB,
  maxRatio: 200,
  ratioGraceBytes: 64 * MiB,
  maxZstdWindow: 64 * MiB,
  maxEntries: 500_000,
  maxMetaHeaderBytes: 1 * MiB,
  maxNestedDepth: 2,
  maxNestedArchiveBytes: 32 * MiB,
  maxNestedExpandBytes: 32 * MiB,
  maxNestedTotalBytes: 512 * MiB,
  maxZipEntries: 20_000,
  expandPackageDocs: false,
  gunzipOnWorker: true,
};

export function resolveLimits(partial?: Partial<ScanLimits>): ScanLimits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}
