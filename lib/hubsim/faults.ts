// Fault injection: decides, per request, whether a configured fault applies. Count-limited
// faults fire on the first N matching requests; probability faults use a seeded RNG so a test
// run is reproducible.
import type { Fault } from "./world";

export type SimHost = "hub" | "search" | "token" | "registry" | "blob";

/** mulberry32: small, fast, seedable. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FaultState {
  fault: Fault;
  re: RegExp;
  used: number;
}

export class FaultPlan {
  private readonly states: FaultState[];
  private readonly rng: () => number;
  injected = 0;

  constructor(faults: Fault[], seed: number) {
    this.states = faults.map((fault) => ({ fault, re: new RegExp(fault.match.path), used: 0 }));
    this.rng = seededRng(seed);
  }

  /** The fault to apply to this request, if any (at most one: the first that fires). */
  pick(host: SimHost, method: string, pathAndQuery: string): Fault | null {
    for (const s of this.states) {
      const m = s.fault.match;
      if (m.host !== "any" && m.host !== host) continue;
      if (m.method !== "ANY" && m.method !== method) continue;
      if (!s.re.test(pathAndQuery)) continue;
      if (s.fault.count !== undefined) {
        if (s.used >= s.fault.count) continue;
      } else if (s.fault.probability !== undefined) {
        if (this.rng() >= s.fault.probability) continue;
      }
      s.used++;
      this.injected++;
      return s.fault;
    }
    return null;
  }
}
