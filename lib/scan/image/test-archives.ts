// Test-only writers for tar, zip and zstd (raw blocks), so tests build their fixtures and hostile
// blobs in code. Not used by the scanner itself.
import { crc32 } from "node:zlib";
import zlib from "node:zlib";

export interface TarItem {
  name: string;
  content?: string | Buffer;
  type?: "0" | "1" | "2" | "3" | "5" | "6" | "x" | "g" | "L" | "K";
  linkname?: string;
  /** override the size field (hostile tests) */
  sizeField?: number;
  /** PAX records to emit before this entry */
  pax?: Record<string, string>;
  /** emit a GNU 'L' long-name record for this entry */
  gnuLongName?: boolean;
  /** magic: "ustar\0" + "00" (POSIX) or GNU "ustar  \0" */
  gnu?: boolean;
  prefix?: string;
}

function octal(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, "0") + "\0";
}

export function tarHeader(opts: { name: string; size: number; type: string; linkname?: string; gnu?: boolean; prefix?: string }): Buffer {
  const h = Buffer.alloc(512);
  h.write(opts.name.slice(0, 100), 0, "utf8");
  h.write(octal(0o644, 8), 100, "latin1");
  h.write(octal(0, 8), 108, "latin1");
  h.write(octal(0, 8), 116, "latin1");
  if (opts.size > 0o77777777777) {
    // base-256
    h[124] = 0x80;
    let v = opts.size;
    for (let i = 135; i > 124; i--) {
      h[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else h.write(octal(opts.size, 12), 124, "latin1");
  h.write(octal(0, 12), 136, "latin1");
  h.write(opts.type, 156, "latin1");
  if (opts.linkname) h.write(opts.linkname.slice(0, 100), 157, "utf8");
  if (opts.gnu) h.write("ustar  \0", 257, "latin1");
  else {
    h.write("ustar\0", 257, "latin1");
    h.write("00", 263, "latin1");
  }
  if (opts.prefix) h.write(opts.prefix, 345, "utf8");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i] ?? 0;
  h.write(octal(sum, 7) + " ", 148, "latin1");
  return h;
}

function pad(b: Buffer): Buffer {
  const r = b.length % 512;
  return r ? Buffer.concat([b, Buffer.alloc(512 - r)]) : b;
}

function paxBody(rec: Record<string, string>): Buffer {
  let out = "";
  for (const [k, v] of Object.entries(rec)) {
    const body = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
    out += `${len}${body}`;
  }
  return Buffer.from(out, "utf8");
}

export function makeTar(items: TarItem[], opts: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const it of items) {
    if (it.pax) {
      const body = paxBody(it.pax);
      parts.push(tarHeader({ name: "PaxHeader", size: body.length, type: "x" }), pad(body));
    }
    if (it.gnuLongName) {
      const body = Buffer.from(`${it.name}\0`, "utf8");
      parts.push(tarHeader({ name: "././@LongLink", size: body.length, type: "L", gnu: true }), pad(body));
    }
    const content = it.content === undefined ? Buffer.alloc(0) : Buffer.isBuffer(it.content) ? it.content : Buffer.from(it.content, "utf8");
    const type = it.type ?? "0";
    parts.push(
      tarHeader({
        name: it.gnuLongName ? it.name.slice(0, 99) : it.name,
        size: it.sizeField ?? content.length,
        type,
        linkname: it.linkname,
        gnu: it.gnu || it.gnuLongName,
        prefix: it.prefix,
      }),
    );
    if (content.length) parts.push(pad(content));
  }
  if (opts.end !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function gzip(b: Buffer): Buffer {
  return zlib.gzipSync(b);
}

/** A zstd frame of raw blocks (no compression): valid input for any decoder. */
export function zstdRaw(data: Buffer, opts: { windowLog?: number; checksum?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(0xfd2fb528);
  parts.push(magic);
  if (opts.windowLog !== undefined) {
    // no single-segment: window descriptor byte, no content size
    parts.push(Buffer.from([0x00, (opts.windowLog - 10) << 3]));
  } else {
    // single segment + 4-byte content size (FCS flag 2)
    const fh = Buffer.alloc(5);
    fh[0] = (2 << 6) | (1 << 5);
    fh.writeUInt32LE(data.length, 1);
    parts.push(fh);
  }
  const BLOCK = 128 * 1024;
  let pos = 0;
  do {
    const chunk = data.subarray(pos, pos + BLOCK);
    pos += chunk.length;
    const last = pos >= data.length ? 1 : 0;
    const h = (chunk.length << 3) | (0 << 1) | last;
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), chunk);
  } while (pos < data.length);
  return Buffer.concat(parts);
}

/** zstd RLE bomb: `blocks` RLE blocks of 128 KiB each from ~4 bytes apiece. */
export function zstdRleBomb(blocks: number, windowLog = 17): Buffer {
  const parts: Buffer[] = [];
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(0xfd2fb528);
  parts.push(magic, Buffer.from([0x00, (windowLog - 10) << 3]));
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const h = ((128 * 1024) << 3) | (1 << 1) | last;
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x41]));
  }
  return Buffer.concat(parts);
}

export interface ZipItem {
  name: string;
  content: string | Buffer;
  store?: boolean;
}

export function makeZip(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const it of items) {
    const data = Buffer.isBuffer(it.content) ? it.content : Buffer.from(it.content, "utf8");
    const comp = it.store ? data : zlib.deflateRawSync(data);
    const method = it.store ? 0 : 8;
    const name = Buffer.from(it.name, "utf8");
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(items.length, 8);
  eocd.writeUInt16LE(items.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
