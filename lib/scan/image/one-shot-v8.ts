// V8 settings for a process that runs one scan and exits: the CLI's scan-image (and the
// benchmark's rows that run as the CLI does). A fresh process's first scan spends a large share of
// its CPU in TurboFan compiling the scanner's hot functions — ~150 compiles, ~1.1 s of compile time
// per scan of the benchmark image, on the same two cores that gunzip and the scan itself need —
// and a compile's cost grows with how much of its callees' code it inlines. A smaller cumulative
// inlining budget per compile (V8's default is 920 bytes of bytecode) made those compiles cheaper
// without slowing the compiled code measurably: see docs/scanner.md ("ninth session").
//
// scanImage does not apply this itself: a library must not change the VM flags of the process
// that hosts it (the job runner inside the web server, where the scanner's code is compiled once
// and then stays hot).
import v8 from "node:v8";

export const ONE_SHOT_V8_FLAGS: readonly string[] = ["--max-inlined-bytecode-size-cumulative=300"];

/**
 * Applies ONE_SHOT_V8_FLAGS to this process. V8 reads the inlining budget each time it compiles,
 * so this takes effect for everything compiled afterwards; call it before scanning.
 */
export function tuneV8ForOneShotScan(): void {
  for (const flag of ONE_SHOT_V8_FLAGS) v8.setFlagsFromString(flag);
}
