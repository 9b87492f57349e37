import { Readable } from "node:stream";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decompressStream, sniffCompression, type DecompressLimits, type DecompressStats } from "./decompress";
import { zstdRaw, zstdRleBomb } from "./test-archives";

const LIMITS: DecompressLimits = { maxBytes: 64 * 1024 * 1024, maxRatio: 200, ratioGraceBytes: 1024 * 1024, maxZstdWindow: 8 * 1024 * 1024 };

function chunked(b: Buffer, size = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
  return Readable.from(parts);
}

async function collect(src: Readable, limits = LIMITS, stats?: DecompressStats): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of decompressStream(src, limits, stats)) out.push(c);
  return Buffer.concat(out);
}

const payload = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} some text\n`).join(""));

describe("sniffCompression", () => {
  it("recognises gzip, zstd and plain", () => {
    expect(sniffCompression(zlib.gzipSync(payload))).toBe("gzip");
    expect(sniffCompression(zstdRaw(payload))).toBe("zstd");
    expect(sniffCompression(payload)).toBe("none");
    expect(sniffCompression(Buffer.alloc(0))).toBe("none");
  });
});

describe("decompressStream", () => {
  it("round-trips gzip, zstd (raw blocks, both header styles) and plain data", async () => {
    const stats: DecompressStats = { compression: "none", compressedBytes: 0, uncompressedBytes: 0 };
    expect((await collect(chunked(zlib.gzipSync(payload)), LIMITS, stats)).equals(payload)).toBe(true);
    expect(stats.compression).toBe("gzip");
    expect(stats.uncompressedBytes).toBe(payload.length);
    expect((await collect(chunked(zstdRaw(payload)))).equals(payload)).toBe(true);
    expect((await collect(chunked(zstdRaw(payload, { windowLog: 20 }), 7))).equals(payload)).toBe(true);
    expect((await collect(chunked(payload))).equals(payload)).toBe(true);
  });

  it("handles concatenated zstd frames", async () => {
    const two = Buffer.concat([zstdRaw(payload.subarray(0, 100)), zstdRaw(payload.subarray(100))]);
    expect((await collect(chunked(two, 333))).equals(payload)).toBe(true);
  });

  it("stops a gzip bomb by ratio", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024));
    await expect(collect(chunked(bomb, 4096))).rejects.toThrow(/ratio exceeds 200:1/);
  });

  it("stops at the absolute cap", async () => {
    const data = zlib.gzipSync(Buffer.alloc(3 * 1024 * 1024, "a"));
    await expect(collect(chunked(data), { ...LIMITS, maxRatio: 1e9, maxBytes: 1024 * 1024 })).rejects.toThrow(/exceeds the 1048576-byte cap/);
  });

  it("stops a zstd RLE bomb", async () => {
    await expect(collect(chunked(zstdRleBomb(2000)))).rejects.toThrow(/ratio|cap/);
  });

  it("rejects a zstd frame declaring a huge window before allocating it", async () => {
    const huge = zstdRaw(payload, { windowLog: 31 });
    await expect(collect(chunked(huge))).rejects.toThrow(/window of \d+ bytes exceeds/);
  });

  it("reports corrupt and truncated gzip", async () => {
    const gz = zlib.gzipSync(payload);
    const corrupt = Buffer.from(gz);
    for (let i = 20; i < 60; i++) corrupt[i] = 0xff;
    await expect(collect(chunked(corrupt))).rejects.toThrow(/corrupt gzip/);
    await expect(collect(chunked(gz.subarray(0, gz.length - 30)))).rejects.toThrow(/corrupt gzip/);
  });

  it("reports truncated and corrupt zstd", async () => {
    const z = zstdRaw(payload);
    await expect(collect(chunked(z.subarray(0, z.length - 10)))).rejects.toThrow(/zstd/);
    const bad = Buffer.from(z);
    bad[9] = 0xff; // block header: reserved type
    bad[10] = 0xff;
    bad[11] = 0xff;
    await expect(collect(chunked(bad))).rejects.toThrow(/zstd/);
  });

  it("passes through an error of the source stream (e.g. digest mismatch at the end)", async () => {
    const gz = zlib.gzipSync(payload);
    const src = new Readable({ read() {} });
    src.push(gz);
    setImmediate(() => src.destroy(new Error("digest mismatch: sha256:abc")));
    await expect(collect(src)).rejects.toThrow(/digest mismatch/);
  });
});
