// A Uint32Array over a whole ArrayBuffer, kept for the last buffer asked about. The tar header
// checksum reads words, once per entry, from views into the same 1 MiB layer chunk: one view per
// chunk instead of one per call (less garbage per scan). Holds at most one buffer alive until the
// next call with another.
let lastBuffer: ArrayBufferLike | null = null;
let lastWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

export function wordsOf(buffer: ArrayBufferLike): Uint32Array<ArrayBufferLike> {
  // a transferred (detached) buffer has byteLength 0: never cache a view of one as valid
  if (buffer !== lastBuffer || lastWords.length !== buffer.byteLength >>> 2) {
    lastWords = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
    lastBuffer = buffer;
  }
  return lastWords;
}
