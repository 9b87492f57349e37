import { fmt } from "./format";

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

const STATUS_TONE: Record<string, string> = {
  open: "danger",
  revoked: "ok",
  false_positive: "",
  accepted_risk: "warn",
  likely: "danger",
  confirmed: "danger",
  review: "warn",
  candidate: "",
  dismissed: "",
  sanctioned: "ok",
  offboarding: "warn",
  offboarded: "ok",
  done: "ok",
  cancelled: "",
  in_progress: "warn",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${STATUS_TONE[status] ?? ""}`}>{fmt.label(status)}</span>;
}

export function TierBadge({ tier, risk }: { tier: string; risk?: number }) {
  return (
    <span className={`badge sev-${tier === "critical" ? "critical" : tier === "high" ? "high" : tier === "medium" ? "medium" : "low"}`}>
      {risk !== undefined ? `${risk} · ` : ""}
      {tier}
    </span>
  );
}
