// Gunzip of a layer stream on a worker thread.
//
// Why: Node's zlib stream advances one thread-pool job per main-thread turn. While the scanner's
// main thread works through a chunk (sniffing, decoding, detectors) the next job cannot start,
// so decompression and scanning took turns instead of overlapping: measured on the benchmark
// image, the main thread waited ~2 s of a ~5.5 s scan for gunzip output and never found a chunk
// ready. A worker has its own event loop, so gunzip runs ahead (bounded) on the other core.
//
// The worker is plain JavaScript evaluated from a string and uses only node:zlib, so it needs no
// separate entry file in any bundle (the job runner executes inside the Next.js server build).
// Nothing is parsed there: the worker sees compressed bytes and returns uncompressed bytes; all
// caps (absolute size, ratio) stay with the caller, which sees every byte before it is used.
import { Worker } from "node:worker_threads";

/** output buffers lent to the worker at once: how far (in MiB) it may inflate ahead of the scan.
 * Each costs peak memory. 8 measured no faster than 4 while the main thread was the bottleneck
 * throughout; once the scan's own work shrank (fifth session), gunzip-bound stretches of the
 * benchmark image showed, and 8 took a steady-state scan from 2.54 to 2.26 s (4 alternating
 * pairs, all faster; cold 2.99 -> 2.86 s). */
const SLOTS = 8;
const SLOT_BYTES = 1024 * 1024;
/** compressed input travels in recycled pieces of this size (HTTP bodies arrive in ~16 KiB) */
const PIECE_BYTES = 256 * 1024;
/** pieces sent but not yet taken by the worker's gunzip */
const MAX_PIECES_INFLIGHT = 8;
/** idle workers kept for the next layer */
const MAX_IDLE = 2;

// Buffers are allocated on the calling thread and lent to the worker: output slots come back
// filled (the scan may keep views into them, so each consumed slot is replaced by a new one),
// which bounds how far the worker runs ahead by construction; input pieces come back empty and
// are reused.
const WORKER_SOURCE = `
"use strict";
const { parentPort } = require("node:worker_threads");
const zlib = require("node:zlib");
let id = 0, gz = null, slots = [], cur = null, fill = 0, paused = false, failed = false, ended = false;
// zlib output waiting for a slot, in order
let pending = [];
function send() {
  if (!cur || fill === 0) return;
  parentPort.postMessage({ t: "data", id, b: cur, n: fill }, [cur]);
  cur = null;
  fill = 0;
}
// A slot handed out before it is full (the input ran dry) ends on a 512-byte boundary of the
// stream; the tail moves to the next slot. Layers are tars: chunk boundaries stay block-aligned,
// so no header straddles two chunks and every header and file start keeps the word alignment
// the parser's checksum and the sniffer read by (unaligned, one early hand-out misaligned the
// rest of the layer: ~56 of ~600 chunks per benchmark scan).
function sendAligned() {
  if (!cur || fill === 0) return;
  const tail = fill % 512;
  if (tail === 0) return send();
  if (fill === tail || !slots.length) return; // nothing whole to hand out, or no slot for the tail
  const next = slots.pop();
  new Uint8Array(next, 0, tail).set(new Uint8Array(cur, fill - tail, tail));
  parentPort.postMessage({ t: "data", id, b: cur, n: fill - tail }, [cur]);
  cur = next;
  fill = tail;
}
function take() {
  if (!cur) { cur = slots.pop() || null; fill = 0; }
  return cur;
}
function onData(b) {
  if (pending.length) { pending.push(b); return; } // keep the order behind what waits for a slot
  let off = 0;
  while (off < b.length) {
    const slot = take();
    if (!slot) { pending.push(b.subarray(off)); break; }
    const n = Math.min(b.length - off, slot.byteLength - fill);
    new Uint8Array(slot, fill, n).set(b.subarray(off, off + n));
    fill += n;
    off += n;
    if (fill === slot.byteLength) send();
  }
  if (!slots.length && !cur && !paused) { paused = true; gz.pause(); }
}
function drain() {
  while (pending.length && (cur || slots.length)) {
    const waiting = pending;
    pending = [];
    for (const b of waiting) onData(b);
  }
  if (!pending.length && paused && (cur || slots.length)) { paused = false; gz.resume(); }
  if (!pending.length && ended) { send(); parentPort.postMessage({ t: "end", id }); ended = false; }
}
parentPort.on("message", (m) => {
  if (m.t === "start") {
    id = m.id; slots = m.slots; cur = null; fill = 0; paused = false; failed = false; ended = false; pending = [];
    gz = zlib.createGunzip({ chunkSize: ${SLOT_BYTES} });
    // zlib reuses its output buffer across partial chunks: data is copied into the lent slots
    gz.on("data", onData);
    gz.on("end", () => { ended = true; drain(); });
    gz.on("error", (e) => {
      failed = true;
      parentPort.postMessage({ t: "error", id, code: String(e.code || ""), message: String(e.message || e) });
    });
  } else if (m.id !== id || !gz) {
    return; // a message for a stream that is over
  } else if (m.t === "in") {
    gz.write(new Uint8Array(m.b, 0, m.n), () => {
      if (failed) return;
      // no more input queued: hand out what is inflated so far rather than wait to fill the slot
      if (gz.writableLength === 0) sendAligned();
      parentPort.postMessage({ t: "taken", id, b: m.b }, [m.b]);
    });
  } else if (m.t === "fin") {
    gz.end();
  } else if (m.t === "slot") {
    slots.push(m.b);
    drain();
  }
});
`;

