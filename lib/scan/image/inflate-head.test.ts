import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { inflateHead, PEEK_BYTES } from "./inflate-head";
import { rng } from "../test-rng";

/** content shapes deflate treats differently: text, repeats (long back-references), noise, a class-file head */
function sample(r: () => number, size: number): Buffer {
  const kind = Math.floor(r() * 4);
  const b = Buffer.alloc(size);
  if (kind === 0) {
    const words = ["password", "=", "token", "\n", "AKIA", " ", "const", "{", "}", "ghp_", "0123456789"];
    let o = 0;
    while (o < size) o += b.write(words[Math.floor(r() * words.length)] as string, o);
  } else if (kind === 1) {
    const unit = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256)));
    for (let o = 0; o < size; o += unit.length) unit.copy(b, o);
  } else {
    for (let i = 0; i < size; i++) b[i] = Math.floor(r() * 256);
    if (kind === 3 && size >= 4) b.writeUInt32BE(0xcafebabe, 0);
  }
  return b;
}

const STRATEGIES = [zlib.constants.Z_DEFAULT_STRATEGY, zlib.constants.Z_FILTERED, zlib.constants.Z_HUFFMAN_ONLY, zlib.constants.Z_RLE, zlib.constants.Z_FIXED];

describe("inflateHead", () => {
  it("yields exactly zlib's first bytes for stored, fixed and dynamic blocks", () => {
    const r = rng(42);
    let checked = 0;
    for (let t = 0; t < 600; t++) {
      const size = [0, 1, 3, 100, 262, 263, 264, 1000, 70_000][t % 9] as number;
      const data = sample(r, size);
      const level = t % 10;
      const strategy = STRATEGIES[Math.floor(t / 10) % STRATEGIES.length] as number;
      const raw = zlib.deflateRawSync(data, { level, strategy });
      // up to PEEK_BYTES a dynamic block is decoded bit by bit, without lookup tables
      for (const want of [4, PEEK_BYTES, PEEK_BYTES + 1, 263, 4096]) {
        const head = inflateHead(raw, want);
        expect(head, `level ${level} strategy ${strategy} size ${size}`).not.toBeNull();
        expect(Buffer.from(head as Uint8Array).equals(data.subarray(0, want))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(3000);
  });

  it("never throws, over-reads or over-produces on corrupt or truncated streams, and agrees with zlib when it answers", () => {
    const r = rng(7);
    let answered = 0;
    for (let t = 0; t < 3000; t++) {
      const data = sample(r, 50 + Math.floor(r() * 2000));
      const raw = Buffer.from(zlib.deflateRawSync(data, { level: 1 + (t % 9), strategy: STRATEGIES[t % STRATEGIES.length] }));
      const bad = t % 2 === 0 ? raw.subarray(0, Math.floor(r() * raw.length)) : raw;
      if (t % 2 === 1) {
        for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
          const i = Math.floor(r() * bad.length);
          bad[i] = (bad[i] as number) ^ (1 << Math.floor(r() * 8));
        }
      }
      // both decoding paths: table-driven, and bit by bit for a short head
      const want = t % 3 === 0 ? 4 : 263;
      const head = inflateHead(bad, want);
      if (head === null) continue;
      expect(head.length).toBeLessThanOrEqual(want);
      // zlib, fed the same bytes, produces the same prefix (or fails before reaching it)
      let ref: Buffer | null = null;
      try {
        ref = zlib.inflateRawSync(bad, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      } catch {
        ref = null;
      }
      if (ref && ref.length >= head.length) {
        expect(Buffer.from(head).equals(ref.subarray(0, head.length))).toBe(true);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(500);
  });

  it("reads a stored block that follows a Huffman block (bytes the decoder read ahead are put back)", async () => {
    // A Huffman block then stored blocks: zlib switched to level 0 mid-stream. Small alphabets
    // give short end-of-block codes, so whole bytes are still in the bit buffer when the stored
    // block starts; dropping them used to misread LEN/NLEN (and a crafted stream could make the
    // misread head look binary, so the member would be skipped unread).
    const r = rng(11);
    let withLeftover = 0;
    for (let t = 0; t < 400; t++) {
      const alphabet = "abcdefgh".slice(0, 1 + Math.floor(r() * 4));
      const first = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 60) }, () => alphabet[Math.floor(r() * alphabet.length)]).join(""));
      const second = Buffer.from(Array.from({ length: 300 }, () => 32 + Math.floor(r() * 90)));
      const d = zlib.createDeflateRaw({ level: 6, strategy: STRATEGIES[t % 4] as number });
      const parts: Buffer[] = [];
      d.on("data", (c: Buffer) => parts.push(c));
      const ended = new Promise<void>((resolve) => d.on("end", () => resolve()));
      d.write(first);
      await new Promise<void>((resolve) => d.params(0, zlib.constants.Z_DEFAULT_STRATEGY, () => resolve()));
      d.end(second);
      await ended;
      const raw = Buffer.concat(parts);
      const want = zlib.inflateRawSync(raw).subarray(0, 263);
      const head = inflateHead(raw, 263);
      expect(head, `case ${t}`).not.toBeNull();
      expect(Buffer.from(head as Uint8Array).equals(want), `case ${t}`).toBe(true);
      if (first.length < 40) withLeftover++;
    }
    expect(withLeftover).toBeGreaterThan(100);
  });

  it("rejects a reserved block type and a back-reference before the start", () => {
    expect(inflateHead(Buffer.from([0x07]), 10)).toBeNull(); // BFINAL=1, BTYPE=11
    // fixed block: a length/distance pair as its first symbol has nothing to copy from
    const raw = zlib.deflateRawSync(Buffer.from("abcabcabcabc"), { strategy: zlib.constants.Z_FIXED });
    expect(Buffer.from(inflateHead(raw, 12) as Uint8Array).toString()).toBe("abcabcabcabc");
    expect(inflateHead(Buffer.from([0x03, 0x02, 0x00]), 10)).toBeNull();
  });
});
