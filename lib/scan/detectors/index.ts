// Public API of the detectors: scanText finds secrets in one text; DETECTORS lists every id.
import type { DetectFn, DetectorMatch, Severity, TextContext } from "../types";
import { decodeFile, decoderMayApply, DECODER_DETECTORS } from "./decoders";
import { Engine, resolve, type DetectorDef } from "./engine";
import { GENERIC_DETECTORS } from "./rules/generic";
import { STRUCTURED_DETECTORS } from "./rules/structured";
import { TOKEN_DETECTORS } from "./rules/tokens";

export interface DetectorInfo {
  id: string;
  provider: string;
  severity: Severity;
  description: string;
}

// Order matters on ties: earlier wins when two detectors claim the same span.
const DEFS: readonly DetectorDef[] = [...STRUCTURED_DETECTORS, ...TOKEN_DETECTORS, ...GENERIC_DETECTORS];

function buildInfo(): DetectorInfo[] {
  const out = new Map<string, DetectorInfo>();
  for (const d of DEFS) {
    if (!d.virtual && !out.has(d.id)) out.set(d.id, { id: d.id, provider: d.provider, severity: d.severity, description: d.description });
    for (const s of d.siblings ?? []) if (!out.has(s.id)) out.set(s.id, { id: s.id, provider: d.provider, severity: s.severity, description: s.description });
  }
  for (const d of DECODER_DETECTORS) if (!out.has(d.id)) out.set(d.id, d);
  return [...out.values()];
}

export const DETECTORS: readonly DetectorInfo[] = Object.freeze(buildInfo());

let engine: Engine | null = null;

/**
 * Finds secrets in one text (a file, an env line, a label, a history line, a README). Line numbers
 * are 1-based. File-format decoders run when ctx.path names a known credentials file.
 * Findings under test/fixture/example paths are kept but downgraded to low severity.
 */
function scanTextImpl(text: string, ctx: TextContext, latin1Bytes?: Uint8Array): DetectorMatch[] {
  engine ??= new Engine(DEFS);
  // latin1Bytes: the text's bytes when it was decoded byte-for-char (the image scanner's files)
  const matches = resolve(engine.scan(text, ctx, decodeFile, latin1Bytes && latin1Bytes.length === text.length ? latin1Bytes : undefined));
  if (matches.length === 0 || !ctx.path) return matches;
  if (EXAMPLE_PATH.test(ctx.path)) for (const m of matches) m.severity = "low";
  // generic assignments in prose (README, man pages) are overwhelmingly documentation samples
  else if (DOC_FILE.test(ctx.path)) for (const m of matches) if (m.detector === "generic-secret") m.severity = "low";
  return matches;
}

/**
 * False when a file's latin1 bytes hold no keyword hit that a detector's precheck accepts and no
 * file-format decoder applies to its path: scanText would find nothing, so the image scanner does
 * not decode it to a string.
 */
function gate(latin1Bytes: Uint8Array, path: string): boolean {
  engine ??= new Engine(DEFS);
  // the path test only matters for files without a live hit (most files: no string work for them)
  return engine.gate(latin1Bytes, decoderMayApply, path);
}

export const scanText: DetectFn = Object.assign(scanTextImpl, { gate });

/** test, fixture, example and documentation trees: values there are overwhelmingly samples */
const EXAMPLE_PATH = /(^|\/)(tests?|__tests__|spec|specs|fixtures?|__fixtures__|testdata|test-data|examples?|samples?|demo|mocks?|__mocks__|doc|docs)(\/|$)|^\/?usr\/share\/(doc|man|info)\/|\.(test|spec)\.[a-z]+$/i;

const DOC_FILE = /\.(md|markdown|rst|txt|adoc|html?)$|(^|\/)readme[^/]*$/i;

export { fingerprint, mask } from "../fingerprint";
