// Decodes only the first bytes of a raw deflate stream (RFC 1951), following zlib's "puff"
// reference decoder. Why: a jar holds thousands of .class members; sniffing each one used to cost
// a full zlib inflate whose set-up (~20 µs per member) dominated, only to find the 0xCAFEBABE
// magic and drop it. Untrusted input: every read is bounds-checked, loops are bounded by the
// output wanted, and anything unusual returns null so the caller falls back to zlib.

const MAXBITS = 15;
const MAXLCODES = 286;
const MAXDCODES = 30;
const FIXLCODES = 288;

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** most bits resolved by one table lookup (literal/length codes); longer codes take the bit-by-bit path */
const TABLE_BITS = 9;

/**
 * A canonical Huffman code: codes per length and symbols ordered by code (puff's form, for the
 * bit-by-bit path), plus a table indexed by the next TABLE_BITS input bits: symbol << 4 | length,
 * 0 when the code there is longer than TABLE_BITS.
 */
interface Huffman {
  count: Int16Array;
  symbol: Int16Array;
  /** indexed by the next `bits` input bits (≤ TABLE_BITS): smaller alphabets get smaller tables */
  bits: number;
  table: Int32Array;
  /** the table matches count/symbol (false: decode bit by bit) */
  tabled: boolean;
}

const huffman = (symbols: number, bits: number): Huffman => ({ count: new Int16Array(MAXBITS + 1), symbol: new Int16Array(symbols), bits, table: new Int32Array(1 << bits), tabled: false });

/**
 * Heads of at most this many bytes are decoded bit by bit, without lookup tables for the block's
 * literal/length and distance codes: filling those (512 + 64 slots) costs more than decoding a
 * few symbols slowly. Enough for every binary signature the sniffer knows.
 */
export const PEEK_BYTES = 16;

/**
 * Builds `h` from code lengths; returns codes left unused (0: complete, < 0: over-subscribed).
 * `tabled`: also fill the lookup table (otherwise only the bit-by-bit path can decode with `h`).
 */
function construct(h: Huffman, lengths: Uint8Array, n: number, tabled = true): number {
  h.tabled = tabled;
  h.count.fill(0);
  for (let s = 0; s < n; s++) (h.count[lengths[s] as number] as number)++;
  if (h.count[0] === n) {
    h.table.fill(0); // no codes: complete, but decoding with it fails
    return 0;
  }
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left <<= 1;
    left -= h.count[len] as number;
    if (left < 0) return left;
  }
  const offs = OFFS;
  offs[1] = 0;
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = (offs[len] as number) + (h.count[len] as number);
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) h.symbol[(offs[lengths[s] as number] as number)++] = s;
  if (!tabled) return left;
  // the lookup table: each short code's bit-reversed value (deflate sends codes MSB first into an
  // LSB-first stream) fills every slot whose low `len` bits equal it
  const table = h.table;
  const bits = h.bits;
  const size = 1 << bits;
  let code = 0;
  let index = 0;
  for (let len = 1; len <= bits; len++) {
    const step = 1 << len;
    for (let k = 0; k < (h.count[len] as number); k++, code++, index++) {
      const entry = ((h.symbol[index] as number) << 4) | len;
      // the code's bits reversed, as a `bits`-bit slot index
      for (let slot = (REV9[code << (TABLE_BITS - len)] as number); slot < size; slot += step) table[slot] = entry;
    }
    code <<= 1;
  }
  // slots left: prefixes of longer codes, or unused codes of an incomplete one (bit-by-bit path)
  for (let prefix = code >> 1; prefix < size; prefix++) table[REV9[prefix << (TABLE_BITS - bits)] as number] = 0;
  return left;
}

/** 9-bit reversal of every 9-bit value */
const REV9 = new Int16Array(1 << TABLE_BITS).map((_, v) => {
  let r = 0;
  for (let b = 0; b < TABLE_BITS; b++) r |= ((v >> b) & 1) << (TABLE_BITS - 1 - b);
  return r;
});

