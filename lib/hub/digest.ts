// Content digests ("sha256:<hex>") and a stream that verifies one as the bytes pass through.
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { AppError } from "@/lib/errors";

const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

export function parseDigest(s: string): { algorithm: "sha256" | "sha512"; hex: string } {
  if (!DIGEST_RE.test(s)) throw new AppError("INVALID_INPUT", `not a supported content digest: ${s.slice(0, 80)}`);
  const [algorithm, hex] = s.split(":") as ["sha256" | "sha512", string];
  return { algorithm, hex };
}

export function digestOf(data: Uint8Array, algorithm: "sha256" | "sha512" = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/** Throws UPSTREAM_FAILED unless `data` hashes to `expected`. */
export function verifyDigest(data: Uint8Array, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(data, algorithm);
  if (actual !== expected) {
    throw new AppError("UPSTREAM_FAILED", `${what}: content does not match its digest (expected ${expected}, got ${actual})`);
  }
}

/**
 * Passes bytes through unchanged, hashing them; at the end it errors instead of ending when
 * the digest (or the declared size, when given) does not match. Bounded by maxBytes.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash;
  private readonly algorithm: "sha256" | "sha512";
  private bytes = 0;

  constructor(
    private readonly expected: string,
    private readonly what: string,
    private readonly opts: { expectedSize?: number; maxBytes?: number } = {},
  ) {
    super();
    this.algorithm = parseDigest(expected).algorithm;
    this.hash = createHash(this.algorithm);
  }

  get bytesSeen(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    const limit = this.opts.maxBytes ?? (this.opts.expectedSize !== undefined ? this.opts.expectedSize : undefined);
    if (limit !== undefined && this.bytes > limit) {
      cb(new AppError("UPSTREAM_FAILED", `${this.what}: blob is larger than ${limit} bytes`));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.opts.expectedSize !== undefined && this.bytes !== this.opts.expectedSize) {
      cb(new AppError("UPSTREAM_FAILED", `${this.what}: blob has ${this.bytes} bytes, expected ${this.opts.expectedSize} (truncated?)`));
      return;
    }
    const actual = `${this.algorithm}:${this.hash.digest("hex")}`;
    if (actual !== this.expected) {
      cb(new AppError("UPSTREAM_FAILED", `${this.what}: content does not match its digest (expected ${this.expected}, got ${actual})`));
      return;
    }
    cb();
  }
}
