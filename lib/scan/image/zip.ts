// Minimal zip reader over an in-memory (size-capped) buffer: central directory, stored and
// deflate entries. Every size comes from untrusted input, so offsets are bounds-checked and
// inflation is capped per entry.
import zlib from "node:zlib";
import { inflateHead } from "./inflate-head";

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  isDirectory: boolean;
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

export function readZipDirectory(buf: Buffer, maxEntries: number): ZipEntry[] {
  const min = Math.max(0, buf.length - (65535 + 22));
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError("zip: end of central directory not found");
  const total = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (total === 0xffff || cdOffset === 0xffffffff) throw new ZipError("zip: zip64 archives are not supported");
  if (cdOffset + cdSize > buf.length) throw new ZipError("zip: central directory out of bounds");
  if (total > maxEntries) throw new ZipError(`zip: more than ${maxEntries} entries`);
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < total; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN) throw new ZipError("zip: corrupt central directory");
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen > buf.length) throw new ZipError("zip: corrupt central directory");
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    out.push({ name, method, flags, compressedSize, uncompressedSize, localOffset, isDirectory: name.endsWith("/") });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * The first `n` bytes of a deflated entry (fewer if it is shorter) without a full inflate, or null
 * when the entry is not a readable deflated one or its stream is unusual (readZipEntry then
 * inflates it, or reports why it cannot).
 */
export function zipEntryHead(buf: Buffer, e: ZipEntry, n: number): Buffer | null {
  if (e.method !== 8 || e.flags & 1) return null;
  const raw = storedBytes(buf, e);
  return typeof raw === "string" ? null : inflateHead(raw, n);
}

/** The entry's bytes as stored (compressed), found through its local header, or why they cannot be. */
function storedBytes(buf: Buffer, e: ZipEntry): Buffer | string {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC) return `zip: bad local header for ${e.name}`;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const end = start + e.compressedSize;
  if (end > buf.length) return `zip: entry ${e.name} out of bounds`;
  return buf.subarray(start, end);
}

/**
 * The entry's bytes, inflated up to `maxBytes`: stored entries are cut at the cap, deflated ones
 * over the cap come back empty with `truncated` set. null for unsupported methods or encryption.
 */
export function readZipEntry(buf: Buffer, e: ZipEntry, maxBytes: number): { data: Buffer; truncated: boolean } | null {
  if (e.flags & 1) return null; // encrypted
  const raw = storedBytes(buf, e);
  if (typeof raw === "string") throw new ZipError(raw);
  if (e.method === 0) {
    return raw.length > maxBytes ? { data: raw.subarray(0, maxBytes), truncated: true } : { data: raw, truncated: false };
  }
  if (e.method !== 8) return null;
  try {
    return { data: zlib.inflateRawSync(raw, { maxOutputLength: maxBytes }), truncated: false };
  } catch (err) {
    const code = (err as { code?: string }).code;
    // over the cap: skip rather than inflate a possible bomb
    if (code === "ERR_BUFFER_TOO_LARGE" || (err instanceof RangeError)) return { data: Buffer.alloc(0), truncated: true };
    throw new ZipError(`zip: cannot inflate ${e.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
