// A minimal, deterministic tar writer (ustar + PAX extended headers for long names/links).
// Used to build real layer blobs for the simulator; all entries share a fixed mtime and 0:0
// ownership so a world always produces the same bytes (and digests).

export interface TarEntry {
  path: string;
  type: "file" | "dir" | "symlink";
  content?: Buffer;
  mode?: number;
  linkname?: string;
}

/** 2024-01-01T00:00:00Z: fixed so digests are stable. */
export const FIXED_MTIME = 1704067200;

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width includes the trailing NUL
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function writeString(buf: Buffer, offset: number, width: number, s: string): void {
  buf.write(s, offset, Math.min(width, Buffer.byteLength(s)), "utf8");
}

function header(name: string, opts: { size: number; mode: number; typeflag: string; linkname?: string; mtime?: number }): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  writeString(h, 0, 100, name);
  writeString(h, 100, 8, octal(opts.mode & 0o7777, 8));
  writeString(h, 108, 8, octal(0, 8));
  writeString(h, 116, 8, octal(0, 8));
  writeString(h, 124, 12, octal(opts.size, 12));
  writeString(h, 136, 12, octal(opts.mtime ?? FIXED_MTIME, 12));
  h.fill(0x20, 148, 156); // checksum computed with spaces
  writeString(h, 156, 1, opts.typeflag);
  if (opts.linkname) writeString(h, 157, 100, opts.linkname);
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  writeString(h, 265, 32, "root");
  writeString(h, 297, 32, "root");
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  writeString(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

function pad(size: number): Buffer {
  const rem = size % BLOCK;
  return rem === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rem, 0);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const len = Buffer.byteLength(body);
  let total = len + String(len).length;
  if (String(total).length !== String(len).length) total = len + String(total).length;
  return `${total}${body}`;
}

/** Serialise entries (in order) into a complete tar archive with the two zero end blocks. */
export function buildTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = e.type === "dir" && !e.path.endsWith("/") ? `${e.path}/` : e.path;
    const content = e.type === "file" ? (e.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const mode = e.mode ?? (e.type === "dir" ? 0o755 : e.type === "symlink" ? 0o777 : 0o644);
    const typeflag = e.type === "dir" ? "5" : e.type === "symlink" ? "2" : "0";
    const longName = Buffer.byteLength(name) > 100;
    const longLink = e.linkname !== undefined && Buffer.byteLength(e.linkname) > 100;
    if (longName || longLink) {
      let pax = "";
      if (longName) pax += paxRecord("path", name);
      if (longLink) pax += paxRecord("linkpath", e.linkname!);
      const paxBuf = Buffer.from(pax, "utf8");
      const paxName = `PaxHeaders.0/${name.replace(/\/$/, "").split("/").pop()!.slice(0, 80)}`;
      parts.push(header(paxName, { size: paxBuf.length, mode: 0o644, typeflag: "x" }), paxBuf, pad(paxBuf.length));
    }
    const shortName = longName ? Buffer.from(name, "utf8").subarray(0, 100).toString("utf8").replace(/\uFFFD+$/, "") : name;
    const shortLink = e.linkname === undefined ? undefined : longLink ? e.linkname.slice(0, 100) : e.linkname;
    parts.push(header(shortName, { size: content.length, mode, typeflag, linkname: shortLink }), content, pad(content.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
