// Evidence → confidence, explainable item by item.
// Positive items combine by noisy-OR (each is an independent chance that the account is ours);
// the strongest item of a type counts fully, further items of the same type at a quarter (they
// usually come from one person or one build). Negative items then multiply the result down, the
// strongest of each negative type once.
// Every item gets `contribution`: how much it moved the confidence, so the UI can list them.
import { DEFAULT_THRESHOLDS, type CandidateStatus, type Evidence, type EvidenceType, type Thresholds } from "./types";

export const NEGATIVE_TYPES: ReadonlySet<EvidenceType> = new Set([
  "exclusion",
  "previously_dismissed",
  "official_image",
  "verified_publisher",
  "other_company",
  "other_owner",
  "other_website",
  "disclaimer",
  "lookalike_domain",
]);

export const REPEAT_FACTOR = 0.25;

export interface Score {
  confidence: number;
  status: CandidateStatus;
  /** evidence sorted as applied, each with its contribution */
  evidence: Evidence[];
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function statusFor(confidence: number, t: Thresholds = DEFAULT_THRESHOLDS): CandidateStatus {
  if (confidence >= t.likely) return "likely";
  if (confidence >= t.review) return "review";
  return "candidate";
}

export function scoreEvidence(items: Evidence[], thresholds: Thresholds = DEFAULT_THRESHOLDS): Score {
  if (items.some((e) => e.type === "sanctioned")) {
    // Inventory: ours by declaration; the other items stay for context.
    return {
      confidence: 1,
      status: "sanctioned",
      evidence: items.map((e) => ({ ...e, contribution: e.type === "sanctioned" ? 1 : 0 })),
    };
  }
  const positives = items
    .filter((e) => !NEGATIVE_TYPES.has(e.type))
    .sort((a, b) => b.weight - a.weight || a.type.localeCompare(b.type) || a.value.localeCompare(b.value));
  const negatives = items
    .filter((e) => NEGATIVE_TYPES.has(e.type))
    .sort((a, b) => a.weight - b.weight || a.type.localeCompare(b.type) || a.value.localeCompare(b.value));
  const seenTypes = new Set<EvidenceType>();
  let p = 0;
  const out: Evidence[] = [];
  for (const e of positives) {
    const eff = Math.min(0.999, Math.max(0, seenTypes.has(e.type) ? e.weight * REPEAT_FACTOR : e.weight));
    seenTypes.add(e.type);
    const next = 1 - (1 - p) * (1 - eff);
    out.push({ ...e, contribution: r3(next - p) });
    p = next;
  }
  const seenNeg = new Set<EvidenceType>();
  for (const e of negatives) {
    // one factor per negative type (the strongest): three foreign labels are one kind of doubt
    const factor = seenNeg.has(e.type) ? 1 : Math.min(1, Math.max(0, e.weight));
    seenNeg.add(e.type);
    const next = p * factor;
    out.push({ ...e, contribution: r3(next - p) });
    p = next;
  }
  const confidence = r3(p);
  return { confidence, status: statusFor(confidence, thresholds), evidence: out };
}

/** "0.91 = profile_url +0.70, content_email +0.19, other_company −0.00" — for logs and the CLI table. */
export function explain(score: Score): string {
  const parts = score.evidence
    .filter((e) => (e.contribution ?? 0) !== 0)
    .map((e) => `${e.type} ${(e.contribution ?? 0) >= 0 ? "+" : "−"}${Math.abs(e.contribution ?? 0).toFixed(2)}`);
  return `${score.confidence.toFixed(2)} = ${parts.join(", ") || "no evidence"}`;
}
