// Multi-keyword prefilter. V8's backtracking engine slows down linearly with the number of
// alternatives (150+ keywords: ~20x slower than a 6-word alternation) and a JavaScript
// Aho–Corasick loop is slower still, so the per-byte loop runs in a tiny WebAssembly module
// (prefilter.wat, assembled with wabt's wat2wasm; bytes embedded below). It flags positions whose
// last 3 bytes are a 3-char keyword or whose last 4 bytes hash into the set of keyword prefixes;
// each flagged position is then verified against the real keywords (in the module for bytes, in
// JavaScript for strings). Linear, no regex.

const WASM_B64 = "AGFzbQEAAAABFQJgBH9/f38Bf2AIf39/f39/f38BfwMDAgABBQMBAEAHFwMDbWVtAgAEc2NhbgAABnZlcmlmeQABCvgGAqoDAQV/IAIgA2ohCCAIIQUgAEEDayEEAkADQCAEQQpqIAFKDQEgBSAEQQNqNgIAIAUgBC8BAkH//gFxLQCAgAhBAnRqIQUgBSAEQQVqNgIAIAUgBC8BBEH//gFxLQCAgAhBAnRqIQUgBSAEQQdqNgIAIAUgBC8BBkH//gFxLQCAgAhBAnRqIQUgBSAEQQlqNgIAIAUgBC8BCEH//gFxLQCAgAhBAnRqIQUgBEEIaiEEDAALCwJAA0AgBEEDaiABTg0BIAUgBEEDajYCACAFIAQvAQJB//4BcS0AgIAIQQJ0aiEFIARBAmohBAwACwsgCCEGIAIhBAJAA0AgBiAFTw0BIAYoAgAhACAAQQNrKAIAQaDAgIECckH//v37B3FBsfPd8XlsQQx2IQcgBCAANgIAIAQgB0EDdi0AACAHQQdxdkEBcUECdGohBCAAQQJrKAIAQaDAgIECckH//v37B3FBsfPd8XlsQQx2IQcgBCAAQQFqNgIAIAQgB0EDdi0AACAHQQdxdkEBcSAAQQFqIAFJcUECdGohBCAGQQRqIQYMAAsLIAQgAmtBAnYLyQMBEn8gACABQQJ0aiEIIAYhFAJAA0AgACAITw0BIAAoAgAhCSAAQQRqIQAgCSAESQ0AIAlBA2soAgBBoMCAgQJyQf/+/fsHcSEKQQAhGQNAIAogCkEIdkGAgICAeHIgGUUbIQsgC0Gx893xeWxBFnYhDEEAIQ0CQANAIAcgDEEDdGooAgAhESARRQ0BIBEgC0YEQCAHIAxBA3RqKAIEIQ0MAgsgDEEBakH/B3EhDAwACwsgDQRAIA0oAgAhDiANQQRqIQ8CQANAIA5FDQEgDkEBayEOIA8oAgAhECAPLwEEIREgCUEDIBlrayAPLQAGayESIA9BCGohDyAQLQAAIRMgEiACSCASIBNqIANKcgRAIAUgEiACSHFFBEAgFCARQYCAgIB4cjYCACAUIBI2AgQgFEEIaiEUCwwBCyAQLQABIRhBACEVAkACQANAIBUgE08NASASIBVqLQAAIRYgECAVai0AAiEXIBYgF0cEQCAYDQMgF0HhAGtBGk8NAyAWIBdBIGtHDQMLIBVBAWohFQwACwsgFCARNgIAIBQgEjYCBCAUQQhqIRQLDAALCwsgGUEBaiEZIBlBAkkNAAsMAAsLIBQgBmtBA3YL";

const BITMAP = 0;
const GATE = 131072;
const OUT = GATE + 32768;
const CHUNK = 256 * 1024;
/** pass 1's candidate list starts this many bytes after OUT (see prefilter.wat) */
const SCRATCH = CHUNK * 2 + 64;
/** zero padding before the input: the loop reads the 3 bytes before its first position */
const IN = OUT + CHUNK * 4 + 128;
/** verify's keyword table (hash slots, then lists and keyword records) and its hits, after the input */
const TABLE = 2 << 20;
const TABLE_SLOTS = 1024;
const HITS = TABLE + 64 * 1024;
const HIT_CAP = ((4 << 20) - HITS) >> 3;

const fold = (c: number) => (c | 0x20) & 0x7f;
/** same hash as the WebAssembly loop: top 20 bits of (4 folded bytes as a little-endian word) * golden ratio */
const hash4 = (a: number, b: number, c: number, d: number) => Math.imul(fold(a) | (fold(b) << 8) | (fold(c) << 16) | (fold(d) << 24), 0x9e3779b1) >>> 12;

