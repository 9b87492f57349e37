// Wiring for the discovery job: the organisation's stored identity → lib/discovery's run →
// candidate accounts stored per organisation. Analysts' decisions win over discovery: a
// dismissed, confirmed, claimed or offboarded account keeps its status; only evidence,
// confidence and profile are refreshed.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { HubApi, RegistryReader } from "@/lib/hub/types";
import { parseIdentity } from "@/lib/discovery/identity-input";
import { createLightScanner } from "@/lib/discovery/light-scan";
import { runDiscovery } from "@/lib/discovery/run";
import type { Candidate } from "@/lib/discovery/types";
import { getOrgIdentity } from "@/lib/identity";
import type { DiscoveryOutcome } from "./deps";

const ANALYST_OWNED = new Set(["dismissed", "confirmed", "sanctioned", "offboarding", "offboarded"]);

export async function discoverForOrg(input: { db: PrismaClient; orgId: string; hub: HubApi; registry: RegistryReader }): Promise<DiscoveryOutcome> {
  const { db, orgId } = input;
  const idn = await getOrgIdentity({ orgId }, db);
  if (idn.domains.length === 0 && idn.knownNames.length === 0) {
    return { candidates: 0, warnings: ["Add a domain or a known name in Settings before running discovery."] };
  }
  const identity = parseIdentity({
    domains: idn.domains,
    emailPatterns: idn.emailPatterns,
    knownNames: idn.knownNames.map((k) => ({ name: k.name, category: k.category })),
    sanctioned: idn.sanctionedNamespaces,
    exclusions: idn.exclusions,
    cloudAccountIds: idn.cloudAccountIds.map((c) => ({ provider: c.provider, id: c.id })),
  });
  const [dismissed, audit] = await Promise.all([
    db.hubAccount.findMany({ where: { orgId, status: "dismissed" }, select: { namespace: true, dismissReason: true } }),
    db.domainAuditEntry.findMany({ where: { orgId }, select: { username: true, email: true, dateJoined: true } }),
  ]);
  const result = await runDiscovery({
    identity,
    hub: input.hub,
    registry: input.registry,
    scan: createLightScanner(input.registry),
    priorDismissed: dismissed.map((d) => ({ namespace: d.namespace, reason: d.dismissReason })),
    domainAudit: audit.map((a) => ({ username: a.username, name: null, email: a.email, dateJoined: a.dateJoined?.toISOString() ?? null })),
  });
  await storeCandidates(db, orgId, result.candidates);
  return { candidates: result.candidates.length, warnings: result.warnings.map((w) => w.message) };
}

/** Upserts candidate accounts on (orgId, namespace). Idempotent. */
export async function storeCandidates(db: PrismaClient, orgId: string, candidates: Candidate[]): Promise<void> {
  const now = new Date();
  for (const c of candidates) {
    const existing = await db.hubAccount.findFirst({ where: { orgId, namespace: c.namespace }, select: { id: true, status: true } });
    const common = {
      confidence: c.confidence,
      evidence: JSON.parse(JSON.stringify(c.evidence)) as never,
      profile: JSON.parse(JSON.stringify({ ...(c.profile ?? {}), foundBy: c.foundBy })) as never,
      accountType: c.profile?.type ?? "unknown",
      lastDiscoveredAt: now,
      repoCount: c.repoCount,
      pullCount: BigInt(Math.max(0, Math.floor(c.pullCount || 0))),
      lastPushAt: c.lastPushAt ? new Date(c.lastPushAt) : null,
    };
    if (!existing) {
      await db.hubAccount.createMany({ data: [{ orgId, namespace: c.namespace, status: c.status, ...common }], skipDuplicates: true });
    } else {
      await db.hubAccount.updateMany({
        where: { id: existing.id, orgId },
        data: { ...common, ...(ANALYST_OWNED.has(existing.status) && c.status !== "sanctioned" ? {} : { status: c.status }) },
      });
    }
  }
}
