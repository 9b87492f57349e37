// Table shapes for CSV export. One place decides the columns, so the overview's tables, the
// accounts list and the findings list export exactly what the screen shows (masked values only).
import type { CsvCell } from "./csv";
import type { AccountRow } from "./accounts";
import type { FindingRow } from "./findings";
import type { Overview } from "./overview";

export const OVERVIEW_TABLES = ["top-accounts", "shadow-by-tier", "open-by-severity", "open-by-provider", "secrets", "trend"] as const;
export type OverviewTable = (typeof OVERVIEW_TABLES)[number];

export interface Table {
  header: string[];
  rows: CsvCell[][];
}

export function overviewTable(o: Overview, table: OverviewTable): Table {
  switch (table) {
    case "top-accounts":
      return {
        header: ["namespace", "status", "risk", "confidence", "open findings", "critical findings", "pulls", "last push"],
        rows: o.topAccounts.map((a) => [a.namespace, a.status, a.risk, a.confidence, a.openFindings, a.criticalFindings, a.pullCount, a.lastPushAt]),
      };
    case "shadow-by-tier":
      return { header: ["risk tier", "shadow accounts"], rows: o.shadowByTier.map((t) => [t.tier, t.value]) };
    case "open-by-severity":
      return { header: ["severity", "open findings"], rows: o.openBySeverity.map((s) => [s.severity, s.value]) };
    case "open-by-provider":
      return { header: ["provider", "open findings"], rows: o.openByProvider.map((p) => [p.provider, p.value]) };
    case "secrets":
      return {
        header: ["state", "findings"],
        rows: [
          ["open, confirmed live", o.secrets.live.value],
          ["open, key rejected by the provider", o.secrets.rejected.value],
          ["open, not confirmed live", o.secrets.unverified.value],
          ["revoked", o.secrets.revoked.value],
        ],
      };
    case "trend":
      return {
        header: ["day", "exposure score", "open critical", "open findings", "live secrets", "shadow accounts", "MTTR hours"],
        rows: o.trend.map((t) => [t.day, t.score, t.openCritical, t.openFindings, t.liveSecrets, t.shadowAccounts, t.mttrHours]),
      };
  }
}

export function accountsTable(rows: AccountRow[]): Table {
  return {
    header: ["namespace", "type", "status", "risk", "tier", "confidence", "open findings", "critical findings", "pulls", "repositories", "last push", "discovered", "last scanned"],
    rows: rows.map((a) => [
      a.namespace,
      a.accountType,
      a.status,
      a.risk,
      a.tier,
      a.confidence,
      a.openFindings,
      a.criticalFindings,
      a.pullCount,
      a.repoCount,
      a.lastPushAt,
      a.discoveredAt,
      a.lastScannedAt,
    ]),
  };
}

export function findingsTable(rows: FindingRow[]): Table {
  return {
    header: ["id", "severity", "status", "detector", "provider", "masked value", "fingerprint prefix", "account", "liveness", "in latest tag", "deleted in history only", "locations", "assignee", "first seen", "last seen", "reason"],
    rows: rows.map((f) => [
      f.id,
      f.severity,
      f.status,
      f.detector,
      f.provider,
      f.masked,
      f.fingerprintPrefix,
      f.accountNamespace,
      f.liveness,
      f.inLatest,
      f.deletedOnly,
      f.locationCount,
      f.assigneeEmail,
      f.firstSeenAt,
      f.lastSeenAt,
      f.statusReason,
    ]),
  };
}
