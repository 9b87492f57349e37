// Streaming tar parser (push style, synchronous): ustar, PAX extended headers (path, linkpath,
// size) and GNU long names ('L'/'K'). It never buffers file content: data is handed to the
// entry's sink as sub-arrays of the input chunks. Untrusted input: every header size is capped,
// checksums are verified, and a truncated archive is reported by end().

import { wordsOf } from "./words";

export type TarEntryType = "file" | "directory" | "symlink" | "hardlink" | "device" | "fifo" | "other";

export interface TarEntry {
  /** path exactly as stored (after PAX/GNU overrides), not normalised */
  name: string;
  linkname: string;
  type: TarEntryType;
  /** raw type flag, e.g. "0", "5", "S" */
  typeflag: string;
  size: number;
  mode: number;
}

export interface TarEntrySink {
  data(chunk: Buffer): void;
  end(): void;
}

export interface TarLimits {
  /** max bytes of one PAX extended header or GNU long name/link record */
  maxMetaHeaderBytes: number;
  /** max entries (headers, not counting PAX/GNU meta records) */
  maxEntries: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxMetaHeaderBytes: 1024 * 1024, maxEntries: 1_000_000 };

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarError";
  }
}

const BLOCK = 512;

type State = "header" | "data" | "padding" | "meta" | "done";

const TYPE_MAP: Record<string, TarEntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "device",
  "4": "device",
  "5": "directory",
  "6": "fifo",
};

function readString(b: Buffer, off: number, len: number): string {
  let end = off;
  const max = off + len;
  while (end < max && b[end] !== 0) end++;
  return b.toString("utf8", off, end);
}

/** Octal (NUL/space terminated) or GNU base-256 (high bit set) numeric field. */
function readNumber(b: Buffer, off: number, len: number): number {
  const first = b[off] ?? 0;
  if (first & 0x80) {
    // base-256: big-endian two's complement; negative sizes are invalid for us
    if (first & 0x40) return -1;
    let v = first & 0x3f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + (b[off + i] ?? 0);
      if (v > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
    }
    return v;
  }
  let v = 0;
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  for (; i < end; i++) {
    const c = b[i] ?? 0;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return -1;
    v = v * 8 + (c - 0x30);
  }
  return v;
}

function checksumOk(b: Buffer, at: number): boolean {
  const stored = readNumber(b, at + 148, 8);
  if (stored < 0) return false;
  return headerSum(b, at) === stored;
}

/**
 * The ustar checksum: the sum of the header's bytes with the checksum field itself counted as 8
 * spaces. This runs for every header (tens of thousands per layer), so it sums four bytes at a
 * time, two bytes per 16-bit lane (128 words × 2 × 255 < 2^16, so lanes never carry), without
 * allocating: an aligned header is read through the cached word view of its chunk, an unaligned
 * one (a chunk handed out mid-block) is first copied to an aligned scratch block.
 */
export function headerSum(h: Uint8Array, at = 0): number {
  let w: Uint32Array<ArrayBufferLike> = SCRATCH_WORDS;
  let base = 0;
  const start = h.byteOffset + at;
  if ((start & 3) === 0) {
    w = wordsOf(h.buffer);
    base = start >> 2;
  } else SCRATCH_BYTES.set(h.subarray(at, at + BLOCK));
  let lanes = 0;
  for (let i = base; i < base + (BLOCK >> 2); i++) {
    const v = w[i] as number;
    lanes += (v & 0x00ff00ff) + ((v >>> 8) & 0x00ff00ff);
  }
  let sum = 8 * 0x20 + (lanes & 0xffff) + (lanes >>> 16);
  for (let i = at + 148; i < at + 156; i++) sum -= h[i] as number;
  return sum;
}
const SCRATCH_WORDS = new Uint32Array(BLOCK >> 2);
const SCRATCH_BYTES = new Uint8Array(SCRATCH_WORDS.buffer);

