// Risk scoring, as product.md "Risk, explained" describes it. Pure functions: every score comes
// with its parts so the UI can show exactly why a number is what it is.
//   account risk = 100 × attribution × findings × exposure
//   attribution  = confidence (1 for sanctioned/confirmed inventory, 0 for dismissed)
//   findings     = worst open severity, lifted by the number of open findings
//   exposure     = pulls, push recency and spread (images carrying the secrets), damped when the
//                  secrets only survive in history (not in any latest tag)
// A claimed account with no open findings scores 0; an offboarded one keeps its findings (its
// history) and scores them like any other account until they are revoked.

export type SeverityName = "critical" | "high" | "medium" | "low";
export type AccountStatusName =
  | "candidate"
  | "review"
  | "likely"
  | "confirmed"
  | "dismissed"
  | "sanctioned"
  | "offboarding"
  | "offboarded";

export const SEVERITY_WEIGHT: Record<SeverityName, number> = { critical: 1, high: 0.7, medium: 0.4, low: 0.1 };

export interface AccountFindingInput {
  severity: SeverityName;
  status: "open" | "revoked" | "false_positive" | "accepted_risk";
  liveness: string;
  /** images (distinct digests) of this account carrying the secret */
  images: number;
  /** present in at least one latest tag of this account */
  inLatest: boolean;
}

export interface AccountRiskInput {
  status: AccountStatusName;
  confidence: number;
  pullCount: number;
  lastPushAt: Date | null;
  findings: AccountFindingInput[];
  now: Date;
}

export interface RiskPart {
  key: string;
  label: string;
  value: number;
  detail: string;
}