interface Exports {
  mem: WebAssembly.Memory;
  scan(p: number, end: number, out: number, scratch: number): number;
  verify(c: number, n: number, lo: number, hi: number, min: number, atStart: number, out: number, tab: number): number;
}

export class KeywordPrefilter {
  readonly keywords: string[];
  private readonly exp: Exports;
  private readonly bytes: Buffer;
  private readonly out32: Int32Array;
  private readonly tri = new Map<string, number[]>();
  /** chosen 4-gram → keywords containing it at `offset` */
  private readonly quad = new Map<string, { k: number; offset: number }[]>();

  /** per keyword: its exact spelling when it must match case-sensitively */
  private readonly exact: (string | null)[];
  /** candidates per verify call (bounded by the hit buffer) */
  private readonly verifyBatch: number;

  /** `exactCase[i]`: keyword i only matters with exactly this spelling (e.g. "AKIA", "ghp_") */
  constructor(keywords: string[], exactCase: boolean[] = []) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    // case-insensitive matches of case-sensitive prefixes ("abia" in base64, "Akia") are the
    // most frequent false hits on real files: reject them here, before any callback
    this.exact = keywords.map((k, i) => (exactCase[i] ? k : null));
    const mod = new WebAssembly.Module(Buffer.from(WASM_B64, "base64"));
    this.exp = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
    this.bytes = Buffer.from(this.exp.mem.buffer);
    this.out32 = new Int32Array(this.exp.mem.buffer);
    this.bytes.fill(0, BITMAP, IN);
    const set = (h: number) => {
      this.bytes[BITMAP + (h >>> 3)] = (this.bytes[BITMAP + (h >>> 3)] as number) | (1 << (h & 7));
    };
    // the gate is indexed by 7-bit pairs, not case-folded ones (see caseVariants)
    const gate = (a: number, b: number, exactCase: boolean) => {
      for (const x of caseVariants(a, exactCase)) for (const y of caseVariants(b, exactCase)) this.bytes[GATE + (x | (y << 8))] = 1;
    };
    // verify's keys (the byte path): the folded little-endian word of a 4-gram, or of a 3-char
    // keyword with the top bit set
    const byWord = new Map<number, { k: number; offset: number }[]>();
    this.keywords.forEach((k, i) => {
      // (verify's keyword records hold a length byte)
      if (k.length < 3 || k.length > 255 || /[^\x01-\x7f]/.test(k)) throw new Error(`prefilter keyword must be ASCII, 3 to 255 chars: ${k}`);
      const c = [...k].map((ch) => ch.charCodeAt(0));
      const [c0, c1, c2] = c as [number, number, number];
      // the gate's chars: the exact spelling when the keyword is exact-case
      const exactSpelling = this.exact[i];
      const e = exactSpelling ? [...exactSpelling].map((ch) => ch.charCodeAt(0)) : c;
      if (k.length === 3) {
        // any byte may precede a 3-char keyword: enter every folded value (at the start of the
        // text the zero padding folds to a space)
        for (let p = 0x20; p < 0x80; p++) set(hash4(p, c0, c1, c2));
        // the wasm loop visits every second position: enter the pair seen when the keyword ends
        // on a visited position and the one seen when it ends just after one
        gate(e[1] as number, e[2] as number, !!exactSpelling);
        gate(e[0] as number, e[1] as number, !!exactSpelling);
        push(this.tri, k, i);
        push(byWord, (fold(c0) | (fold(c1) << 8) | (fold(c2) << 16) | 0x80000000) >>> 0, { k: i, offset: 0 });
      } else {
        // the keyword's rarest 4-gram, not its prefix: "storage_account_key" is looked up by
        // "t_ke", not by "stor" (store, storage …), which keeps false candidates and gate passes low
        let best = 0;
        const spelled = exactSpelling ?? k;
        let bestCost = gramCost(spelled, 0, !!exactSpelling);
        for (let o = 1; o + 4 <= k.length; o++) {
          const cost = gramCost(spelled, o, !!exactSpelling);
          if (cost < bestCost) [best, bestCost] = [o, cost];
        }
        const g = c.slice(best, best + 4) as [number, number, number, number];
        set(hash4(g[0], g[1], g[2], g[3]));
        gate(e[best + 2] as number, e[best + 3] as number, !!exactSpelling);
        gate(e[best + 1] as number, e[best + 2] as number, !!exactSpelling);
        push(this.quad, k.substr(best, 4), { k: i, offset: best });
        push(byWord, (fold(g[0]) | (fold(g[1]) << 8) | (fold(g[2]) << 16) | (fold(g[3]) << 24)) >>> 0, { k: i, offset: best });
      }
    });
    this.verifyBatch = this.buildVerifyTable(byWord);
  }

  /**
   * Lays out verify's keyword table in the module's memory (see prefilter.wat) from its keys and
   * lists; returns how many candidates one verify call may take without overflowing the hit buffer
   * (each candidate yields at most its two lists' entries).
   */
  private buildVerifyTable(byWord: Map<number, { k: number; offset: number }[]>): number {
    const mem = this.bytes;
    const view = new DataView(mem.buffer);
    mem.fill(0, TABLE, HITS);
    let at = TABLE + TABLE_SLOTS * 8;
    const record = new Map<number, number>();
    this.keywords.forEach((kw, k) => {
      const spelled = this.exact[k] ?? kw;
      record.set(k, at);
      mem[at] = spelled.length;
      mem[at + 1] = this.exact[k] ? 1 : 0;
      mem.write(spelled, at + 2, "latin1");
      at += 2 + spelled.length;
    });
    at = (at + 3) & ~3;
    let longest = 0;
    for (const [key, entries] of byWord) {
      let slot = Math.imul(key, 0x9e3779b1) >>> 22;
      while (view.getUint32(TABLE + slot * 8, true) !== 0) slot = (slot + 1) & (TABLE_SLOTS - 1);
      view.setUint32(TABLE + slot * 8, key, true);
      view.setUint32(TABLE + slot * 8 + 4, at, true);
      view.setUint32(at, entries.length, true);
      at += 4;
      for (const { k, offset } of entries) {
        view.setUint32(at, record.get(k) as number, true);
        view.setUint16(at + 4, k, true);
        mem[at + 6] = offset;
        at += 8;
      }
      longest = Math.max(longest, entries.length);
    }
    if (at > HITS) throw new Error("prefilter: keyword table too large");
    return Math.max(1, Math.floor(HIT_CAP / (2 * Math.max(1, longest))));
  }

  /**
   * Calls onHit(keywordIndex, start) for every case-insensitive keyword occurrence. `bytes`, when
   * given, must be the text's latin1 encoding (one byte per char, as the image scanner decodes):
   * it is copied straight into the module and candidates are verified on bytes, allocation-free.
   */
  scan(text: string | null, onHit: (keyword: number, start: number) => void, bytes?: Uint8Array): void {
    if (text === null && !bytes) throw new Error("prefilter: text or bytes required");
    // without bytes, `text` is given: candidates are verified on it
    const str = text ?? "";
    const n = bytes ? bytes.length : str.length;
    const mem = this.bytes;
    for (let s = 0; s < n; s += CHUNK) {
      const from = Math.max(0, s - 3);
      const to = Math.min(n, s + CHUNK);
      // most texts fit one chunk: no view for them (this runs for every text file of an image)
      if (bytes) mem.set(from === 0 && to === n ? bytes : bytes.subarray(from, to), IN);
      // latin1 keeps one byte per UTF-16 unit, so byte offsets are string offsets
      else mem.write(str.slice(from, to), IN, to - from, "latin1");
      const count = this.exp.scan(IN, IN + (to - from), OUT, SCRATCH);
      if (bytes) {
        this.verifyBytes(bytes, count, s, from, to, onHit);
        continue;
      }
      const base = OUT >> 2;
      for (let i = 0; i < count; i++) {
        const end = (this.out32[base + i] as number) - IN + from;
        if (end < s) continue; // reported by the previous chunk
        if (end >= 3) {
          const bucket = this.quad.get(str.substr(end - 3, 4).toLowerCase());
          if (bucket) {
            for (const { k, offset } of bucket) {
              const kw = this.keywords[k] as string;
              const start = end - 3 - offset;
              if (start >= 0 && (kw.length === 4 || str.substr(start, kw.length).toLowerCase() === kw) && this.exactAt(str, k, start)) onHit(k, start);
            }
          }
        }
        if (end >= 2 && this.tri.size) {
          const start = end - 2;
          const bucket = this.tri.get(str.substr(start, 3).toLowerCase());
          if (bucket) for (const k of bucket) if (this.exactAt(str, k, start)) onHit(k, start);
        }
      }
    }
  }

  /**
   * The candidates of one chunk, verified against the keywords in WebAssembly (verify in
   * prefilter.wat): only real occurrences come back. Verifying them here in JavaScript cost ~90 ns
   * per candidate, and TurboFan compiled this function two or three times per scan (the hit
   * callback inlined into it).
   */
  private verifyBytes(bytes: Uint8Array, count: number, s: number, from: number, to: number, onHit: (keyword: number, start: number) => void): void {
    const out = this.out32;
    for (let i = 0; i < count; i += this.verifyBatch) {
      const n = this.exp.verify(OUT + i * 4, Math.min(this.verifyBatch, count - i), IN, IN + (to - from), IN + (s - from), from === 0 ? 1 : 0, HITS, TABLE);
      for (let h = HITS >> 2, last = h + n * 2; h < last; h += 2) {
        const k = out[h] as number;
        const start = (out[h + 1] as number) - IN + from;
        if (k >= 0) {
          onHit(k, start);
          continue;
        }
        // the keyword reaches outside the chunk's copy: checked on the caller's bytes
        const kk = k & 0x7fffffff;
        const kw = this.keywords[kk] as string;
        if (start >= 0 && start + kw.length <= bytes.length && this.matchAt(bytes, start, kw, this.exact[kk])) onHit(kk, start);
      }
    }
  }

  private exactAt(text: string, k: number, start: number): boolean {
    const e = this.exact[k];
    return e == null || text.startsWith(e, start);
  }

  /** case-insensitive match of an ASCII keyword (lowercase) at an offset of `mem`, or exact when `exact` is given */
  private matchAt(mem: Uint8Array, at: number, kw: string, exact?: string | null): boolean {
    if (exact) {
      for (let j = 0; j < exact.length; j++) if (mem[at + j] !== exact.charCodeAt(j)) return false;
      return true;
    }
    for (let j = 0; j < kw.length; j++) {
      const b = mem[at + j] as number;
      const c = kw.charCodeAt(j);
      if (b !== c && !(c >= 97 && c <= 122 && b === c - 32)) return false;
    }
    return true;
  }
}

