// The detection engine. One linear pass of a keyword prefilter (WebAssembly, see wasm/prefilter.ts)
// finds candidate positions; only a bounded window around each hit is handed to the detector's own
// pattern, compiled with re2js (RE2 semantics: linear time whatever the input), or to a
// hand-written, bounded, linear finder.
import { RE2JS } from "re2js";
import type { AttributionHint, DetectorMatch, Severity, TextContext } from "../types";
import { isPlaceholder } from "./util";
import { KeywordPrefilter } from "./wasm/prefilter";

/**
 * What a precheck may read: a string, or a file's latin1 bytes before they are decoded (the byte
 * gate). Char codes only, so a precheck gives the same answer on both.
 */
export interface Chars {
  readonly length: number;
  charCodeAt(index: number): number;
}

const NO_BYTES = new Uint8Array(0);

/** a file's latin1 bytes seen as Chars (out of range reads NaN, as String#charCodeAt does) */
class Latin1Chars implements Chars {
  length = 0;
  private bytes: Uint8Array = NO_BYTES;

  /** points this view at other bytes: one view serves every gate() call of an engine */
  of(bytes: Uint8Array): this {
    this.bytes = bytes;
    this.length = bytes.length;
    return this;
  }

  charCodeAt(i: number): number {
    return i >= 0 && i < this.length ? (this.bytes[i] as number) : NaN;
  }
}

export interface Env {
  text: string;
  ctx: TextContext;
  lineOf(index: number): number;
  /** per-scan memo for finders (e.g. the next END marker), so repeated hits stay linear */
  memo: Map<string, number>;
}

export interface RegexHit {
  /** absolute index of the secret in env.text */
  index: number;
  end: number;
  secret: string;
  /** absolute index and text of the whole match */
  matchIndex: number;
  match: string;
  groups: (string | null)[];
}

export interface RawMatch {
  secret: string;
  index: number;
  end: number;
  hints: AttributionHint[];
  severity?: Severity;
  /** detector id override (a finder may emit a sibling id, e.g. the key id alone) */
  detector?: string;
  line?: number;
}

/** a match produced by a file-format decoder (docker config, .npmrc, kubeconfig …) */
export interface Decoded extends RawMatch {
  detector: string;
  provider: string;
  severity: Severity;
}

export interface DetectorDef {
  id: string;
  provider: string;
  severity: Severity;
  description: string;
  /** literal prefilter keywords; a detector runs only around a hit of one of them */
  keywords: string[];
  /** keywords must match with this exact case (e.g. AKIA) */
  caseSensitive?: boolean;
  /** RE2 pattern; capture group `group` (default 1, or 0 when there is none) is the secret */
  pattern?: string;
  ignoreCase?: boolean;
  group?: number;
  /** window around a keyword hit: chars before/after, or the hit's line (capped to 4 KiB) */
  window?: { before: number; after: number } | "line";
  /**
   * Cheap necessary condition at the keyword hit, checked before the pattern or finder runs
   * (e.g. a token boundary). It also runs on a file's bytes in gate(): a file whose every hit
   * fails it is never decoded, so it must be false only where the detector finds nothing.
   */
  precheck?: (text: Chars, hit: number) => boolean;
  validate?: (hit: RegexHit, env: Env) => boolean;
  severityOf?: (hit: RegexHit, env: Env) => Severity;
  hints?: (hit: RegexHit, env: Env) => AttributionHint[];
  /** custom linear finder used instead of `pattern` */
  find?: (env: Env, hit: number) => RawMatch[];
  /** 3 provider-specific (default), 2 file decoder, 1 structural (URL, JWT), 0 generic */
  priority?: number;
  /** skip the shared placeholder filter (for formats where it cannot misfire) */
  noPlaceholderFilter?: boolean;
  /** the secret's format is hex or a UUID: do not discard hash- or UUID-shaped values */
  hashLike?: boolean;
  /** the def's own id is never emitted, only its siblings' */
  virtual?: boolean;
  /** extra ids this detector may emit (for DETECTORS/docs), with their own severities */
  siblings?: { id: string; severity: Severity; description: string }[];
}

export const LINE_CAP = 2048;
/** per text; a hostile file cannot make the result unbounded */
export const MAX_MATCHES = 5000;

interface Compiled {
  def: DetectorDef;
  /** compiled on first use: most detectors never see a keyword hit in a given process */
  re: RE2JS | null;
  order: number;
}

export interface Found extends DetectorMatch {
  index: number;
  end: number;
  priority: number;
  order: number;
}

export class Engine {
  private readonly compiled: Compiled[];
  /** per prefilter keyword index: the detectors it triggers */
  private readonly byKeyword: Compiled[][] = [];
  private readonly prefilter: KeywordPrefilter;

