// fzstd trusts frame headers: a hostile window size or single-segment content size makes it
// allocate up to 2 GB, and it accepts oversized blocks. This guard walks the compressed stream's
// frame and block structure (cheaply: bodies are skipped by count) and rejects frames whose
// window exceeds a cap before fzstd sees them.

export class ZstdGuardError extends Error {}

const MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;

type Need = "magic" | "fhd" | "fhrest" | "blockhdr" | "skipbody" | "skiplen" | "checksum";

export class ZstdGuard {
  private need: Need = "magic";
  private buf: number[] = [];
  private want = 4;
  private skip = 0;
  private fhd = 0;
  private checksum = false;
  frames = 0;

  constructor(private readonly maxWindow: number) {}

  /** Validates the structure of the next compressed bytes; throws ZstdGuardError on a violation. */
  check(chunk: Uint8Array): void {
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, n - pos);
        this.skip -= take;
        pos += take;
        if (this.skip === 0) this.afterSkip();
        continue;
      }
      this.buf.push(chunk[pos++] ?? 0);
      if (this.buf.length < this.want) continue;
      this.step();
    }
  }

  /** true when the stream ended on a frame boundary */
  get atBoundary(): boolean {
    return this.need === "magic" && this.buf.length === 0 && this.skip === 0;
  }

  private afterBlockBody: "blockhdr" | "checksum" | "magic" = "blockhdr";

  private afterSkip(): void {
    if (this.need !== "skipbody") return;
    this.need = this.afterBlockBody;
    this.want = this.need === "blockhdr" ? 3 : 4;
  }

  private step(): void {
    const b = this.buf;
    switch (this.need) {
      case "magic": {
        const m = ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0;
        this.buf = [];
        if (m === MAGIC) {
          this.need = "fhd";
          this.want = 1;
        } else if ((m & 0xfffffff0) >>> 0 === 0x184d2a50) {
          this.need = "skiplen";
          this.want = 4;
        } else {
          throw new ZstdGuardError("zstd: bad frame magic");
        }
        return;
      }
      case "skiplen": {
        const len = ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0;
        this.buf = [];
        this.need = "skipbody";
        this.afterBlockBody = "magic";
        this.skip = len;
        if (len === 0) this.afterSkip();
        return;
      }
      case "fhd": {
        const fhd = b[0] ?? 0;
        if (fhd & 0x08) throw new ZstdGuardError("zstd: reserved frame header bit set");
        this.fhd = fhd;
        this.checksum = (fhd & 0x04) !== 0;
        const ss = (fhd >> 5) & 1;
        const fcf = fhd >> 6;
        const did = fhd & 3;
        const fcsBytes = fcf === 0 ? ss : fcf === 1 ? 2 : fcf === 2 ? 4 : 8;
        const rest = (ss ? 0 : 1) + (did === 3 ? 4 : did) + fcsBytes;
        this.need = "fhrest";
        this.want = 1 + rest;
        if (rest === 0) this.step();
        return;
      }
      case "fhrest": {
        const fhd = this.fhd;
        const ss = (fhd >> 5) & 1;
        const fcf = fhd >> 6;
        const did = fhd & 3;
        let p = 1;
        let window: number;
        if (!ss) {
          const wd = b[p++] ?? 0;
          const base = 2 ** (10 + (wd >> 3));
          window = base + (base / 8) * (wd & 7);
        } else window = 0;
        if (did !== 0) throw new ZstdGuardError("zstd: frames needing a dictionary are not supported");
        const fcsBytes = fcf === 0 ? ss : fcf === 1 ? 2 : fcf === 2 ? 4 : 8;
        let fcs = 0;
        for (let i = fcsBytes - 1; i >= 0; i--) fcs = fcs * 256 + (b[p + i] ?? 0);
        if (fcf === 1) fcs += 256;
        if (ss) window = fcs;
        if (window > this.maxWindow) throw new ZstdGuardError(`zstd: window of ${window} bytes exceeds the ${this.maxWindow}-byte cap`);
        this.frames++;
        this.buf = [];
        this.need = "blockhdr";
        this.want = 3;
        return;
      }
      case "blockhdr": {
        const h = (b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16);
        this.buf = [];
        const last = h & 1;
        const type = (h >> 1) & 3;
        const size = h >>> 3;
        if (type === 3) throw new ZstdGuardError("zstd: reserved block type");
        if (size > BLOCK_MAX) throw new ZstdGuardError("zstd: block larger than 128 KiB");
        this.afterBlockBody = last ? (this.checksum ? "checksum" : "magic") : "blockhdr";
        this.need = "skipbody";
        this.skip = type === 1 ? 1 : size;
        if (this.skip === 0) this.afterSkip();
        return;
      }
      case "checksum": {
        this.buf = [];
        this.need = "magic";
        this.want = 4;
        return;
      }
      default:
        throw new ZstdGuardError("zstd: internal guard state");
    }
  }
}