export interface AccountRisk {
  score: number;
  parts: {
    attribution: RiskPart;
    findings: RiskPart;
    exposure: RiskPart;
    exposureDetail: RiskPart[];
    openFindings: number;
    worstSeverity: SeverityName | null;
    formula: string;
  };
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;

export function attributionFor(status: AccountStatusName, confidence: number): { value: number; detail: string } {
  if (status === "dismissed") return { value: 0, detail: "dismissed as not ours" };
  if (status === "sanctioned" || status === "confirmed" || status === "offboarding" || status === "offboarded") {
    return { value: 1, detail: `${status}: belongs to the organisation` };
  }
  return { value: clamp01(confidence), detail: `attribution confidence ${round2(clamp01(confidence))}` };
}

export function scoreAccount(input: AccountRiskInput): AccountRisk {
  const attribution = attributionFor(input.status, input.confidence);
  const open = input.findings.filter((f) => f.status === "open");
  const worst = open.reduce<SeverityName | null>(
    (w, f) => (w === null || SEVERITY_WEIGHT[f.severity] > SEVERITY_WEIGHT[w] ? f.severity : w),
    null,
  );
  const worstWeight = worst ? SEVERITY_WEIGHT[worst] : 0;
  // 1 open finding → ×0.75, 3 → ×0.88, 10+ → ×1: volume matters but never outweighs severity.
  const volume = open.length ? 0.75 + 0.25 * clamp01(Math.log10(open.length)) : 0;
  const live = open.some((f) => f.liveness === "live");
  const findingsValue = clamp01(worstWeight * volume * (live ? 1 : 0.9));

  const pulls = clamp01(Math.log10(1 + Math.max(0, input.pullCount)) / 6); // 1M pulls → 1
  const ageDays = input.lastPushAt ? Math.max(0, (input.now.getTime() - input.lastPushAt.getTime()) / 86_400_000) : null;
  const recency = ageDays === null ? 0.3 : ageDays <= 30 ? 1 : Math.max(0.3, 1 - ((ageDays - 30) / 335) * 0.7);
  const images = open.reduce((n, f) => n + f.images, 0);
  const spread = clamp01(Math.log2(1 + images) / 4); // 15 images → 1
  const inLatest = open.some((f) => f.inLatest);
  const latestFactor = open.length === 0 ? 1 : inLatest ? 1 : 0.7;
  const exposureValue = clamp01((0.35 + 0.65 * (0.4 * pulls + 0.3 * recency + 0.3 * spread)) * latestFactor);

  const score = Math.round(100 * attribution.value * findingsValue * exposureValue);
  return {
    score: Math.min(100, Math.max(0, score)),
    parts: {
      attribution: { key: "attribution", label: "Attribution", value: round2(attribution.value), detail: attribution.detail },
      findings: {
        key: "findings",
        label: "Open findings",
        value: round2(findingsValue),
        detail: open.length
          ? `${open.length} open, worst ${worst}${live ? ", a secret is confirmed live" : ""}`
          : "no open findings",
      },
      exposure: { key: "exposure", label: "Exposure", value: round2(exposureValue), detail: inLatest ? "secret present in a latest tag" : open.length ? "secrets only in older tags or history" : "nothing exposed" },
      exposureDetail: [
        { key: "pulls", label: "Public pulls", value: round2(pulls), detail: `${input.pullCount} pulls` },
        { key: "recency", label: "Push recency", value: round2(recency), detail: ageDays === null ? "push date unknown" : `last push ${Math.round(ageDays)} days ago` },
        { key: "spread", label: "Images carrying secrets", value: round2(spread), detail: `${images} image(s)` },
        { key: "latest", label: "In latest tag", value: round2(latestFactor), detail: inLatest ? "yes" : "history only" },
      ],
      openFindings: open.length,
      worstSeverity: worst,
      formula: "100 × attribution × findings × exposure",
    },
  };
}

export interface PostureInput {
  /** account risks of accounts that count (not dismissed/candidate) */
  accountRisks: number[];
  openFindings: number;
  openCritical: number;
  liveSecrets: number;
  shadowAccounts: number;
  /**
   * Hours from first seen to resolution for findings resolved so far: each finding's hours, or
   * their count and sum (what the FindingDaily rollup keeps) — the mean is the same.
   */
  remediationHours: number[] | { count: number; totalHours: number };
}

export interface Posture {
  score: number;
  openFindings: number;
  openCritical: number;
  liveSecrets: number;
  shadowAccounts: number;
  mttrHours: number | null;
  parts: { key: string; label: string; value: number; detail: string }[];
}

/**
 * Organisation exposure score (0 = nothing exposed, 100 = worst): the riskiest account dominates,
 * the next riskiest ones add to it, and open criticals put a floor under it.
 */
export function scorePosture(input: PostureInput): Posture {
  const sorted = [...input.accountRisks].sort((a, b) => b - a);
  const max = sorted[0] ?? 0;
  const top5 = sorted.slice(0, 5);
  const avgTop5 = top5.length ? top5.reduce((a, b) => a + b, 0) / top5.length : 0;
  const criticalFloor = Math.min(60, input.openCritical * 15);
  const score = Math.round(Math.min(100, Math.max(0.6 * max + 0.4 * avgTop5, criticalFloor)));
  const rem = Array.isArray(input.remediationHours)
    ? { count: input.remediationHours.length, totalHours: input.remediationHours.reduce((a, b) => a + b, 0) }
    : input.remediationHours;
  const mttr = rem.count > 0 ? Math.round((rem.totalHours / rem.count) * 10) / 10 : null;
  return {
    score,
    openFindings: input.openFindings,
    openCritical: input.openCritical,
    liveSecrets: input.liveSecrets,
    shadowAccounts: input.shadowAccounts,
    mttrHours: mttr,
    parts: [
      { key: "max", label: "Riskiest account", value: max, detail: `weight 0.6` },
      { key: "top5", label: "Average of the 5 riskiest accounts", value: Math.round(avgTop5), detail: `weight 0.4` },
      { key: "criticalFloor", label: "Open critical findings floor", value: criticalFloor, detail: `${input.openCritical} open critical × 15, max 60` },
    ],
  };
}
