// Risk tiers used by the dashboards. Boundaries are inclusive lower bounds on the 0–100 account
// risk; one definition so that the overview counts and the list filters always agree.
export const RISK_TIERS = ["critical", "high", "medium", "low"] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const TIER_RANGE: Record<RiskTier, { min: number; max: number }> = {
  critical: { min: 75, max: 100 },
  high: { min: 50, max: 74 },
  medium: { min: 25, max: 49 },
  low: { min: 0, max: 24 },
};

export function tierOf(risk: number): RiskTier {
  if (risk >= TIER_RANGE.critical.min) return "critical";
  if (risk >= TIER_RANGE.high.min) return "high";
  if (risk >= TIER_RANGE.medium.min) return "medium";
  return "low";
}

/** Shadow accounts not yet dealt with (same set as lib/risk posture's shadowAccounts). */
export const SHADOW_STATUSES = ["likely", "confirmed", "offboarding"] as const;
/** Candidates above the review threshold, waiting for an analyst. */
export const REVIEW_STATUSES = ["review"] as const;

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type SeverityName = (typeof SEVERITIES)[number];

export const FINDING_STATUSES = ["open", "revoked", "false_positive", "accepted_risk"] as const;
export type FindingStatusName = (typeof FINDING_STATUSES)[number];

export const ACCOUNT_STATUSES = [
  "candidate",
  "review",
  "likely",
  "confirmed",
  "dismissed",
  "sanctioned",
  "offboarding",
  "offboarded",
] as const;
export type AccountStatusName = (typeof ACCOUNT_STATUSES)[number];
