import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { GunzipError, gunzipOnWorker } from "./gunzip-worker";

async function* pieces(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function drain(g: AsyncGenerator<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of g) out.push(c);
  return Buffer.concat(out);
}

describe("gunzipOnWorker", () => {
  it("runs on a worker here and inflates in order", async () => {
    const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `row ${i}\n`).join(""));
    const g = gunzipOnWorker(pieces(zlib.gzipSync(data), 1000));
    expect(g).not.toBeNull(); // the fallback would hide a broken worker
    expect((await drain(g as AsyncGenerator<Buffer>)).equals(data)).toBe(true);
  });

  it("with reuseChunks, refills one buffer: each chunk is whole while it is current, a kept view reads empty", async () => {
    const data = Buffer.from(Array.from({ length: 600_000 }, (_, i) => `r${i};`).join(""));
    const g = gunzipOnWorker(pieces(zlib.gzipSync(data), 64 * 1024), { reuseChunks: true }) as AsyncGenerator<Buffer>;
    const copies: Buffer[] = [];
    const kept: Buffer[] = [];
    for await (const c of g) {
      copies.push(Buffer.from(c)); // consumed before asking for the next chunk
      kept.push(c);
    }
    expect(copies.length).toBeGreaterThan(2);
    expect(Buffer.concat(copies).equals(data)).toBe(true);
    // the memory went back to the worker: a view held past its turn is detached, not other data
    expect(kept.slice(0, -1).every((c) => c.length === 0)).toBe(true);
  });

  it("hands out what is inflated when the input runs dry, in whole 512-byte blocks until the end", async () => {
    // a source of whole 256 KiB input pieces that waits for output after each: the worker's input
    // runs dry every time, so it hands out part-filled slots (hex text compresses ~2:1, so each
    // piece inflates to ~0.5 MB)
    let seed = 5;
    const hex = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8).toString(16).padStart(6, "0");
    const data = Buffer.from(Array.from({ length: 120_000 }, (_, i) => `${i} ${hex()}${hex()}${hex()}${hex()}${hex()}${hex()}\n`).join(""));
    const gz = zlib.gzipSync(data);
    const PIECE = 256 * 1024;
    expect(gz.length).toBeGreaterThan(6 * PIECE);
    // the next piece only once a chunk has come out: the worker has nothing queued meanwhile
    let arrived: () => void = () => {};
    async function* slow(): AsyncGenerator<Buffer> {
      for (let i = 0; i < gz.length; i += PIECE) {
        if (i > 0) await new Promise<void>((r) => (arrived = r));
        yield gz.subarray(i, i + PIECE);
      }
    }
    const chunks: Buffer[] = [];
    for await (const c of gunzipOnWorker(slow()) as AsyncGenerator<Buffer>) {
      chunks.push(Buffer.from(c));
      arrived();
    }
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(chunks.slice(0, -1).filter((c) => c.length < 1024 * 1024).length).toBeGreaterThanOrEqual(4); // part-filled hand-outs happened
    // tar blocks never straddle two chunks: every chunk but the last is whole blocks
    expect(chunks.slice(0, -1).every((c) => c.length % 512 === 0)).toBe(true);
  });

  it("reports zlib's code for corrupt input", async () => {
    const gz = zlib.gzipSync(Buffer.alloc(100_000, "z"));
    for (let i = 12; i < 40; i++) gz[i] = 0xff;
    const err = await drain(gunzipOnWorker(pieces(gz, 4096)) as AsyncGenerator<Buffer>).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GunzipError);
    expect((err as GunzipError).code).toMatch(/^Z_/);
  });

  it("rethrows the source's own error unchanged", async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield zlib.gzipSync(Buffer.alloc(10_000, "a")).subarray(0, 50);
      throw new Error("digest mismatch: sha256:0000");
    }
    await expect(drain(gunzipOnWorker(failing()) as AsyncGenerator<Buffer>)).rejects.toThrow("digest mismatch: sha256:0000");
  });

  it("does not keep a process alive once the stream is done", () => {
    // a CLI scan must exit by itself: the idle worker kept for reuse is unref'd
    const mod = path.join(__dirname, "gunzip-worker.ts");
    const script = `
      import zlib from "node:zlib";
      import { gunzipOnWorker } from ${JSON.stringify(mod)};
      const g = gunzipOnWorker((async function* () { yield zlib.gzipSync(Buffer.from("hello")); })());
      let s = "";
      for await (const c of g!) s += c;
      console.log(s);
    `;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gunzip-worker-"));
    const file = path.join(dir, "exit.mts");
    fs.writeFileSync(file, script);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 20_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.error).toBeUndefined(); // ETIMEDOUT if the worker held the process open
    expect(r.stdout.trim()).toBe("hello");
    expect(r.status).toBe(0);
  });
});
