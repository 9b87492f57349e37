// A fixed block of on-heap memory held once this process scans images. Why: a scan keeps only
// ~10 MB live in V8's old generation while allocating hundreds of MB of short-lived strings and
// views; with a heap that small (and Node 20's 16 MB semi-space) V8 restarts incremental marking
// almost as soon as a mark-compact ends — 14–21 per scan of the benchmark image, most freeing
// under 1 MB, their marking on helper threads competing with gunzip and the scan for the cores.
// 8 MiB more live data moves the next limit off that line (6–11 mark-compacts): fresh-process
// scans ~4% faster (7 of 8 and 10 of 13 alternating pairs), second scans ~9% (4 of 4); figures in
// docs/scanner.md. The V8 flags that fix this directly (--initial-old-space-size …) are start-up
// options a library running inside the Next.js server cannot set.

/** doubles, not a typed array: a typed array's bytes live outside V8's heap and would not count */
const BALLAST_DOUBLES = (8 * 1024 * 1024) / 8;

let ballast: number[] | null = null;

/** Allocates the ballast on first use; later calls do nothing. */
export function holdGcBallast(): void {
  // filled with a non-integer: one contiguous block of unboxed doubles, which holds no pointers,
  // so marking it costs nothing
  ballast ??= new Array<number>(BALLAST_DOUBLES).fill(0.5);
}

/** bytes held (0 before the first scan) */
export function gcBallastBytes(): number {
  return ballast ? ballast.length * 8 : 0;
}
