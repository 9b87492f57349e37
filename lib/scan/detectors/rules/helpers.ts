// Builders for the two common detector shapes. Patterns are RE2 syntax (run by re2js).
import type { AttributionHint, Severity } from "../../types";
import type { Chars, DetectorDef, RegexHit } from "../engine";
import { emailsIn, shannon } from "../util";

/** boundary before / after a token (start of window or a non-token char) */
export const B = "(?:^|[^A-Za-z0-9_])";
export const E = "(?:[^A-Za-z0-9_-]|$)";

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** the keyword starts a token: nothing word-like right before it */
export const atBoundary = (text: Chars, hit: number) => hit === 0 || !isWord(text.charCodeAt(hit - 1));
export const isDigit = (c: number) => c >= 48 && c <= 57;
const isLowerHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102);
const isHexAt = (text: Chars, i: number) => {
  const c = text.charCodeAt(i);
  return isLowerHex(c) || (c >= 65 && c <= 70);
};
/** `n` chars of lowercase hex [0-9a-f] from `at` on */
export const lowerHexRun = (text: Chars, at: number, n: number) => {
  if (at < 0 || at + n > text.length) return false;
  for (let i = at; i < at + n; i++) if (!isLowerHex(text.charCodeAt(i))) return false;
  return true;
};
/** the keyword follows a hex run (e.g. `<32 hex>-us12`, `<36 hex>NRAL`) */
export const afterHex = (text: Chars, hit: number) => hit > 0 && isHexAt(text, hit - 1);
export const afterDigit = (text: Chars, hit: number) => isDigit(text.charCodeAt(hit - 1));

/** longest keyword (29) + 61 + longest contextual value (88) + boundary, rounded up */
const CONTEXT_AFTER = 256;

const isTokenChar = (c: number) => isWord(c) || c === 45;
/** precheck: `n` token chars ([A-Za-z0-9_-]) from the hit on (cheaper than the pattern on misses) */
export const tokenRun = (n: number) => (text: Chars, hit: number) => {
  if (hit + n > text.length) return false;
  for (let i = hit; i < hit + n; i++) if (!isTokenChar(text.charCodeAt(i))) return false;
  return true;
};

interface Opts {
  precheck?: DetectorDef["precheck"];
  validate?: DetectorDef["validate"];
  severityOf?: DetectorDef["severityOf"];
  hints?: DetectorDef["hints"];
  caseSensitive?: boolean;
  hashLike?: boolean;
  minEntropy?: number;
  priority?: number;
  keywordsAt?: "start" | "anywhere";
}

function withEntropy(validate: DetectorDef["validate"], minEntropy?: number): DetectorDef["validate"] {
  if (minEntropy === undefined) return validate;
  return (hit, env) => shannon(hit.secret) >= minEntropy && (!validate || validate(hit, env));
}

/**
 * A self-identifying token: `body` starts with the keyword (a distinctive prefix), so the pattern
 * only runs on [hit - 1, hit + maxLen + 1].
 */
export function token(
  id: string,
  provider: string,
  severity: Severity,
  description: string,
  keywords: string[],
  body: string,
  maxLen: number,
  opts: Opts = {},
): DetectorDef {
  return {
    id,
    provider,
    severity,
    description,
    keywords,
    caseSensitive: opts.caseSensitive ?? true,
    pattern: `${B}(${body})${E}`,
    window: opts.keywordsAt === "anywhere" ? { before: maxLen + 1, after: maxLen + 1 } : { before: 1, after: maxLen + 2 },
    precheck: opts.precheck ?? (opts.keywordsAt === "anywhere" ? undefined : atBoundary),
    validate: withEntropy(opts.validate, opts.minEntropy),
    severityOf: opts.severityOf,
    hints: opts.hints,
    hashLike: opts.hashLike,
    priority: opts.priority,
  };
}

/**
 * A value that only means something next to a context word (e.g. `DATADOG_API_KEY=<32 hex>`):
 * the keyword, up to 60 chars of the same line, then the value with boundaries.
 */
export function contextual(
  id: string,
  provider: string,
  severity: Severity,
  description: string,
  keywords: string[],
  value: string,
  opts: Opts = {},
): DetectorDef {
  const kw = keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|");
  return {
    id,
    provider,
    severity,
    description,
    keywords,
    caseSensitive: opts.caseSensitive ?? false,
    pattern: `(?i:${kw})[^\\n]{0,60}?(?:^|[^A-Za-z0-9_+/.-])(${value})(?:[^A-Za-z0-9_+/=-]|$)`,
    // the match starts at the keyword and spans at most keyword + 61 + value (≤ 90) + 1 chars:
    // a window from the hit, not the whole line (RE2's NFA on 4 KiB lines cost ms per hit)
    window: { before: 0, after: CONTEXT_AFTER },
    validate: withEntropy(opts.validate, opts.minEntropy ?? 3.0),
    severityOf: opts.severityOf,
    hints: opts.hints ?? ((hit, env) => nearbyEmails(hit, env.text)),
    hashLike: opts.hashLike ?? true,
    priority: opts.priority,
  };
}

export function nearbyEmails(hit: RegexHit, text: string): AttributionHint[] {
  const s = Math.max(0, hit.index - 512);
  return emailsIn(text.slice(s, Math.min(text.length, hit.end + 512)), 2);
}
