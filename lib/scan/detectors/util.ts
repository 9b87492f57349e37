// Small, linear-time helpers shared by detectors: entropy, checksums, decoders, placeholder filters.
import type { AttributionHint } from "../types";

/** Shannon entropy in bits per character. */
export function shannon(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

let CRC_TABLE: Uint32Array | null = null;
export function crc32(s: string): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[i] = c >>> 0;
    }
  }
  const bytes = Buffer.from(s, "utf8");
  let crc = 0xffffffff;
  for (const b of bytes) crc = (CRC_TABLE[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export function base62(n: number, width: number): string {
  let out = "";
  let v = n;
  while (v > 0) {
    out = B62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

/**
 * GitHub classic tokens and npm tokens: prefix + 30 random base62 chars + base62(crc32(random)),
 * zero-padded to 6 chars (github.blog 2021-04-05 "Behind GitHub's new authentication token formats").
 */
export function validCrc32Token(token: string, prefixLen: number): boolean {
  const body = token.slice(prefixLen, token.length - 6);
  const check = token.slice(token.length - 6);
  return body.length === 30 && base62(crc32(body), 6) === check;
}

/** RFC 4648 base32 (no padding) → bytes; null on a non-alphabet char. */
export function base32Decode(s: string): Uint8Array | null {
  const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const c of s) {
    const v = alpha.indexOf(c);
    if (v < 0) return null;
    buf = (buf << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >>> bits) & 0xff);
    }
    buf &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/**
 * AWS account id encoded in a (post-2019) access key id: base32-decode chars 5.., take the first 6
 * bytes as a big-endian integer, account = (n & 0x7fffffffff80) >> 7. Legacy ids (5th char I/J) do
 * not carry it.
 */
export function awsAccountFromKeyId(keyId: string): string | null {
  if (keyId.length !== 20) return null;
  const fifth = keyId[4];
  if (fifth === "I" || fifth === "J") return null;
  const bytes = base32Decode(keyId.slice(4));
  if (!bytes || bytes.length < 6) return null;
  let n = 0n;
  for (let i = 0; i < 6; i++) n = (n << 8n) | BigInt(bytes[i] as number);
  const account = (n & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, "0");
}

export function b64decode(s: string): string | null {
  const t = s.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.length === 0) return null;
  try {
    const buf = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    const str = buf.toString("utf8");
    // Binary garbage is not a credential text.
    if (str.includes("\uFFFD")) return null;
    return str;
  } catch {
    return null;
  }
}

/** Decodes a JWT's header and payload without trusting it; null if not a JWT-shaped JSON pair. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[0] || !parts[1]) return null;
  if (parts[0].length > 2048 || parts[1].length > 16384) return null;
  try {
    const header = JSON.parse(b64decode(parts[0]) ?? "") as unknown;
    const payload = JSON.parse(b64decode(parts[1]) ?? "") as unknown;
    if (!header || typeof header !== "object" || Array.isArray(header)) return null;
    if (!payload || typeof payload !== "object" || Array.isArray(payload)) return null;
    return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown> };
  } catch {
    return null;
  }
}

// Vendor-documented example credentials; never real.
const DOC_EXAMPLES = new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
  "AKIAI44QH8DHBEXAMPLE",
  "ASIAIOSFODNN7EXAMPLE",
  "gho_16C7e42F292c6912E7710c838347Ae178B4a",
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "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",
]);

const PLACEHOLDER_WORDS = new Set([
  "password", "passwd", "pass", "secret", "token", "changeme", "change_me", "changeit", "example",
  "dummy", "test", "testing", "sample", "placeholder", "redacted", "null", "none", "undefined", "true",
  "false", "empty", "default", "admin", "root", "guest", "user", "username", "foo", "bar", "baz",
  "foobar", "value", "string", "xxx", "yyy", "abc", "abc123", "123456", "12345678", "qwerty",
  "letmein", "secret123", "password123", "mypassword", "yourpassword", "your_password", "mysecret",
  "your_secret", "apikey", "api_key", "your_api_key", "your-api-key", "todo", "fixme", "hidden",
  "private", "required", "optional", "string", "str", "number", "boolean", "object", "any", "unknown",
  "notasecret", "not-a-secret", "fake", "invalid", "sensitive", "masked", "omitted", "removed",
  "xyzzy", "hunter2", "s3cr3t", "p@ssw0rd", "passw0rd", "pa55word", "p4ssw0rd", "supersecret", "topsecret",
]);

/**
 * True when a candidate value is obviously not a real secret: documented examples, template
 * variables, runs of one char, known placeholder words, "your-…"/"<…>" fillers, pure hashes, UUIDs,
 * lock-file integrity strings.
 */
export function isPlaceholder(value: string, hashLike = false): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (DOC_EXAMPLES.has(v)) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/example|dummy|placeholder|changeme|redacted|xxxxx|\*\*\*|\.\.\.|…|your[-_ ]?(own[-_ ]?)?(api[-_ ]?)?(key|token|secret|password|pass)|insert[-_ ]?(your|key|token)|replace[-_ ]?(me|with)|fake|notreal|not[-_]?a[-_]?real|sample|_here$|-here$/i.test(v))
    return true;
  // template / variable references: ${X}, $X, {{ x }}, <x>, %(x)s, %X%, #{x}, @x@, process.env.X
  if (/^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{\{.*\}\}$|^<[^>]*>$|^%\(?[A-Za-z_][A-Za-z0-9_]*\)?s?%?$|^#\{.*\}$|^@[A-Za-z_]+@$|^\[[A-Za-z_ -]*\]$/.test(v))
    return true;
  if (/\$\{|\{\{|\$\(|process\.env|os\.environ|getenv|ENV\[/.test(v)) return true;
  // one repeated char (xxxx, ****, 0000) or an obvious sequence
  if (/^(.)\1+$/.test(v)) return true;
  if (/^(0123456789|1234567890|abcdefgh|abcdef0123|0123456789abcdef)/i.test(v)) return true;
  if (!hashLike && isHashOrId(v)) return true;
  if (/^sha(1|256|384|512)-[A-Za-z0-9+/]+=*$/.test(v)) return true; // SRI / lock-file integrity
  return false;
}

/** Hex digests (md5/sha1/sha224/sha256/sha384/sha512 lengths) and bare UUIDs: identifiers, not secrets. */
export function isHashOrId(v: string): boolean {
  if (/^[0-9a-f]+$/i.test(v) && [32, 40, 56, 64, 96, 128].includes(v.length)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return true;
  return false;
}

export function charClasses(s: string): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;

/** Email addresses in a bounded window (the regex has no nested quantifiers and the input is capped). */
export function emailsIn(window: string, max = 3): AttributionHint[] {
  const out: AttributionHint[] = [];
  const w = window.length > 4096 ? window.slice(0, 4096) : window;
  if (!w.includes("@")) return out;
  for (const m of w.matchAll(EMAIL_RE)) {
    if (out.length >= max) break;
    const prev = m.index > 0 ? w[m.index - 1] : "";
    if (prev === ":" || prev === "/") continue; // userinfo of a URL, not an address
    const e = m[0].toLowerCase();
    if (/\.(png|jpe?g|gif|svg|js|ts|css)$/.test(e)) continue;
    if (!out.some((h) => h.value === e)) out.push({ type: "email", value: e });
  }
  return out;
}

/** Host name of a URL-ish string, lowercased, without port; null if none. */
export function hostOf(url: string): string | null {
  try {
    const u = new URL(url.includes("://") ? url : `https://${url}`);
    return u.hostname ? u.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function pushHint(hints: AttributionHint[], type: AttributionHint["type"], value: string | null | undefined): void {
  if (!value) return;
  if (!hints.some((h) => h.type === type && h.value === value)) hints.push({ type, value });
}
