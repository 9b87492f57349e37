// Persistence of discovery results, per organisation. The jobs pipeline calls these around the
// pure runDiscovery(). Analyst decisions are never overwritten by a rediscovery: confirmed,
// dismissed, sanctioned, offboarding and offboarded keep their status (their evidence and
// confidence are refreshed for the record); dismissed accounts feed back as negative evidence.
import type { PrismaClient } from "../db/generated/client";
import { requireOrgId, type OrgScope } from "../db/scope";
import { parseDomainAudit, type AuditIssue } from "./domain-audit";
import type { Candidate, CloudAccountId, DomainAuditRow, Identity, KnownName, KnownNameCategory, PriorDismissal } from "./types";

/** Statuses only a person sets; discovery leaves them alone. */
export const DECIDED_STATUSES = ["confirmed", "dismissed", "sanctioned", "offboarding", "offboarded"] as const;
const DECIDED = new Set<string>(DECIDED_STATUSES);

export interface UpsertResult {
  created: number;
  updated: number;
  /** rows whose analyst decision was kept */
  decisionsKept: number;
  /** namespace → HubAccount id */
  ids: Record<string, string>;
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as never;

export async function upsertCandidates(db: PrismaClient, scope: OrgScope, candidates: Candidate[]): Promise<UpsertResult> {
  const orgId = requireOrgId(scope);
  const res: UpsertResult = { created: 0, updated: 0, decisionsKept: 0, ids: {} };
  const now = new Date();
  for (const c of candidates) {
    const namespace = c.namespace.toLowerCase();
    const data = {
      confidence: c.confidence,
      evidence: json(c.evidence),
      profile: json({ ...(c.profile ?? {}), foundBy: c.foundBy }),
      accountType: c.profile?.type ?? "unknown",
      repoCount: c.repoCount,
      pullCount: BigInt(Math.max(0, Math.floor(c.pullCount || 0))),
      lastPushAt: c.lastPushAt ? new Date(c.lastPushAt) : null,
      lastDiscoveredAt: now,
    };
    const existing = await db.hubAccount.findFirst({ where: { orgId, namespace }, select: { id: true, status: true } });
    if (!existing) {
      try {
        const row = await db.hubAccount.create({ data: { orgId, namespace, status: c.status, ...data }, select: { id: true } });
        res.created++;
        res.ids[namespace] = row.id;
        continue;
      } catch (e) {
        // a concurrent run created it first (unique orgId+namespace): fall through to update
        if (!(e instanceof Error && /Unique constraint|P2002/.test(e.message))) throw e;
      }
    }
    const current = existing ?? (await db.hubAccount.findFirst({ where: { orgId, namespace }, select: { id: true, status: true } }));
    if (!current) throw new Error(`account ${namespace} vanished during upsert`);
    const keep = DECIDED.has(current.status);
    if (keep) res.decisionsKept++;
    const r = await db.hubAccount.updateMany({
      where: { id: current.id, orgId },
      data: keep ? data : { ...data, status: c.status },
    });
    if (r.count !== 1) throw new Error(`account ${namespace} could not be updated`);
    res.updated++;
    res.ids[namespace] = current.id;
  }
  return res;
}

export interface DomainAuditImport {
  imported: number;
  issues: AuditIssue[];
  /** usernames that already exist as HubAccount rows of this organisation */
  matchedAccounts: string[];
}

/**
 * Validates a Docker domain-audit CSV and stores its valid rows (a re-import updates emails and
 * dates). Rows with errors are skipped and reported; nothing is stored when the file as a whole
 * is unusable (no username/email columns, broken quoting).
 */
export async function importDomainAudit(db: PrismaClient, scope: OrgScope, csvText: string): Promise<DomainAuditImport> {
  const orgId = requireOrgId(scope);
  const parsed = parseDomainAudit(csvText);
  if (parsed.rows.length === 0) return { imported: 0, issues: parsed.issues, matchedAccounts: [] };
  await db.$transaction(async (tx) => {
    for (const r of parsed.rows) {
      const dateJoined = r.dateJoined ? new Date(r.dateJoined) : null;
      await tx.domainAuditEntry.upsert({
        where: { orgId_username: { orgId, username: r.username } },
        create: { orgId, username: r.username, email: r.email, dateJoined },
        update: { email: r.email, dateJoined, importedAt: new Date() },
      });
    }
  });
  const matched = await db.hubAccount.findMany({
    where: { orgId, namespace: { in: parsed.rows.map((r) => r.username) } },
    select: { namespace: true },
  });
  return { imported: parsed.rows.length, issues: parsed.issues, matchedAccounts: matched.map((m) => m.namespace).sort() };
}

export async function loadDomainAudit(db: PrismaClient, scope: OrgScope): Promise<DomainAuditRow[]> {
  const orgId = requireOrgId(scope);
  const rows = await db.domainAuditEntry.findMany({ where: { orgId }, orderBy: { username: "asc" } });
  return rows.map((r) => ({ username: r.username, email: r.email, name: null, dateJoined: r.dateJoined ? r.dateJoined.toISOString() : null }));
}

export async function loadPriorDismissed(db: PrismaClient, scope: OrgScope): Promise<PriorDismissal[]> {
  const orgId = requireOrgId(scope);
  const rows = await db.hubAccount.findMany({ where: { orgId, status: "dismissed" }, select: { namespace: true, dismissReason: true }, orderBy: { namespace: "asc" } });
  return rows.map((r) => ({ namespace: r.namespace, reason: r.dismissReason }));
}

const CATEGORIES = new Set<KnownNameCategory>(["brand", "product", "host", "github_org", "other"]);

/** IdentityItem rows (as the app stores them, already validated) → Identity. */
export function identityFromItems(items: Array<{ kind: string; value: string; normalized: string; category: string | null; notes?: string | null }>): Identity {
  const id: Identity = { domains: [], emailPatterns: [], knownNames: [], sanctioned: [], exclusions: [], cloudAccountIds: [], packageScopes: [] };
  for (const it of items) {
    switch (it.kind) {
      case "domain":
        id.domains.push(it.normalized);
        break;
      case "email_pattern":
        id.emailPatterns.push(it.normalized);
        break;
      case "known_name": {
        const category = CATEGORIES.has(it.category as KnownNameCategory) ? (it.category as KnownNameCategory) : "brand";
        const k: KnownName = { name: it.value, category };
        if (it.notes) k.notes = it.notes;
        id.knownNames.push(k);
        break;
      }
      case "sanctioned_namespace":
        id.sanctioned.push(it.normalized);
        break;
      case "exclusion":
        id.exclusions.push(it.normalized);
        break;
      case "cloud_account_id": {
        const provider = (["aws", "gcp", "azure"] as const).find((p) => p === it.category) ?? "aws";
        const c: CloudAccountId = { provider, id: provider === "aws" ? it.normalized.replace(/\D/g, "") : it.normalized };
        id.cloudAccountIds.push(c);
        break;
      }
    }
  }
  return id;
}

export async function loadIdentity(db: PrismaClient, scope: OrgScope): Promise<Identity> {
  const orgId = requireOrgId(scope);
  const items = await db.identityItem.findMany({ where: { orgId }, orderBy: [{ kind: "asc" }, { normalized: "asc" }] });
  return identityFromItems(items);
}
