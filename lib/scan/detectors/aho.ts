// Aho–Corasick automaton over ASCII, case-insensitive: one linear pass reports every keyword
// occurrence (overlapping ones included). A full DFA table (states × 128) keeps the inner loop to a
// table lookup per char; non-ASCII chars reset to the root (all keywords are ASCII).
export class AhoCorasick {
  private readonly delta: Uint16Array | Uint32Array;
  /** per state: index into outputs lists, or -1 */
  private readonly out: Int32Array;
  private readonly outputs: number[][];
  readonly keywords: string[];

  constructor(keywords: string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    const goto: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    this.keywords.forEach((k, ki) => {
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (c >= 128) throw new Error(`keyword must be ASCII: ${k}`);
        let nx = (goto[s] as Map<number, number>).get(c);
        if (nx === undefined) {
          nx = goto.length;
          goto.push(new Map());
          ends.push([]);
          (goto[s] as Map<number, number>).set(c, nx);
        }
        s = nx;
      }
      (ends[s] as number[]).push(ki);
    });
    const n = goto.length;
    const delta = n < 65536 ? new Uint16Array(n * 128) : new Uint32Array(n * 128);
    const fail = new Int32Array(n);
    const merged: number[][] = ends.map((e) => [...e]);
    // BFS: build the DFA; lower- and upper-case letters share transitions
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const nx = (goto[0] as Map<number, number>).get(lower(c));
      delta[c] = nx ?? 0;
      if (nx !== undefined && !queue.includes(nx)) {
        fail[nx] = 0;
        queue.push(nx);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi] as number;
      merged[s] = [...(merged[s] as number[]), ...(merged[fail[s] as number] as number[])];
      for (let c = 0; c < 128; c++) {
        const nx = (goto[s] as Map<number, number>).get(lower(c));
        if (nx !== undefined) {
          if (c === lower(c)) {
            fail[nx] = delta[(fail[s] as number) * 128 + c] as number;
            queue.push(nx);
          }
          delta[s * 128 + c] = nx;
        } else {
          delta[s * 128 + c] = delta[(fail[s] as number) * 128 + c] as number;
        }
      }
    }
    this.delta = delta;
    this.out = new Int32Array(n).fill(-1);
    this.outputs = [];
    for (let s = 0; s < n; s++) {
      const m = merged[s] as number[];
      if (m.length) {
        this.out[s] = this.outputs.length;
        this.outputs.push(m);
      }
    }
  }

  /** Calls onHit(keywordIndex, startIndex) for every occurrence, in order of end position. */
  scan(text: string, onHit: (keyword: number, start: number) => void): void {
    const delta = this.delta;
    const out = this.out;
    const kws = this.keywords;
    let s = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? (delta[(s << 7) | c] as number) : 0;
      const o = out[s] as number;
      if (o >= 0) {
        for (const k of this.outputs[o] as number[]) onHit(k, i + 1 - (kws[k] as string).length);
      }
    }
  }
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