type FromWorker =
  | { t: "data"; id: number; b: ArrayBuffer; n: number }
  | { t: "end"; id: number }
  | { t: "error"; id: number; code: string; message: string }
  | { t: "taken"; id: number; b: ArrayBuffer };

const idle: Worker[] = [];
let unavailable = false;
let nextId = 1;

function acquire(): Worker | null {
  if (unavailable) return null;
  const w = idle.pop();
  if (w) {
    w.ref();
    return w;
  }
  try {
    // a worker only ever holds a few MiB of buffers; zlib's memory is outside the JS heap
    return new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
  } catch (e) {
    // e.g. a runtime without worker_threads: the caller inflates in-thread (slower, still correct)
    unavailable = true;
    console.warn(`stowaway: gunzip worker unavailable, inflating on the scanning thread (${e instanceof Error ? e.message : String(e)})`);
    return null;
  }
}

function release(w: Worker, reusable: boolean): void {
  if (reusable && idle.length < MAX_IDLE) {
    // idle workers must not keep a CLI process alive
    w.unref();
    idle.push(w);
  } else void w.terminate();
}

/** An error from the worker's zlib, with zlib's code (Z_DATA_ERROR, Z_BUF_ERROR …). */
export class GunzipError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "GunzipError";
  }
}

/**
 * Gunzips `src` on a worker thread, yielding uncompressed chunks in order. Returns null when no
 * worker can be started (the caller then inflates in-thread). Errors of `src` (e.g. a digest
 * mismatch) are rethrown as they are; zlib errors as GunzipError. Stopping the iteration early
 * ends the worker's stream and discards the worker. With `reuseChunks`, a chunk's memory is
 * reused once the caller asks for the next chunk (no allocation per MiB, far less GC).
 */
export function gunzipOnWorker(src: AsyncIterable<Buffer>, opts: { reuseChunks?: boolean } = {}): AsyncGenerator<Buffer> | null {
  const w = acquire();
  if (!w) return null;
  return run(w, src, opts.reuseChunks === true);
}

async function* run(w: Worker, src: AsyncIterable<Buffer>, reuse: boolean): AsyncGenerator<Buffer> {
  const id = nextId++;
  const queue: FromWorker[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  const pieces: ArrayBuffer[] = [];
  let inflight = 0;
  let inputWake: (() => void) | null = null;
  let closed = false;
  let clean = false;
  const notify = () => {
    const f = wake;
    wake = null;
    f?.();
  };
  const wakeInput = () => {
    const f = inputWake;
    inputWake = null;
    f?.();
  };
  const onMessage = (m: FromWorker) => {
    if (m.id !== id) return;
    if (m.t === "taken") {
      pieces.push(m.b);
      inflight--;
      wakeInput();
      return;
    }
    queue.push(m);
    notify();
  };
  const onError = (e: unknown) => {
    failure ??= e;
    notify();
  };
  const onExit = () => {
    failure ??= new Error("gunzip worker exited");
    notify();
  };
  const slot = () => Buffer.allocUnsafeSlow(SLOT_BYTES).buffer as ArrayBuffer;
  w.on("message", onMessage);
  w.on("error", onError);
  w.on("exit", onExit);
  const slots = Array.from({ length: SLOTS }, slot);
  w.postMessage({ t: "start", id, slots }, slots);

  // copies the source into recycled pieces; at most MAX_PIECES_INFLIGHT wait in the worker
  const feeder = (async () => {
    let piece: Uint8Array | null = null;
    let fill = 0;
    const send = () => {
      if (!piece || fill === 0) return;
      inflight++;
      w.postMessage({ t: "in", id, b: piece.buffer, n: fill }, [piece.buffer as ArrayBuffer]);
      piece = null;
      fill = 0;
    };
    for await (const b of src) {
      for (let off = 0; off < b.length; ) {
        if (closed) return;
        piece ??= new Uint8Array(pieces.pop() ?? new ArrayBuffer(PIECE_BYTES));
        const n = Math.min(b.length - off, piece.length - fill);
        piece.set(b.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill < piece.length) continue;
        send();
        while (inflight >= MAX_PIECES_INFLIGHT && !closed) await new Promise<void>((r) => (inputWake = r));
      }
    }
    if (closed) return;
    send();
    w.postMessage({ t: "fin", id });
  })().catch((e: unknown) => onError(e));

  try {
    for (;;) {
      if (failure) throw failure;
      const m = queue.shift();
      if (!m) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (m.t === "end") break;
      if (m.t === "error") throw new GunzipError(m.message, m.code);
      if (m.t !== "data") continue;
      if (reuse) {
        // the caller is done with a chunk when it asks for the next one: the slot goes back.
        // A view kept by mistake would read as empty (the buffer is detached), never as
        // other data.
        yield Buffer.from(m.b, 0, m.n);
        w.postMessage({ t: "slot", id, b: m.b }, [m.b]);
        continue;
      }
      // the caller may keep views into this slot: lend the worker a new one
      const next = slot();
      w.postMessage({ t: "slot", id, b: next }, [next]);
      yield Buffer.from(m.b, 0, m.n);
    }
    clean = true;
  } finally {
    closed = true;
    wakeInput();
    w.off("message", onMessage);
    w.off("error", onError);
    w.off("exit", onExit);
    // a stream cut short may still be inflating: only a worker that reached the end is reused
    release(w, clean && !failure);
    // not awaited: the feeder may be waiting on the source, which the caller closes next
    void feeder;
  }
}