const OFFS = new Int16Array(MAXBITS + 1);
const FIXED_L = huffman(FIXLCODES, TABLE_BITS);
const FIXED_D = huffman(MAXDCODES, 5);
{
  const l = new Uint8Array(FIXLCODES);
  for (let s = 0; s < FIXLCODES; s++) l[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
  construct(FIXED_L, l, FIXLCODES);
  construct(FIXED_D, new Uint8Array(MAXDCODES).fill(5), MAXDCODES);
}

class Truncated extends Error {}
class Invalid extends Error {}

/** One decoding run: the bit reader and the output. */
class State {
  pos = 0;
  bitbuf = 0;
  bitcnt = 0;
  n = 0;
  constructor(
    readonly src: Uint8Array,
    readonly out: Buffer,
  ) {}

  bits(need: number): number {
    let val = this.bitbuf;
    while (this.bitcnt < need) {
      if (this.pos >= this.src.length) throw new Truncated();
      val |= (this.src[this.pos++] as number) << this.bitcnt;
      this.bitcnt += 8;
    }
    this.bitbuf = val >>> need;
    this.bitcnt -= need;
    return val & ((1 << need) - 1);
  }

  decode(h: Huffman): number {
    if (!h.tabled) return this.decodeSlow(h);
    // top up to TABLE_BITS bits when the input has them; the table answers most codes at once
    while (this.bitcnt < h.bits && this.pos < this.src.length) {
      this.bitbuf |= (this.src[this.pos++] as number) << this.bitcnt;
      this.bitcnt += 8;
    }
    const entry = h.table[this.bitbuf & ((1 << h.bits) - 1)] as number;
    const len = entry & 15;
    if (len !== 0 && len <= this.bitcnt) {
      this.bitbuf >>>= len;
      this.bitcnt -= len;
      return entry >>> 4;
    }
    return this.decodeSlow(h);
  }

  private decodeSlow(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAXBITS; len++) {
      code |= this.bits(1);
      const count = h.count[len] as number;
      if (code - count < first) return h.symbol[index + (code - first)] as number;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Invalid(); // ran out of codes
  }
}

/**
 * The first `want` bytes (fewer if the stream ends first) of the raw deflate stream `src`, or null
 * when the stream is malformed or truncated before `want` bytes: the caller then inflates it with
 * zlib, which reports the problem. Never reads past `src` and never produces more than `want` bytes.
 */
export function inflateHead(src: Uint8Array, want: number): Buffer | null {
  // a Buffer, like every other head the sniffer sees (one object shape keeps its code monomorphic);
  // only the `n` bytes written are ever returned
  const s = new State(src, Buffer.allocUnsafe(want));
  try {
    let last = 0;
    while (!last && s.n < want) {
      last = s.bits(1);
      const type = s.bits(2);
      if (type === 0) stored(s);
      else if (type === 1) codes(s, FIXED_L, FIXED_D);
      else if (type === 2) dynamic(s);
      else return null;
    }
  } catch (e) {
    if (e instanceof Truncated || e instanceof Invalid) return null;
    throw e;
  }
  return s.n === want ? s.out : s.out.subarray(0, s.n);
}

function stored(s: State): void {
  // The rest of the current byte is padding. The table-driven decode reads ahead, so whole
  // bytes still in the bit buffer belong to LEN/NLEN and the data: put them back. (Dropping them
  // misread a stored block that follows a Huffman block; a crafted stream could even make the
  // misread head look binary, so the member would be skipped unread.)
  s.pos -= s.bitcnt >> 3;
  s.bitbuf = 0;
  s.bitcnt = 0;
  if (s.pos + 4 > s.src.length) throw new Truncated();
  const len = (s.src[s.pos] as number) | ((s.src[s.pos + 1] as number) << 8);
  const nlen = (s.src[s.pos + 2] as number) | ((s.src[s.pos + 3] as number) << 8);
  if (len !== (~nlen & 0xffff)) throw new Invalid();
  s.pos += 4;
  const take = Math.min(len, s.out.length - s.n);
  if (s.pos + take > s.src.length) throw new Truncated();
  s.out.set(s.src.subarray(s.pos, s.pos + take), s.n);
  s.n += take;
  s.pos += take;
}

/** Decodes literals and copies until end of block or until the output is full. */
function codes(s: State, lencode: Huffman, distcode: Huffman): void {
  const out = s.out;
  while (s.n < out.length) {
    let symbol = s.decode(lencode);
    if (symbol < 256) {
      out[s.n++] = symbol;
      continue;
    }
    if (symbol === 256) return;
    symbol -= 257;
    if (symbol >= 29) throw new Invalid();
    const len = (LBASE[symbol] as number) + s.bits(LEXT[symbol] as number);
    const dsym = s.decode(distcode);
    if (dsym >= 30) throw new Invalid();
    const dist = (DBASE[dsym] as number) + s.bits(DEXT[dsym] as number);
    if (dist > s.n) throw new Invalid(); // before the start of the output
    const end = Math.min(out.length, s.n + len);
    while (s.n < end) {
      out[s.n] = out[s.n - dist] as number;
      s.n++;
    }
  }
}

const DYN_L = huffman(MAXLCODES, TABLE_BITS);
const DYN_D = huffman(MAXDCODES, 6);
/** the code-length code: 19 symbols of at most 7 bits */
const DYN_C = huffman(19, 7);
const LENGTHS = new Uint8Array(MAXLCODES + MAXDCODES);

function dynamic(s: State): void {
  const nlen = s.bits(5) + 257;
  const ndist = s.bits(5) + 1;
  const ncode = s.bits(4) + 4;
  if (nlen > MAXLCODES || ndist > MAXDCODES) throw new Invalid();
  const lengths = LENGTHS;
  lengths.fill(0);
  for (let i = 0; i < ncode; i++) lengths[ORDER[i] as number] = s.bits(3);
  // the code-length code must be complete
  if (construct(DYN_C, lengths, 19) !== 0) throw new Invalid();
  let index = 0;
  while (index < nlen + ndist) {
    let symbol = s.decode(DYN_C);
    if (symbol < 16) {
      lengths[index++] = symbol;
      continue;
    }
    let len = 0;
    if (symbol === 16) {
      if (index === 0) throw new Invalid(); // nothing to repeat
      len = lengths[index - 1] as number;
      symbol = 3 + s.bits(2);
    } else if (symbol === 17) symbol = 3 + s.bits(3);
    else symbol = 11 + s.bits(7);
    if (index + symbol > nlen + ndist) throw new Invalid();
    while (symbol--) lengths[index++] = len;
  }
  if (lengths[256] === 0) throw new Invalid(); // no end-of-block code
  // an incomplete code is allowed only for a single length-1 code, as in zlib
  const tabled = s.out.length > PEEK_BYTES;
  let err = construct(DYN_L, lengths, nlen, tabled);
  if (err < 0 || (err > 0 && nlen !== (DYN_L.count[0] as number) + (DYN_L.count[1] as number))) throw new Invalid();
  err = construct(DYN_D, lengths.subarray(nlen), ndist, tabled);
  if (err < 0 || (err > 0 && ndist !== (DYN_D.count[0] as number) + (DYN_D.count[1] as number))) throw new Invalid();
  codes(s, DYN_L, DYN_D);
}