  constructor(defs: readonly DetectorDef[]) {
    this.compiled = defs.map((def, order) => ({ def, re: null, order }));
    const index = new Map<string, number>();
    for (const c of this.compiled) {
      for (const k of c.def.keywords) {
        const key = k.toLowerCase();
        let i = index.get(key);
        if (i === undefined) {
          i = index.size;
          index.set(key, i);
          this.byKeyword.push([]);
        }
        (this.byKeyword[i] as Compiled[]).push(c);
      }
    }
    // a keyword is matched case-sensitively by the prefilter only when every detector using it
    // is case-sensitive and spells it the same way
    const spellings = new Map<string, Set<string> | null>();
    for (const c of this.compiled) {
      for (const k of c.def.keywords) {
        const key = k.toLowerCase();
        if (!c.def.caseSensitive) spellings.set(key, null);
        else if (spellings.get(key) !== null) spellings.set(key, (spellings.get(key) ?? new Set<string>()).add(k));
      }
    }
    const keys = [...index.keys()];
    this.prefilter = new KeywordPrefilter(
      keys.map((k) => [...(spellings.get(k) ?? [k])][0] as string),
      keys.map((k) => (spellings.get(k)?.size ?? 0) === 1),
    );
  }

  /** keyword hits (pairs of keyword index, start) found by gate() for the bytes the next scan() gets */
  private gated: { bytes: Uint8Array; hits: number[] } | null = null;
  private readonly chars = new Latin1Chars();

  private keywordHits(text: string | null, bytes?: Uint8Array): number[] {
    const hits: number[] = [];
    this.prefilter.scan(text, (k, hit) => hits.push(k, hit), bytes);
    return hits;
  }

  /**
   * Runs the keyword prefilter over the latin1 bytes of a text before it is decoded: false means
   * scan() would find nothing there, so the caller can skip decoding it into a string. Otherwise
   * the hits are kept for the scan() of these same bytes, so the prefilter still runs once.
   * `mayDecode(path)`, asked only when there is no live hit, keeps the bytes for scan() anyway: a
   * file-format decoder applies to them.
   */
  gate(bytes: Uint8Array, mayDecode: (path: string) => boolean, path: string): boolean {
    // Only hits that some detector's precheck accepts are kept: on real images most keyword hits
    // are dead on arrival ("://" without credentials, "AKIA" inside base64), and a file with no
    // live hit is never turned into a string. This runs for every text file of an image: the
    // callback and the hit list are reused, so a file without live hits allocates nothing.
    this.chars.of(bytes);
    const hits = this.gateHits;
    hits.length = 0;
    this.prefilter.scan(null, this.onGateHit, bytes);
    this.chars.of(NO_BYTES); // holds no file past the call
    const live = hits.length > 0;
    this.gated = live || mayDecode(path) ? { bytes, hits: live ? hits.slice() : [] } : null;
    return this.gated !== null;
  }

  private readonly gateHits: number[] = [];
  private readonly onGateHit = (k: number, hit: number): void => {
    for (const c of this.byKeyword[k] as Compiled[]) {
      if (this.mayMatchAt(c.def, this.chars, hit)) {
        this.gateHits.push(k, hit);
        return;
      }
    }
  };

  private mayMatchAt(def: DetectorDef, text: Chars, hit: number): boolean {
    if (def.caseSensitive && !startsWithAny(text, def.keywords, hit)) return false;
    return !def.precheck || def.precheck(text, hit);
  }

  /** `bytes`, if given, is the text's latin1 encoding (lets the prefilter skip re-encoding it) */
  scan(text: string, ctx: TextContext, decode?: (env: Env) => Decoded[], bytes?: Uint8Array): Found[] {
    let newlines: number[] | null = null;
    const lineOf = (index: number): number => {
      if (!newlines) {
        newlines = [];
        let p = text.indexOf("\n");
        while (p !== -1) {
          newlines.push(p);
          p = text.indexOf("\n", p + 1);
        }
      }
      let lo = 0;
      let hi = newlines.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((newlines[mid] as number) < index) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    };
    const env: Env = { text, ctx, lineOf, memo: new Map() };
    const found: Found[] = [];
    if (decode) {
      for (const d of decode(env)) {
        if (isPlaceholder(d.secret, true) || found.length >= MAX_MATCHES) continue;
        found.push({
          detector: d.detector,
          provider: d.provider,
          severity: d.severity,
          secret: d.secret,
          line: d.line ?? lineOf(d.index),
          hints: d.hints,
          index: d.index,
          end: d.end,
          priority: 2,
          order: -1,
        });
      }
    }
    const seen = new Set<string>();
    // per detector: last window scanned, to avoid rescanning the same region for clustered hits
    const lastWin = new Map<number, [number, number]>();

    const gated = this.gated;
    this.gated = null;
    const hits = gated && bytes && gated.bytes === bytes && bytes.length === text.length ? gated.hits : this.keywordHits(text, bytes);
    for (let h = 0; h < hits.length; h += 2) {
      const hit = hits[h + 1] as number;
      for (const c of this.byKeyword[hits[h] as number] as Compiled[]) {
        const def = c.def;
        if (!this.mayMatchAt(def, text, hit)) continue;
        if (def.find) {
          // finders are bounded hand-written scans; `seen` dedupes repeated hits on one secret
          for (const r of def.find(env, hit)) this.accept(found, seen, c, r, env);
          continue;
        }
        if (!def.pattern) continue;
        const [ws, we] = windowOf(text, hit, def.window ?? "line");
        const win = lastWin.get(c.order);
        if (win && ws >= win[0] && we <= win[1]) continue;
        lastWin.set(c.order, [ws, we]);
        this.runPattern(c, env, ws, we, found, seen);
      }
    }
    return found;
  }

