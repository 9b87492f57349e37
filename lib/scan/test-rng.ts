// Tests only: a seeded generator (an LCG) of numbers in [0, 1), so randomised tests replay the same
// cases on every run.
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
