// Cheap content sniffing on the first bytes of a file: is it text worth handing to detectors,
// a container we open (zip family, gzip, tar), or a binary we skip?

import { controlBytes } from "./control-bytes";

export type ContentKind = "text" | "binary" | "zip" | "gzip" | "tar" | "zstd";

export const SNIFF_BYTES = 4096;
const CTRL_SAMPLE = 1024;

const ZIP_EXT = /\.(zip|jar|war|ear|whl|aar|apk|nupkg|egg|xpi|vsix)$/i;

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

const CLASS_MAGIC = [0xca, 0xfe, 0xba, 0xbe];

// Formats that never carry readable secrets for us (or carry them only in compressed form we
// don't decode): executables, images, fonts, databases, media, other compressors.
const BINARY_MAGIC: number[][] = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x00, 0x61, 0x73, 0x6d], // wasm
  CLASS_MAGIC, // Java class / Mach-O fat
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0x4d, 0x5a], // PE "MZ"
  [0x77, 0x4f, 0x46, 0x46], // woff
  [0x77, 0x4f, 0x46, 0x32], // woff2
  [0x42, 0x5a, 0x68], // bzip2
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], // "SQLite f"
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x00, 0x01, 0x00, 0x00, 0x00], // TrueType
  [0x4f, 0x54, 0x54, 0x4f], // OTF
  [0x52, 0x49, 0x46, 0x46], // RIFF (wav/webp/avi)
  [0x49, 0x44, 0x33], // mp3
  [0x1a, 0x45, 0xdf, 0xa3], // matroska
  [0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e], // "!<arch>" ar/.deb
];

// signatures grouped by first byte: most files start with a byte no signature starts with
const MAGIC_BY_FIRST = new Map<number, number[][]>();
for (const m of BINARY_MAGIC) MAGIC_BY_FIRST.set(m[0] as number, [...(MAGIC_BY_FIRST.get(m[0] as number) ?? []), m]);

// signatures as constants: this runs for every file of an image
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72];

export function isTarHeader(b: Uint8Array): boolean {
  return b.length >= 263 && startsWith(b, USTAR, 257); // "ustar"
}

/**
 * Classifies by magic bytes and, for text, by the share of control bytes. Only the first
 * SNIFF_BYTES of `head` are read, so a caller may pass a whole file.
 */
export function sniffContent(head: Uint8Array, path: string): ContentKind {
  if (startsWith(head, ZIP_LOCAL) || (startsWith(head, ZIP_EMPTY) && ZIP_EXT.test(path))) return "zip";
  if (startsWith(head, GZIP)) return "gzip";
  if (startsWith(head, ZSTD)) return "zstd";
  if (isTarHeader(head)) return "tar";
  if (hasBinaryMagic(head)) return "binary";
  const n = Math.min(head.length, SNIFF_BYTES);
  const b = head.length > n ? head.subarray(0, n) : head;
  if (b.indexOf(0) !== -1) return "binary";
  // NUL is searched natively over the whole sniff window; the control-byte share is estimated
  // on its first CTRL_SAMPLE bytes — a JavaScript loop over 4 KiB of every file cost ~10% of a
  // whole image scan, and a binary without NULs has control bytes from its first bytes on.
  const sample = Math.min(n, CTRL_SAMPLE);
  const ctrl = controlBytes(b, sample);
  // More than ~10% control bytes: not text. (Invalid UTF-8 alone is not a reason: latin-1
  // config files still carry ASCII secrets.)
  return ctrl * 10 > sample ? "binary" : "text";
}

/** bytes of content surelyBinary needs (the tar check reads the header's "ustar" at 257..262) */
export const SURE_BYTES = 263;

/**
 * True when sniffContent says "binary" for every content that starts with `head` (`complete`:
 * `head` is the whole content), so the rest need not be produced: a binary magic number or a NUL
 * decide it; a share of control bytes does not (the rest of the sample could change it).
 */
export function surelyBinary(head: Uint8Array, complete: boolean, path: string): boolean {
  if (!complete && head.length < SURE_BYTES) return false;
  if (sniffContent(head, path) !== "binary") return false;
  return complete || hasBinaryMagic(head) || head.indexOf(0) !== -1;
}

/** `head` starts with the Java class-file magic 0xCAFEBABE (Mach-O fat binaries share it: binary too) */
export function isClassFile(head: Uint8Array | null): boolean {
  return head !== null && startsWith(head, CLASS_MAGIC);
}

/** `head` starts with one of BINARY_MAGIC's signatures */
function hasBinaryMagic(head: Uint8Array): boolean {
  const sigs = head.length ? MAGIC_BY_FIRST.get(head[0] as number) : undefined;
  if (sigs) for (const m of sigs) if (startsWith(head, m)) return true;
  return false;
}