// How often a pair of bytes occurs in real image text: the 300 most frequent exact (7-bit) byte
// pairs, most frequent first, counted on the text files of the benchmark corpus (329 MB from
// node_modules and /usr/share). A keyword's gate pairs pass on every occurrence, so its 4-gram is
// chosen to make those pairs rare; a pair's weight approximates its frequency (Zipf: 1 / rank).
const BIGRAM_RANK: string = "  AAIAACAgn onere reinortedeCAenthesco tstatAE\\ntintlet s rianettrKAmeIgQQ,CEAsealiois cABASnsitar aro igCAiC,heod, : peliADAGcengtaAkedtoas *paai srtIQexr ecd rapoomnd,Ect {ur fQAsslaAI*  = rnos.= amne oIGicllYCNgnc</sg \"AQfieaophiulgeCyunouim }veBE<UBBREacf > clmaAyelBC;IutEgspAMICttMABAsi00 <ogva) xpORpremDQchEBilAUmp nty><soB, (y  ena//GA);ALNOggQgluuets pibJAs/ b=\",Ica lypQCifhaGNumAhAFA0AKtuloNwrn d mI,JBrsptCoe.diECKQE,adocbeofE;efFBbuo MggIAOhtotDAC;**rrIB,GapEE==.cCC;\\ATe/jsppmiagIE wplfoEDl a ry0A/sAWayusigRAkegiBSBig idAHOA SNBoloioo A\",-- vm s:nuRe T\">ELt//cosshckrcwi/nENieEIG,,MM,";
// indexed by the pair's 7-bit codes, a | b << 7 (a table, not a Map of strings: this runs for
// every gram of every keyword when the engine is built, inside a first scan's time)
const BIGRAM_WEIGHT = new Float64Array(128 * 128);
for (let i = 0; i + 1 < BIGRAM_RANK.length; i += 2) {
  const pair = BIGRAM_RANK.charCodeAt(i) | (BIGRAM_RANK.charCodeAt(i + 1) << 7);
  if (BIGRAM_WEIGHT[pair] === 0) BIGRAM_WEIGHT[pair] = 1000 / (i / 2 + 1);
}
/**
 * The spellings of a keyword char that the gate holds: a case-insensitive keyword's letters in
 * both cases (keywords are lowercase), an exact-case keyword's chars as spelled.
 */
function caseVariants(c: number, exactCase: boolean): number[] {
  return !exactCase && c >= 97 && c <= 122 ? [c, c - 32] : [c];
}
/** gate weight of the pair (a, b) (char codes): the sum over the spellings the gate holds for it */
function pairWeight(a: number, b: number, exactCase: boolean): number {
  let w = 0;
  for (const x of caseVariants(a, exactCase)) for (const y of caseVariants(b, exactCase)) w += BIGRAM_WEIGHT[x | (y << 7)] as number;
  return w;
}
/** the 4 chars of `k` at `o`, as spelled (exact-case keywords) or lowercase: its two gate pairs decide */
function gramCost(k: string, o: number, exactCase: boolean): number {
  const c1 = k.charCodeAt(o + 1);
  const c2 = k.charCodeAt(o + 2);
  return pairWeight(c1, c2, exactCase) + pairWeight(c2, k.charCodeAt(o + 3), exactCase);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