function isZeroBlock(b: Buffer, at: number): boolean {
  for (let i = at; i < at + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** The PAX keys this parser applies; other records (mtime, uid, xattrs …) are skipped unread. */
interface PaxFields {
  path?: string;
  linkpath?: string;
  size?: string;
}

/** true when buf[from, to) holds exactly the ASCII `key` */
function bytesAre(buf: Buffer, from: number, to: number, key: string): boolean {
  if (to - from !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[from + i] !== key.charCodeAt(i)) return false;
  return true;
}

/**
 * Parses PAX records "<len> <key>=<value>\n" into `out`. Malformed records end the header with an
 * error. Only the keys in PaxFields are decoded: every entry of most layers carries a PAX header
 * (mtime, atime …), and strings for keys nobody reads were a measurable share of a scan's garbage.
 */
function parsePax(buf: Buffer, out: PaxFields = {}): PaxFields {
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0) break; // trailing NUL padding written by some tools
    // the length field: decimal digits, then a space (at most 12 digits)
    let len = 0;
    let sp = pos;
    while (sp < buf.length && sp - pos <= 12 && (buf[sp] as number) >= 0x30 && (buf[sp] as number) <= 0x39) len = len * 10 + ((buf[sp++] as number) - 0x30);
    if (sp === pos || sp - pos > 12 || buf[sp] !== 0x20) throw new TarError("malformed PAX header");
    if (len <= sp - pos + 1 || pos + len > buf.length) throw new TarError("malformed PAX header");
    const recEnd = pos + len - 1; // the record's last byte is its newline
    const eq = buf.indexOf(0x3d, sp + 1);
    if (eq > sp + 1 && eq < recEnd) {
      if (bytesAre(buf, sp + 1, eq, "path")) out.path = buf.toString("utf8", eq + 1, recEnd);
      else if (bytesAre(buf, sp + 1, eq, "linkpath")) out.linkpath = buf.toString("utf8", eq + 1, recEnd);
      else if (bytesAre(buf, sp + 1, eq, "size")) out.size = buf.toString("utf8", eq + 1, recEnd);
    }
    pos += len;
  }
  return out;
}

export interface TarCallbacks {
  /** Called for each entry; return a sink to receive its data, or null to skip it. */
  entry(e: TarEntry): TarEntrySink | null;
}

export class TarParser {
  private state: State = "header";
  private hdr = Buffer.allocUnsafe(BLOCK);
  private hdrFill = 0;
  private remaining = 0; // data bytes left in current entry/meta record
  private padding = 0;
  private sink: TarEntrySink | null = null;
  private metaKind: "pax" | "gnuname" | "gnulink" | "global" | null = null;
  private metaChunks: Buffer[] = [];
  private metaLen = 0;
  private pendingPax: PaxFields | null = null;
  private globalPax: PaxFields = {};
  private pendingLongName: string | null = null;
  private pendingLongLink: string | null = null;
  private zeroBlocks = 0;
  entries = 0;
  /** bytes consumed, for error messages */
  offset = 0;

  constructor(
    private readonly cb: TarCallbacks,
    private readonly limits: TarLimits = DEFAULT_TAR_LIMITS,
  ) {}

  get finished(): boolean {
    return this.state === "done";
  }

