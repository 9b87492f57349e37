// Read model for the Overview empty states: what this organisation has set up so far.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { OrgContext } from "@/lib/auth/permissions";
import { scoped } from "@/lib/db/scope";

export interface OrgSetupCounts {
  identity: Record<string, number>;
  identityTotal: number;
  members: number;
  accounts: number;
  openFindings: number;
  jobRuns: number;
}

export async function getOrgSetupCounts(db: PrismaClient, ctx: Pick<OrgContext, "orgId">): Promise<OrgSetupCounts> {
  const [identity, members, accounts, openFindings, jobRuns] = await Promise.all([
    db.identityItem.groupBy({ by: ["kind"], where: scoped(ctx), _count: { _all: true } }),
    db.membership.count({ where: scoped(ctx) }),
    db.hubAccount.count({ where: scoped(ctx) }),
    db.finding.count({ where: scoped(ctx, { status: "open" as const }) }),
    db.jobRun.count({ where: scoped(ctx) }),
  ]);
  const byKind = Object.fromEntries(identity.map((g) => [g.kind, g._count._all]));
  return {
    identity: byKind,
    identityTotal: Object.values(byKind).reduce((a, b) => a + b, 0),
    members,
    accounts,
    openFindings,
    jobRuns,
  };
}
