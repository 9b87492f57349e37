// Contracts inside lib/scan: detectors (./detectors) find secrets in text; the image scanner
// (./image) walks configs and layers and feeds them text. A raw secret exists only in memory
// inside a DetectorMatch long enough to fingerprint and mask it; it is never logged or stored.

export type Severity = "critical" | "high" | "medium" | "low";
export type FindingSource = "file" | "env" | "label" | "history" | "cmd" | "readme";

export interface AttributionHint {
  type: "aws_account_id" | "host" | "email" | "url" | "username" | "git_remote" | "package_scope";
  value: string;
}

export interface DetectorMatch {
  detector: string; // e.g. "aws-access-key"
  provider: string; // e.g. "aws"
  severity: Severity;
  /** the secret value exactly as it appears (the secret half of a pair); in memory only */
  secret: string;
  /** 1-based line within the scanned text */
  line: number;
  hints: AttributionHint[];
}

export interface TextContext {
  source: FindingSource;
  /** file path inside the image (for file-specific decoders such as .docker/config.json) */
  path?: string;
}

/** A finding as reported and stored: no raw value. */
export interface FindingLocationOut {
  source: FindingSource;
  path: string | null;
  line: number | null;
  layerDigest: string | null;
  platform: string;
  deleted: boolean;
}

export interface ScanFinding extends FindingLocationOut {
  detector: string;
  provider: string;
  severity: Severity;
  /** lowercase hex SHA-256 of the secret value exactly as it appears */
  fingerprint: string;
  masked: string;
  hints: AttributionHint[];
  /** every place the same secret was seen in this image (the first is repeated above) */
  locations: FindingLocationOut[];
}

export interface ScanStats {
  layers: number;
  filesScanned: number;
  bytesScanned: number;
  durationMs: number;
}

export interface ScanError {
  layerDigest: string | null;
  platform: string | null;
  message: string;
}

export interface ImageScanResult {
  image: string;
  digest: string;
  platforms: string[];
  findings: ScanFinding[];
  stats: ScanStats;
  /** layers (or configs) whose scan ended early; the rest of the image was still scanned */
  errors: ScanError[];
  /** non-fatal observations: oversized files scanned up to the cap, neutralised paths, … */
  notices?: ScanError[];
  /** SCANNER_VERSION that produced this result ("+custom-limits" when limits were overridden) */
  scannerVersion?: string;
}

/**
 * A detector entry point: the matches in one text. `latin1Bytes`, when given, is `text`'s latin1
 * encoding (the bytes it was decoded from). The optional `gate` sees a file's bytes before they
 * are decoded; false means the call would return nothing, so the image scanner skips decoding.
 */
export type DetectFn = ((text: string, ctx: TextContext, latin1Bytes?: Uint8Array) => DetectorMatch[]) & {
  gate?: (latin1Bytes: Uint8Array, path: string) => boolean;
};
