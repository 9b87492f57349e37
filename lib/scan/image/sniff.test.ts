import { describe, expect, it } from "vitest";
import { controlBytes, SNIFF_BYTES, SURE_BYTES, sniffContent, surelyBinary } from "./sniff";

/** the plain byte-by-byte definition controlBytes must agree with */
function reference(b: Uint8Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if ((b[i] as number) < 0x20 && ![9, 10, 12, 13, 27].includes(b[i] as number)) c++;
  return c;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
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
  it("counts right on views into shared buffers, switching between them (word views are cached per buffer)", () => {
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
});

describe("sniffContent", () => {
  it("tells text from binaries, archives and compressed data", () => {
    expect(sniffContent(Buffer.from("DB_PASSWORD=s3cr3t\n\tindented\r\n\x1b[31mred\x1b[0m\n"), "/app/.env")).toBe("text");
    expect(sniffContent(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), "/bin/x")).toBe("binary");
    expect(sniffContent(Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0]), "/app/lib.jar")).toBe("zip");
    expect(sniffContent(Buffer.from([0x1f, 0x8b, 8, 0]), "/x.gz")).toBe("gzip");
    expect(sniffContent(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0]), "/x.zst")).toBe("zstd");
    // no NUL, but mostly control bytes: a binary format without a known magic
    expect(sniffContent(Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x41 : 0x01))), "/x.bin")).toBe("binary");
  });

  it("reads only the sniff window of a longer buffer", () => {
    // a NUL past the window does not make a text file binary
    const long = Buffer.concat([Buffer.alloc(SNIFF_BYTES, 0x61), Buffer.from([0, 0, 0])]);
    expect(sniffContent(long, "/big.txt")).toBe("text");
    expect(sniffContent(Buffer.concat([Buffer.alloc(100, 0x61), Buffer.from([0])]), "/x.txt")).toBe("binary");
  });
});

describe("surelyBinary", () => {
  const cafe = (n: number, fill = 0x41) => Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe]), Buffer.alloc(n - 4, fill)]);

  it("answers from a head only what the rest of the content cannot change", () => {
    expect(surelyBinary(cafe(SURE_BYTES), false, "/A.class")).toBe(true); // magic number
    expect(surelyBinary(Buffer.concat([Buffer.from("text"), Buffer.alloc(SURE_BYTES, 0)]), false, "/x")).toBe(true); // NUL
    // a head too short for the tar check ("ustar" at 257) decides nothing unless it is everything
    expect(surelyBinary(cafe(100), false, "/A.class")).toBe(false);
    expect(surelyBinary(cafe(100), true, "/A.class")).toBe(true);
    // a binary magic with a tar header behind it sniffs as tar
    const tarLike = cafe(SURE_BYTES);
    tarLike.write("ustar", 257, "latin1");
    expect(surelyBinary(tarLike, false, "/x")).toBe(false);
    // control bytes alone: the rest of the 1 KiB sample could tip the share either way
    const ctrl = Buffer.alloc(SURE_BYTES, 0x01);
    expect(sniffContent(ctrl, "/x")).toBe("binary");
    expect(surelyBinary(ctrl, false, "/x")).toBe(false);
    expect(surelyBinary(ctrl, true, "/x")).toBe(true);
    expect(surelyBinary(Buffer.alloc(SURE_BYTES, 0x61), false, "/x.txt")).toBe(false);
  });
});
