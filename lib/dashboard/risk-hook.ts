// Workflows change what risk is computed from (finding statuses, claims, dismissals). lib/risk
// owns the formulas; workflows call it after their transaction commits, then refresh today's
// posture snapshot so the overview reflects the change at once.
import type { Db } from "@/lib/db/client";
import type { OrgScope } from "@/lib/db/scope";
import { recomputeAccountsRisk, recomputeOrgPosture } from "@/lib/risk/store";

export interface WorkflowDeps {
  recomputeRisk?: (db: Db, scope: OrgScope, accountIds: string[]) => Promise<unknown>;
  recomputePosture?: (db: Db, scope: OrgScope) => Promise<unknown>;
}

export const defaultDeps: Required<WorkflowDeps> = {
  recomputeRisk: (db, scope, ids) => recomputeAccountsRisk(db, scope, ids),
  recomputePosture: (db, scope) => recomputeOrgPosture(db, scope),
};

export async function recomputeAll(db: Db, scope: OrgScope, accountIds: Iterable<string>, deps: WorkflowDeps): Promise<void> {
  const d = { ...defaultDeps, ...deps };
  const ids = new Set(accountIds);
  if (!ids.size) return;
  // one batch: a bulk action over a page of findings touches up to 25 accounts
  await d.recomputeRisk(db, { orgId: scope.orgId }, [...ids]);
  await d.recomputePosture(db, { orgId: scope.orgId });
}
