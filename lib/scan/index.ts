// Public API of lib/scan: the image scanner and its building blocks. Detectors live in
// ./detectors; fingerprints and masks in ./fingerprint.
export * from "./types";
export { scanImage, parseImageRef, formatPlatform } from "./image/scan-image";
export type { ScanImageOptions, ScanProgress, ParsedImageRef } from "./image/scan-image";
export { scanLayerStream } from "./image/layer-scanner";
export type { DetectFn, LayerScanResult, LayerHit } from "./image/layer-scanner";
export { DEFAULT_LIMITS, resolveLimits } from "./image/limits";
export type { ScanLimits } from "./image/limits";
export { aggregateFindings } from "./image/aggregate";
export { SCANNER_VERSION } from "./version";
export { tuneV8ForOneShotScan, ONE_SHOT_V8_FLAGS } from "./image/one-shot-v8";