  write(chunk: Buffer): void {
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      switch (this.state) {
        case "done":
          // anything after the end-of-archive marker is padding; ignore it
          this.offset += n - pos;
          return;
        case "header": {
          const take = Math.min(BLOCK - this.hdrFill, n - pos);
          if (this.hdrFill === 0 && take === BLOCK) {
            pos += BLOCK;
            this.offset += BLOCK;
            // read in place: a view per header was ~100k Buffer objects per benchmark scan
            this.onHeader(chunk, pos - BLOCK);
          } else {
            chunk.copy(this.hdr, this.hdrFill, pos, pos + take);
            this.hdrFill += take;
            pos += take;
            this.offset += take;
            if (this.hdrFill === BLOCK) {
              this.hdrFill = 0;
              this.onHeader(this.hdr, 0);
            }
          }
          break;
        }
        case "data": {
          const take = Math.min(this.remaining, n - pos);
          if (this.sink && take > 0) this.sink.data(chunk.subarray(pos, pos + take));
          pos += take;
          this.offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finishData();
          break;
        }
        case "meta": {
          const take = Math.min(this.remaining, n - pos);
          // a record that lies wholly in this chunk is parsed before write() returns: a view
          // will do; one split across chunks is copied (the caller may reuse a chunk's memory)
          const whole = this.metaChunks.length === 0 && take === this.remaining;
          this.metaChunks.push(whole ? chunk.subarray(pos, pos + take) : Buffer.from(chunk.subarray(pos, pos + take)));
          this.metaLen += take;
          pos += take;
          this.offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finishMeta();
          break;
        }
        case "padding": {
          const take = Math.min(this.padding, n - pos);
          pos += take;
          this.offset += take;
          this.padding -= take;
          if (this.padding === 0) this.state = "header";
          break;
        }
      }
    }
  }

  /** Call at end of input. Throws if the archive was truncated mid-entry. */
  end(): void {
    if (this.state === "done") return;
    if (this.state === "header" && this.hdrFill === 0) {
      // Missing end-of-archive blocks is common and harmless (e.g. concatenated layers).
      this.state = "done";
      return;
    }
    if (this.sink) {
      // give the partial content to the consumer before reporting the truncation
      const s = this.sink;
      this.sink = null;
      s.end();
    }
    throw new TarError(`truncated tar archive at byte ${this.offset}`);
  }

  /** The header block at `at` of `h`. */
  private onHeader(h: Buffer, at: number): void {
    if (isZeroBlock(h, at)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = "done";
      return;
    }
    if (this.zeroBlocks > 0) this.zeroBlocks = 0;
    if (!checksumOk(h, at)) throw new TarError(`invalid tar header checksum at byte ${this.offset - BLOCK}`);
    const typeflag = String.fromCharCode(h[at + 156] ?? 0);
    let size = readNumber(h, at + 124, 12);
    if (size < 0) throw new TarError(`invalid tar size field at byte ${this.offset - BLOCK}`);

    if (typeflag === "x" || typeflag === "g" || typeflag === "L" || typeflag === "K") {
      if (size > this.limits.maxMetaHeaderBytes) {
        throw new TarError(`tar ${typeflag === "x" || typeflag === "g" ? "PAX" : "GNU long-name"} header of ${size} bytes exceeds the ${this.limits.maxMetaHeaderBytes}-byte cap`);
      }
      this.metaKind = typeflag === "x" ? "pax" : typeflag === "g" ? "global" : typeflag === "L" ? "gnuname" : "gnulink";
      this.metaChunks = [];
      this.metaLen = 0;
      this.remaining = size;
      this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (size === 0) this.finishMeta();
      else this.state = "meta";
      return;
    }

    this.entries++;
    if (this.entries > this.limits.maxEntries) throw new TarError(`tar archive has more than ${this.limits.maxEntries} entries`);

    let name = readString(h, at, 100);
    if (bytesAre(h, at + 257, at + 263, "ustar\0")) {
      const prefix = readString(h, at + 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    let linkname = readString(h, at + 157, 100);
    if (this.pendingLongName !== null) name = this.pendingLongName;
    if (this.pendingLongLink !== null) linkname = this.pendingLongLink;
    const pax = this.pendingPax;
    const gp = this.globalPax;
    const paxPath = pax?.path ?? gp.path;
    if (paxPath !== undefined) name = paxPath;
    const paxLink = pax?.linkpath ?? gp.linkpath;
    if (paxLink !== undefined) linkname = paxLink;
    const paxSize = pax?.size ?? gp.size;
    if (paxSize !== undefined) {
      if (!/^\d{1,16}$/.test(paxSize)) throw new TarError("invalid PAX size");
      size = Number(paxSize);
    }
    this.pendingPax = null;
    this.pendingLongName = null;
    this.pendingLongLink = null;

    let type: TarEntryType = TYPE_MAP[typeflag] ?? "other";
    // old tars mark directories only by a trailing slash on a regular entry
    if (type === "file" && name.endsWith("/") && typeflag === "\0") type = "directory";
    // only regular files carry data we care about; links/devices/fifos have size 0 by spec, but a
    // hostile header may lie: we always skip `size` bytes rather than trust the type.
    const dataSize = type === "directory" || type === "symlink" || type === "hardlink" || type === "device" || type === "fifo" ? (typeflag === "5" ? 0 : size) : size;
    const mode = readNumber(h, at + 100, 8);
    const entry: TarEntry = { name, linkname, type, typeflag, size: type === "file" ? dataSize : 0, mode: mode < 0 ? 0 : mode };
    this.sink = this.cb.entry(entry);
    if (type !== "file") this.sink = null;
    this.remaining = dataSize;
    this.padding = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    if (dataSize === 0) this.finishData();
    else this.state = "data";
  }

  private finishData(): void {
    const s = this.sink;
    this.sink = null;
    if (s) s.end();
    this.state = this.padding > 0 ? "padding" : "header";
  }

  private finishMeta(): void {
    const buf = this.metaChunks.length === 1 ? (this.metaChunks[0] as Buffer) : Buffer.concat(this.metaChunks, this.metaLen);
    this.metaChunks = [];
    switch (this.metaKind) {
      case "pax":
        this.pendingPax = parsePax(buf);
        break;
      case "global":
        parsePax(buf, this.globalPax);
        break;
      case "gnuname":
        this.pendingLongName = readString(buf, 0, buf.length);
        break;
      case "gnulink":
        this.pendingLongLink = readString(buf, 0, buf.length);
        break;
    }
    this.metaKind = null;
    this.state = this.padding > 0 ? "padding" : "header";
  }
}
