// A zstd *frame writer* made of Raw (stored) blocks. Node 20 has no zstd encoder and native
// packages cannot be installed here, but a frame of Raw blocks is plain, valid zstd (RFC 8878
// §3.1.1): every decoder accepts it. No compression, so layers are as large as their tar.

const MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 * 1024;

export function zstdRawFrame(data: Buffer): Buffer {
  const size = data.length;
  // Single_Segment_flag = 1 (no Window_Descriptor); Frame_Content_Size_flag: 0 → 1 byte (<256),
  // 1 → 2 bytes (value - 256, < 65792), 2 → 4 bytes, 3 → 8 bytes. No checksum, no dictionary.
  let fcsFlag: number;
  let fcs: Buffer;
  if (size < 256) {
    fcsFlag = 0;
    fcs = Buffer.from([size]);
  } else if (size < 65536 + 256) {
    fcsFlag = 1;
    fcs = Buffer.alloc(2);
    fcs.writeUInt16LE(size - 256);
  } else if (size <= 0xffffffff) {
    fcsFlag = 2;
    fcs = Buffer.alloc(4);
    fcs.writeUInt32LE(size);
  } else {
    fcsFlag = 3;
    fcs = Buffer.alloc(8);
    fcs.writeBigUInt64LE(BigInt(size));
  }
  const head = Buffer.alloc(5);
  head.writeUInt32LE(MAGIC, 0);
  head[4] = (fcsFlag << 6) | (1 << 5);
  const parts: Buffer[] = [head, fcs];
  let offset = 0;
  do {
    const n = Math.min(MAX_BLOCK, size - offset);
    const last = offset + n >= size ? 1 : 0;
    const bh = (n << 3) | (0 << 1) | last; // Block_Type 0 = Raw_Block
    parts.push(Buffer.from([bh & 0xff, (bh >> 8) & 0xff, (bh >> 16) & 0xff]), data.subarray(offset, offset + n));
    offset += n;
  } while (offset < size);
  return Buffer.concat(parts);
}
