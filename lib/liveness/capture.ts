// SECURITY-CRITICAL: wraps the scanner's detect function (ScanImageOptions.detect) so that, for
// detectors with a verifier, the raw value is kept in memory for the length of one image scan and
// then sealed. The scanner itself is unchanged: it still reduces every match to fingerprint + mask.
import type { DetectFn, DetectorMatch, TextContext } from "@/lib/scan/types";
import { fingerprintOf, seal, type Keyring, type SealedValue, type SecretMaterial } from "./seal";
import { hasVerifier } from "./verifiers";

export type { DetectFn };

export interface CapturedSecret extends SecretMaterial {
  detector: string;
  fingerprint: string;
}

export interface SealedCapture extends SealedValue {
  detector: string;
  fingerprint: string;
}

export interface SecretCapture {
  detect: DetectFn;
  /** how many distinct verifiable secrets are held */
  readonly size: number;
  /** seals everything held and forgets the raw values */
  sealAll(ring: Keyring): SealedCapture[];
}

/** Bounds memory on hostile images that repeat thousands of distinct tokens. */
const MAX_CAPTURED = 2000;

export function createSecretCapture(base: DetectFn, opts: { max?: number; verifiable?: (detector: string) => boolean } = {}): SecretCapture {
  const held = new Map<string, CapturedSecret>();
  // AWS key ids reported on their own (e.g. AWS_ACCESS_KEY_ID in one ENV entry, the secret in another)
  const loneKeyIds = new Set<string>();
  const max = opts.max ?? MAX_CAPTURED;
  const verifiable = opts.verifiable ?? hasVerifier;
  const capture = (text: string, ctx: TextContext, latin1Bytes?: Uint8Array): DetectorMatch[] => {
    const matches = base(text, ctx, latin1Bytes);
    for (const m of matches) {
      if (m.detector === "aws-access-key-id" && loneKeyIds.size < 64) loneKeyIds.add(m.secret);
      if (!verifiable(m.detector) || held.size >= max) continue;
      const fp = fingerprintOf(m.secret);
      if (held.has(fp)) continue;
      const keyId = AWS_SECRET_DETECTORS.has(m.detector) ? awsKeyIdNear(text, m.secret) : undefined;
      held.set(fp, { detector: m.detector, fingerprint: fp, secret: m.secret, ...(keyId ? { keyId } : {}) });
    }
    return matches;
  };
  // the base's byte gate only says "no match possible here": nothing to capture either
  const detect: DetectFn = base.gate ? Object.assign(capture, { gate: base.gate }) : capture;
  /** An AWS secret with no id beside it pairs with the image's only lone key id (never a guess among several). */
  const pairFor = (c: CapturedSecret): string | undefined =>
    c.keyId ?? (AWS_SECRET_DETECTORS.has(c.detector) && loneKeyIds.size === 1 ? [...loneKeyIds][0] : undefined);
  return {
    detect,
    get size() {
      return held.size;
    },
    sealAll(ring) {
      const out = [...held.values()].map((c) => {
        const keyId = pairFor(c);
        return { detector: c.detector, fingerprint: c.fingerprint, ...seal(ring, c, keyId ? { secret: c.secret, keyId } : { secret: c.secret }) };
      });
      held.clear();
      loneKeyIds.clear();
      return out;
    },
  };
}

const AWS_SECRET_DETECTORS = new Set(["aws-access-key", "aws-secret-access-key"]);
const AWS_KEY_ID = /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/g;

/**
 * The AWS detector reports the secret access key (the fingerprinted half) and not its key id; the
 * id is the public half within ±1 KiB (the detector's own window). The nearest one wins.
 */
export function awsKeyIdNear(text: string, secret: string): string | undefined {
  const at = text.indexOf(secret);
  if (at < 0) return undefined;
  const from = Math.max(0, at - 1044);
  const window = text.slice(from, Math.min(text.length, at + secret.length + 1044));
  let best: { id: string; d: number } | undefined;
  for (const m of window.matchAll(AWS_KEY_ID)) {
    const d = Math.abs(from + (m.index ?? 0) - at);
    if (!best || d < best.d) best = { id: m[1]!, d };
  }
  return best?.id;
}
