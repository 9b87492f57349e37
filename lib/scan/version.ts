// Identifies what a scan result was produced with. Cached scans of public digests (shared across
// organisations) are reused only when produced by this version with default limits, so new
// detectors or changed defaults re-scan images instead of serving stale results.
// Bump when detectors, decoders or default limits change what a scan can find.
export const SCANNER_VERSION = "2026.11.27-2";
