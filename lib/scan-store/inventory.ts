// Repositories and tags of a monitored account, as last listed: which tags to scan and which
// digests changed since the last scan. Org-scoped; idempotent upserts.
import type { PrismaClient } from "@/lib/db/generated/client";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import type { HubRepositorySummary, HubTag } from "@/lib/hub/types";

/** `latest` (or, without one, the newest tag) plus the N most recently pushed tags. */
export function selectTags(tags: HubTag[], recent: number): Array<{ tag: HubTag; isLatest: boolean }> {
  const pushed = (t: HubTag) => Date.parse(t.lastPushed ?? t.lastUpdated ?? "") || 0;
  const sorted = [...tags].sort((a, b) => pushed(b) - pushed(a) || a.name.localeCompare(b.name));
  const latest = tags.find((t) => t.name === "latest") ?? sorted[0];
  const out: Array<{ tag: HubTag; isLatest: boolean }> = [];
  if (latest) out.push({ tag: latest, isLatest: true });
  for (const t of sorted) {
    if (out.length >= recent + (latest ? 1 : 0)) break;
    if (t !== latest) out.push({ tag: t, isLatest: false });
  }
  return out;
}

export async function upsertRepository(db: PrismaClient, scope: OrgScope, accountId: string, r: HubRepositorySummary): Promise<string> {
  const orgId = requireOrgId(scope);
  const data = {
    description: r.description,
    pullCount: BigInt(Math.max(0, Math.floor(r.pullCount || 0))),
    isPrivate: r.isPrivate,
    lastUpdated: r.lastUpdated ? new Date(r.lastUpdated) : null,
  };
  const row = await db.hubRepository.upsert({
    where: { orgId_accountId_name: { orgId, accountId, name: r.name } },
    create: { orgId, accountId, name: r.name, ...data },
    update: data,
    select: { id: true },
  });
  return row.id;
}

export interface TagState {
  imageId: string;
  /** true when the digest is new or changed, or the last scan did not complete */
  needsScan: boolean;
  /** scan state before this upsert (after a digest change: "pending") */
  state: string;
}

export async function upsertImageTag(
  db: PrismaClient,
  scope: OrgScope,
  repositoryId: string,
  t: { tag: string; digest: string | null; pushedAt: string | null; isLatest: boolean },
): Promise<TagState> {
  const orgId = requireOrgId(scope);
  const existing = await db.hubImage.findFirst({ where: { orgId, repositoryId, tag: t.tag } });
  const pushedAt = t.pushedAt ? new Date(t.pushedAt) : null;
  if (!existing) {
    const created = await db.hubImage.upsert({
      where: { orgId_repositoryId_tag: { orgId, repositoryId, tag: t.tag } },
      create: { orgId, repositoryId, tag: t.tag, digest: t.digest, pushedAt, isLatest: t.isLatest, scanState: t.digest ? "pending" : "gone" },
      update: {},
      select: { id: true, scanState: true },
    });
    return { imageId: created.id, needsScan: !!t.digest && created.scanState !== "scanned", state: created.scanState };
  }
  const changed = existing.digest !== t.digest;
  await db.hubImage.updateMany({
    where: { id: existing.id, orgId },
    data: {
      digest: t.digest,
      pushedAt,
      isLatest: t.isLatest,
      ...(changed ? { scanState: t.digest ? "pending" : "gone", scanError: null } : {}),
    },
  });
  return {
    imageId: existing.id,
    needsScan: !!t.digest && (changed || existing.scanState !== "scanned"),
    state: changed ? "pending" : existing.scanState,
  };
}

/** Tags no longer selected stop being "latest" (a re-pushed latest moves the flag). */
export async function clearStaleLatest(db: PrismaClient, scope: OrgScope, repositoryId: string, keepTag: string | null): Promise<void> {
  const orgId = requireOrgId(scope);
  await db.hubImage.updateMany({
    where: { orgId, repositoryId, isLatest: true, ...(keepTag ? { tag: { not: keepTag } } : {}) },
    data: { isLatest: false },
  });
}

/**
 * Images of repositories the Hub no longer lists (the owner deleted them) become "gone":
 * offboarding's rescan counts them as removed. Returns how many changed.
 */
export async function markUnlistedImagesGone(db: PrismaClient, scope: OrgScope, accountId: string, listedRepositories: string[]): Promise<number> {
  const orgId = requireOrgId(scope);
  const r = await db.hubImage.updateMany({
    where: { orgId, scanState: { not: "gone" }, repository: { orgId, accountId, name: { notIn: listedRepositories } } },
    data: { scanState: "gone", isLatest: false },
  });
  return r.count;
}

export async function updateAccountInventory(
  db: PrismaClient,
  scope: OrgScope,
  accountId: string,
  repos: HubRepositorySummary[],
  lastPushAt: Date | null,
): Promise<void> {
  const orgId = requireOrgId(scope);
  const pulls = repos.reduce((n, r) => n + Math.max(0, Math.floor(r.pullCount || 0)), 0);
  await db.hubAccount.updateMany({
    where: { id: accountId, orgId },
    data: { pullCount: BigInt(pulls), repoCount: repos.length, lastPushAt, scanState: "scanning" },
  });
}

/** Account scan state from its images: scanning while any is pending, else scanned/failed. */
export async function refreshAccountScanState(db: PrismaClient, scope: OrgScope, accountId: string): Promise<string> {
  const orgId = requireOrgId(scope);
  const groups = await db.hubImage.groupBy({
    by: ["scanState"],
    where: { orgId, repository: { accountId, orgId } },
    _count: { _all: true },
  });
  const n = (s: string) => groups.find((g) => g.scanState === s)?._count._all ?? 0;
  const state = n("pending") + n("scanning") > 0 ? "scanning" : n("failed") > 0 ? "partial" : "scanned";
  await db.hubAccount.updateMany({
    where: { id: accountId, orgId },
    data: { scanState: state, ...(state !== "scanning" ? { lastScannedAt: new Date() } : {}) },
  });
  return state;
}
