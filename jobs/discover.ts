// Wiring for the discovery job: lib/discovery's store loads the organisation's identity, prior
// dismissals and domain audit; runDiscovery searches and attributes; upsertCandidates stores
// HubAccount rows (analyst decisions are kept). No logic here beyond composing those calls.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { HubApi, RegistryReader } from "@/lib/hub/types";
import { createLightScanner } from "@/lib/discovery/light-scan";
import { runDiscovery } from "@/lib/discovery/run";
import { loadDomainAudit, loadIdentity, loadPriorDismissed, upsertCandidates } from "@/lib/discovery/store";
import type { DiscoveryOutcome } from "./deps";

export async function discoverForOrg(input: { db: PrismaClient; orgId: string; hub: HubApi; registry: RegistryReader }): Promise<DiscoveryOutcome> {
  const { db, orgId } = input;
  const scope = { orgId };
  const identity = await loadIdentity(db, scope);
  if (identity.domains.length === 0 && identity.knownNames.length === 0) {
    return { candidates: 0, warnings: ["Add a domain or a known name in Settings before running discovery."] };
  }
  const result = await runDiscovery({
    identity,
    hub: input.hub,
    registry: input.registry,
    scan: createLightScanner(input.registry),
    priorDismissed: await loadPriorDismissed(db, scope),
    domainAudit: await loadDomainAudit(db, scope),
  });
  await upsertCandidates(db, scope, result.candidates);
  return { candidates: result.candidates.length, warnings: result.warnings.map((w) => w.message) };
}