  private runPattern(c: Compiled, env: Env, ws: number, we: number, found: Found[], seen: Set<string>): void {
    const def = c.def;
    const sub = env.text.slice(ws, we);
    c.re ??= RE2JS.compile(def.pattern as string, def.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    const mm = c.re.matcher(sub);
    const groupCount = mm.groupCount();
    let guard = 0;
    while (mm.find() && guard++ < 64) {
      // the secret is `group`, else the first capture group that took part, else the whole match
      let g = def.group ?? 0;
      if (def.group === undefined) {
        for (let i = 1; i <= groupCount; i++) {
          if (mm.group(i) != null) {
            g = i;
            break;
          }
        }
      }
      const secret = mm.group(g);
      if (secret == null || secret.length === 0) continue;
      const groups: (string | null)[] = [];
      for (let i = 0; i <= groupCount; i++) groups.push(mm.group(i));
      const hit: RegexHit = {
        index: ws + mm.start(g),
        end: ws + mm.end(g),
        secret,
        matchIndex: ws + mm.start(0),
        match: mm.group(0) ?? "",
        groups,
      };
      if (def.validate && !def.validate(hit, env)) continue;
      this.accept(
        found,
        seen,
        c,
        {
          secret,
          index: hit.index,
          end: hit.end,
          hints: def.hints ? def.hints(hit, env) : [],
          severity: def.severityOf ? def.severityOf(hit, env) : undefined,
        },
        env,
      );
    }
  }

  private accept(found: Found[], seen: Set<string>, c: Compiled, r: RawMatch, env: Env): void {
    const def = c.def;
    const id = r.detector ?? def.id;
    const key = `${id}\u0000${r.index}`;
    if (seen.has(key) || found.length >= MAX_MATCHES) return;
    seen.add(key);
    if (!def.noPlaceholderFilter && isPlaceholder(r.secret, def.hashLike)) return;
    found.push({
      detector: id,
      provider: def.provider,
      severity: r.severity ?? def.siblings?.find((s) => s.id === id)?.severity ?? def.severity,
      secret: r.secret,
      line: r.line ?? env.lineOf(r.index),
      hints: r.hints,
      index: r.index,
      end: r.end,
      priority: def.priority ?? 3,
      order: c.order,
    });
  }
}

function startsWithAny(text: Chars, keywords: string[], at: number): boolean {
  next: for (const kw of keywords) {
    if (at + kw.length > text.length) continue;
    for (let i = 0; i < kw.length; i++) if (text.charCodeAt(at + i) !== kw.charCodeAt(i)) continue next;
    return true;
  }
  return false;
}

export function windowOf(text: string, hit: number, w: { before: number; after: number } | "line"): [number, number] {
  if (w === "line") {
    // Bounded scans both ways: a 10 MB minified line with many hits must stay linear.
    const lo = Math.max(0, hit - LINE_CAP);
    let s = hit;
    while (s > lo && text.charCodeAt(s - 1) !== 10) s--;
    const hi = Math.min(text.length, hit + LINE_CAP);
    let e = hit;
    while (e < hi && text.charCodeAt(e) !== 10) e++;
    return [s, e];
  }
  return [Math.max(0, hit - w.before), Math.min(text.length, hit + w.after)];
}

/** Keeps the most specific match for each span: provider-specific > decoder > structural > generic. */
export function resolve(found: Found[]): DetectorMatch[] {
  const sorted = [...found].sort((a, b) => b.priority - a.priority || a.order - b.order || a.index - b.index);
  const kept: Found[] = [];
  // kept spans sorted by start, for a binary-searched overlap test (hostile texts can yield many)
  const spans: [number, number][] = [];
  for (const f of sorted) {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((spans[mid] as [number, number])[0] < f.end) lo = mid + 1;
      else hi = mid;
    }
    // spans[0..lo) start before f.end; any of them ending after f.index overlaps. Spans of kept
    // matches never overlap each other, so checking the last one is enough.
    const prev = spans[lo - 1];
    if (prev && prev[1] > f.index) continue;
    spans.splice(lo, 0, [f.index, f.end]);
    kept.push(f);
  }
  kept.sort((a, b) => a.index - b.index || a.order - b.order);
  return kept.map(({ detector, provider, severity, secret, line, hints }) => ({ detector, provider, severity, secret, line, hints }));
}
