// Shared set-up for pipeline tests, the demo-style bench and the crash child: a simulator world,
// real lib/hub clients pointed at it, real lib/scan, and the embedded runner with ALL_JOBS.
import type { PrismaClient } from "@/lib/db/generated/client";
import { hubClientsFromEnv } from "@/lib/hub/from-env";
import { scanImage } from "@/lib/scan";
import { ALL_JOBS } from "@/jobs/definitions";
import type { JobDeps } from "@/jobs/deps";
import { discoverForOrg } from "@/jobs/discover";
import { EmbeddedRunner, type EmbeddedRunnerOptions } from "@/jobs/providers/embedded";

export interface SimUrls {
  hubApiUrl: string;
  registryUrl: string;
  searchUrl: string;
}

export function pipelineDeps(db: PrismaClient, sim: SimUrls, over: Partial<JobDeps["config"]> = {}): JobDeps {
  const { hub, registry } = hubClientsFromEnv(
    {
      STOWAWAY_HUB_API_URL: sim.hubApiUrl,
      STOWAWAY_REGISTRY_URL: sim.registryUrl,
      STOWAWAY_SEARCH_URL: sim.searchUrl,
      STOWAWAY_HUB_USERNAME: undefined,
      STOWAWAY_HUB_TOKEN: undefined,
      STOWAWAY_HUB_CONCURRENCY: 4,
    },
    // keep retries snappy against the local simulator
    { backoffBaseMs: 20, backoffMaxMs: 500 },
  );
  return {
    db,
    hub,
    registry,
    scanImage: (ref, o) => scanImage(ref, o),
    discover: discoverForOrg,
    config: { recentTags: 3, pullReserve: 0, ...over },
    now: () => new Date(),
  };
}

export function pipelineRunner(db: PrismaClient, deps: JobDeps, opts: Partial<EmbeddedRunnerOptions> = {}): EmbeddedRunner {
  return new EmbeddedRunner({
    db,
    definitions: ALL_JOBS,
    deps: async () => deps,
    schedule: false,
    pollMs: 100,
    retryBaseMs: 50,
    maxParallel: 4,
    ...opts,
  });
}

export interface WorldIdentity {
  name?: string;
  domains?: string[];
  emailPatterns?: string[];
  knownNames?: string[];
  sanctioned?: string[];
  exclusions?: string[];
  cloudAccountIds?: string[];
  githubOrgs?: string[];
}

export type IdentityRowKind = "domain" | "email_pattern" | "known_name" | "sanctioned_namespace" | "exclusion" | "cloud_account_id";

/** A world's identity block as identity items (kind, value, category), as the settings page would add them. */
export function identityRows(identity: WorldIdentity): Array<{ kind: IdentityRowKind; value: string; category?: string }> {
  return [
    ...(identity.domains ?? []).map((v) => ({ kind: "domain" as const, value: v })),
    ...(identity.emailPatterns ?? []).map((v) => ({ kind: "email_pattern" as const, value: v })),
    ...(identity.knownNames ?? []).map((v) => ({ kind: "known_name" as const, value: v, category: "brand" })),
    ...(identity.githubOrgs ?? []).map((v) => ({ kind: "known_name" as const, value: v, category: "github_org" })),
    ...(identity.sanctioned ?? []).map((v) => ({ kind: "sanctioned_namespace" as const, value: v })),
    ...(identity.exclusions ?? []).map((v) => ({ kind: "exclusion" as const, value: v })),
    ...(identity.cloudAccountIds ?? []).map((v) => ({ kind: "cloud_account_id" as const, value: v, category: "aws" })),
  ];
}

/** Creates an organisation with the world's identity as IdentityItem rows (as the settings API stores them). */
export async function createOrgWithIdentity(db: PrismaClient, slug: string, identity: WorldIdentity): Promise<string> {
  const org = await db.organization.create({ data: { slug, name: identity.name ?? slug } });
  await db.identityItem.createMany({
    data: identityRows(identity).map((r) => ({ orgId: org.id, kind: r.kind, value: r.value, normalized: r.value.toLowerCase(), category: r.category ?? null })),
    skipDuplicates: true,
  });
  return org.id;
}

/** Registers the world's expected accounts directly (deterministic) and requests their scans. */
export async function registerAccountsAndScan(
  db: PrismaClient,
  slug: string,
  identity: WorldIdentity,
  expected: { sanctioned: string[]; shadowAccounts: string[] },
): Promise<string> {
  const { enqueueEvents } = await import("@/jobs/providers/embedded");
  const { EVENTS } = await import("@/jobs/definitions/events");
  const orgId = await createOrgWithIdentity(db, slug, identity);
  await db.hubAccount.createMany({
    data: [
      ...expected.sanctioned.map((namespace) => ({ orgId, namespace, status: "sanctioned" as const, confidence: 1 })),
      ...expected.shadowAccounts.map((namespace) => ({ orgId, namespace, status: "likely" as const, confidence: 0.9 })),
    ],
  });
  const accounts = await db.hubAccount.findMany({ where: { orgId }, select: { id: true }, orderBy: { namespace: "asc" } });
  await enqueueEvents(db, ALL_JOBS, accounts.map((a) => ({ name: EVENTS.accountScanRequested, data: { orgId, accountId: a.id, reason: "manual" as const } })));
  return orgId;
}

/** Findings and every location of an organisation, comparable across databases. */
export async function findingsSnapshot(db: PrismaClient, orgId: string): Promise<{ findings: string[]; locations: string[] }> {
  const accounts = new Map((await db.hubAccount.findMany({ where: { orgId }, select: { id: true, namespace: true } })).map((a) => [a.id, a.namespace]));
  const findings = await db.finding.findMany({ where: { orgId }, select: { fingerprint: true, locations: true } });
  return {
    findings: findings.map((f) => f.fingerprint).sort(),
    locations: findings
      .flatMap((f) => f.locations.map((l) => [f.fingerprint, accounts.get(l.accountId), l.repository, l.tag, l.imageDigest, l.platform, l.layerDigest, l.source, l.path, l.line, l.deleted].join("|")))
      .sort(),
  };
}
