import { Readable } from "node:stream";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decompressStream, sniffCompression, type DecompressLimits, type DecompressStats } from "./decompress";
import { zstdRaw, zstdRleBomb } from "./test-archives";

const BASE_LIMITS: DecompressLimits = { maxBytes: 64 * 1024 * 1024, maxRatio: 200, ratioGraceBytes: 1024 * 1024, maxZstdWindow: 8 * 1024 * 1024 };

function chunked(b: Buffer, size = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
  return Readable.from(parts);
}

async function collect(src: Readable, limits: DecompressLimits = BASE_LIMITS, stats?: DecompressStats): Promise<Buffer> {
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

describe.each(["worker", "inline"] as const)("decompressStream, gunzip %s", (gunzip) => {
  const LIMITS: DecompressLimits = { ...BASE_LIMITS, gunzip };

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
    await expect(collect(chunked(bomb, 4096), LIMITS)).rejects.toThrow(/ratio exceeds 200:1/);
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
    await expect(collect(chunked(corrupt), LIMITS)).rejects.toThrow(/corrupt gzip/);
    await expect(collect(chunked(gz.subarray(0, gz.length - 30)), LIMITS)).rejects.toThrow(/corrupt gzip/);
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
    await expect(collect(src, LIMITS)).rejects.toThrow(/digest mismatch/);
  });

  it("inflates many MiB in order through bounded buffers, from a source of 16 KiB pieces", async () => {
    // ~24 MiB of varied, compressible text: several times the worker's lent buffers
    const big = Buffer.from(Array.from({ length: 400_000 }, (_, i) => `${i.toString(36)} ${"abcdefghij".repeat(i % 7)}\n`).join(""));
    const stats: DecompressStats = { compression: "none", compressedBytes: 0, uncompressedBytes: 0 };
    const gz = zlib.gzipSync(big);
    const out = await collect(chunked(gz, 16 * 1024), { ...LIMITS, maxRatio: 1e6 }, stats);
    expect(out.equals(big)).toBe(true);
    expect(stats.compressedBytes).toBe(gz.length);
    expect(stats.uncompressedBytes).toBe(big.length);
  });

  it("stops cleanly when the consumer stops early, and the next stream still inflates", async () => {
    const big = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, "x"));
    for await (const c of decompressStream(chunked(big, 64 * 1024), { ...LIMITS, maxRatio: 1e6 })) {
      expect(c.length).toBeGreaterThan(0);
      break;
    }
    expect((await collect(chunked(zlib.gzipSync(payload)), LIMITS)).equals(payload)).toBe(true);
  });

  it("keeps concurrent streams apart", async () => {
    const a = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `a-${i}\n`).join(""));
    const b = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `b-${i * 7}\n`).join(""));
    const [ra, rb] = await Promise.all([collect(chunked(zlib.gzipSync(a), 4096), LIMITS), collect(chunked(zlib.gzipSync(b), 4096), LIMITS)]);
    expect(ra.equals(a)).toBe(true);
    expect(rb.equals(b)).toBe(true);
  });

  it("reports a gzip stream followed by garbage as corrupt", async () => {
    const gz = Buffer.concat([zlib.gzipSync(payload), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9])]);
    await expect(collect(chunked(gz), LIMITS)).rejects.toThrow(/corrupt gzip/);
  });
});
