import { describe, expect, it } from "vitest";
import { controlBytes } from "./control-bytes";
import { rng } from "../test-rng";

/** the plain byte-by-byte definition controlBytes must agree with */
function reference(b: Uint8Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if ((b[i] as number) < 0x20 && ![9, 10, 12, 13, 27].includes(b[i] as number)) c++;
  return c;
}

describe("controlBytes", () => {
  it("counts exactly what a byte-by-byte loop counts, at every alignment and length", () => {
    const r = rng(7);
    for (let t = 0; t < 3000; t++) {
      const len = Math.floor(r() * 70);
      const density = r();
      const backing = Buffer.alloc(len + 8);
      // bytes around the 0x1f/0x20 edge, the allowed controls and high bytes are the cases to get right
      for (let i = 0; i < backing.length; i++) backing[i] = r() < density ? Math.floor(r() * 0x22) : Math.floor(r() * 256);
      const off = Math.floor(r() * 5);
      const view = backing.subarray(off, off + len);
      for (const n of [view.length, Math.floor(view.length / 2)]) expect(controlBytes(view, n)).toBe(reference(view, n));
    }
  });
  it("counts right on views into shared buffers, switching between them", () => {
    const r = rng(11);
    const a = Buffer.from(Array.from({ length: 4099 }, () => (r() < 0.2 ? Math.floor(r() * 0x20) : 0x61)));
    const b = Buffer.allocUnsafe(300).fill(0x09); // from Node's shared pool
    for (let t = 0; t < 500; t++) {
      const src = t % 3 === 0 ? b : a;
      const off = Math.floor(r() * (src.length - 1));
      const view = src.subarray(off, off + Math.floor(r() * 1100));
      expect(controlBytes(view, view.length)).toBe(reference(view, view.length));
    }
  });
  it("counts every byte of long all-control runs (the per-lane counters fold before they overflow) and samples longer than the module's page", () => {
    for (const len of [16 * 127, 16 * 128, 16 * 128 + 1, 16 * 255, 16 * 256 + 7, 4096, 65535, 65536, 65536 * 2 + 100]) {
      const all = Buffer.alloc(len, 0x01);
      expect(controlBytes(all, len)).toBe(len);
      const mixed = Buffer.alloc(len + 3, 0x1b).fill(0x1f, 0, len >> 1);
      expect(controlBytes(mixed.subarray(3), len)).toBe(reference(mixed.subarray(3), len));
    }
  });
});

