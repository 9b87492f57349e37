// Fingerprint and masked preview of a secret: the only two forms of a secret that ever leave memory.
import { createHash } from "node:crypto";

/** Lowercase hex SHA-256 of the secret's UTF-8 bytes, exactly as it appears. */
export function fingerprint(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

// Well-known, non-secret prefixes that make a preview recognisable. Longest first.
const KNOWN_PREFIXES = [
  "-----BEGIN ", "PuTTY-User-Key-File-", "github_pat_", "sk-ant-api03-", "sk-ant-admin01-", "sk-proj-", "sk_live_", "rk_live_", "sk_test_", "rk_test_",
  "pk_live_", "dckr_pat_", "dckr_oat_", "lin_api_", "dop_v1_", "doo_v1_", "dor_v1_", "glpat-", "gldt-",
  "glrt-", "glptt-", "gloas-", "shpat_", "shpss_", "shpca_", "shppa_", "sntrys_", "sntryu_", "xoxb-",
  "xoxp-", "xoxa-", "xoxe-", "xapp-", "xoxs-", "xoxr-", "pypi-", "NRAK-", "NRII-", "NRJS-", "HRKU-",
  "ATATT", "sq0csp-", "sq0atp-", "EAAA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_", "hf_", "gsk_",
  "nfp_", "ntn_", "sbp_", "hvs.", "hvb.", "AKIA", "ASIA", "AIza", "SG.", "key-", "sk-", "eyJ",
];

/**
 * Masked preview: a known public prefix (≤ 13 chars but never more than ~25% of the value) plus the
 * last characters only when the value is long; everything else is stars. Short secrets are fully
 * masked. The star count is capped so the preview does not leak the exact length of huge values.
 */
export function mask(secret: string): string {
  const chars = Array.from(secret); // code points: never split a surrogate pair
  const n = chars.length;
  if (n < 8) return "*".repeat(Math.max(n, 4));
  const budget = Math.floor(n * 0.25);
  let head = 0;
  const prefix = KNOWN_PREFIXES.find((p) => secret.startsWith(p));
  if (prefix && prefix.length <= budget) head = prefix.length;
  else if (n >= 16) head = Math.min(2, budget);
  let tail = 0;
  if (n >= 20) tail = Math.min(4, budget - head);
  else if (n >= 12) tail = Math.min(2, budget - head);
  if (tail < 0) tail = 0;
  const stars = Math.min(Math.max(n - head - tail, 4), 24);
  return chars.slice(0, head).join("") + "*".repeat(stars) + chars.slice(n - tail).join("");
}
