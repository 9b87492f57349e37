// Seeded two-organisation world for the dashboard integration tests (PGlite, real migrations).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { openDb, type DbHandle } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import type { OrgContext, Role } from "@/lib/auth/permissions";

export interface World {
  h: DbHandle;
  orgA: { id: string; slug: string };
  orgB: { id: string; slug: string };
  users: Record<"owner" | "admin" | "analyst" | "viewer" | "outsider" | "adminB", { id: string; email: string }>;
  ctx(role: "owner" | "admin" | "analyst" | "viewer"): OrgContext;
  ctxB(): OrgContext;
  accountsA: Record<string, string>; // namespace -> id
  accountsB: Record<string, string>;
  findingsA: Record<string, string>; // key -> id
  findingsB: Record<string, string>;
  close(): Promise<void>;
}

const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const DAY = 86_400_000;

export async function openWorld(now = new Date()): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-dash-"));
  const pgUrl = process.env.STOWAWAY_TEST_PG_URL;
  const h = await openDb({ databaseUrl: pgUrl ? await freshDatabase(pgUrl) : undefined, dataDir: dir });
  await applyMigrations(h);
  const db = h.prisma;

  const mkUser = (email: string) => db.user.create({ data: { email, name: email.split("@")[0] } });
  const users = {
    owner: await mkUser("owner@acme.test"),
    admin: await mkUser("admin@acme.test"),
    analyst: await mkUser("analyst@acme.test"),
    viewer: await mkUser("viewer@acme.test"),
    outsider: await mkUser("outsider@other.test"),
    adminB: await mkUser("admin@globex.test"),
  };
  const orgA = await db.organization.create({ data: { slug: "acme", name: "Acme Rockets" } });
  const orgB = await db.organization.create({ data: { slug: "globex", name: "Globex" } });
  const roles: Array<[keyof typeof users, string, Role]> = [
    ["owner", orgA.id, "owner"],
    ["admin", orgA.id, "admin"],
    ["analyst", orgA.id, "analyst"],
    ["viewer", orgA.id, "viewer"],
    ["adminB", orgB.id, "admin"],
    ["outsider", orgB.id, "analyst"],
  ];
  for (const [u, orgId, role] of roles) await db.membership.create({ data: { orgId, userId: users[u].id, role } });

  async function seedOrg(orgId: string, prefix: string) {
    const accounts: Record<string, string> = {};
    const findings: Record<string, string> = {};
    const defs = [
      { ns: `${prefix}-devops`, status: "likely", risk: 92, confidence: 0.9, pulls: 12000, pushDaysAgo: 2, discoveredDaysAgo: 3 },
      { ns: `${prefix}-ml`, status: "review", risk: 60, confidence: 0.6, pulls: 300, pushDaysAgo: 40, discoveredDaysAgo: 20 },
      { ns: `${prefix}-intern`, status: "confirmed", risk: 30, confidence: 0.7, pulls: 5, pushDaysAgo: 400, discoveredDaysAgo: 60 },
      { ns: `${prefix}-old`, status: "candidate", risk: 5, confidence: 0.2, pulls: 0, pushDaysAgo: null, discoveredDaysAgo: 90 },
      { ns: `${prefix}-corp`, status: "sanctioned", risk: 10, confidence: 1, pulls: 100000, pushDaysAgo: 1, discoveredDaysAgo: 100 },
    ] as const;
    for (const d of defs) {
      const a = await db.hubAccount.create({
        data: {
          orgId,
          namespace: d.ns,
          accountType: "user",
          status: d.status,
          risk: d.risk,
          confidence: d.confidence,
          pullCount: BigInt(d.pulls),
          repoCount: 1,
          lastPushAt: d.pushDaysAgo === null ? null : new Date(now.getTime() - d.pushDaysAgo * DAY),
          discoveredAt: new Date(now.getTime() - d.discoveredDaysAgo * DAY),
          lastScannedAt: new Date(now.getTime() - DAY),
          scanState: "scanned",
          evidence: [
            { type: "label_email", weight: 0.6, value: `dev@${prefix}.test`, source: `${d.ns}/api:latest`, detail: "maintainer label" },
            { type: "name_match", weight: 0.2, value: prefix, source: "search", detail: "namespace contains a known name" },
          ],
          riskParts: { attribution: d.confidence, worstSeverity: "critical", exposure: 0.5 },
        },
      });
      accounts[d.ns] = a.id;
      const repo = await db.hubRepository.create({
        data: { orgId, accountId: a.id, name: "api", pullCount: BigInt(d.pulls), lastUpdated: now },
      });
      await db.hubImage.createMany({
        data: [
          { orgId, repositoryId: repo.id, tag: "latest", digest: `sha256:${sha(d.ns + "latest")}`, scanState: "scanned", isLatest: true, lastScannedAt: now },
          { orgId, repositoryId: repo.id, tag: "v1", digest: `sha256:${sha(d.ns + "v1")}`, scanState: "scanned", lastScannedAt: now },
        ],
      });
    }
    const fdefs = [
      { key: "aws", ns: `${prefix}-devops`, detector: "aws-access-key", provider: "aws", severity: "critical", status: "open", liveness: "live", deleted: false, firstDaysAgo: 2 },
      { key: "gh", ns: `${prefix}-devops`, detector: "github-pat", provider: "github", severity: "critical", status: "open", liveness: "unknown", deleted: true, firstDaysAgo: 10 },
      { key: "openai", ns: `${prefix}-ml`, detector: "openai-key", provider: "openai", severity: "high", status: "open", liveness: "unknown", deleted: false, firstDaysAgo: 15 },
      { key: "generic", ns: `${prefix}-ml`, detector: "generic-secret", provider: "generic", severity: "medium", status: "open", liveness: "unknown", deleted: false, firstDaysAgo: 15 },
      { key: "stripe", ns: `${prefix}-intern`, detector: "stripe-key", provider: "stripe", severity: "critical", status: "revoked", liveness: "revoked", deleted: false, firstDaysAgo: 20, resolvedDaysAgo: 18 },
      { key: "test", ns: `${prefix}-intern`, detector: "generic-secret", provider: "generic", severity: "low", status: "false_positive", liveness: "unknown", deleted: false, firstDaysAgo: 20 },
    ] as const;
    for (const f of fdefs) {
      const accountId = accounts[f.ns]!;
      const secret = `${prefix}-${f.key}-value`;
      const row = await db.finding.create({
        data: {
          orgId,
          accountId,
          detector: f.detector,
          provider: f.provider,
          severity: f.severity,
          fingerprint: sha(secret),
          masked: `${secret.slice(0, 4)}…${secret.slice(-2)}`,
          status: f.status,
          liveness: f.liveness,
          deletedOnly: f.deleted,
          inLatest: !f.deleted,
          locationCount: 2,
          firstSeenAt: new Date(now.getTime() - f.firstDaysAgo * DAY),
          lastSeenAt: new Date(now.getTime() - DAY),
          resolvedAt: "resolvedDaysAgo" in f ? new Date(now.getTime() - f.resolvedDaysAgo * DAY) : null,
        },
      });
      findings[f.key] = row.id;
      await db.findingLocation.createMany({
        data: [
          { orgId, findingId: row.id, accountId, repository: `${f.ns}/api`, tag: "latest", imageDigest: `sha256:${sha(f.ns + "latest")}`, platform: "linux/amd64", layerDigest: `sha256:${sha(f.key + "l1")}`, source: "layer", path: "app/.env", line: 3, deleted: f.deleted, locationKey: sha(row.id + "1"), lastSeenAt: new Date(now.getTime() - DAY) },
          { orgId, findingId: row.id, accountId, repository: `${f.ns}/api`, tag: "v1", imageDigest: `sha256:${sha(f.ns + "v1")}`, platform: "linux/arm64", layerDigest: null, source: "config.env", path: null, line: null, deleted: false, locationKey: sha(row.id + "2"), lastSeenAt: new Date(now.getTime() - DAY) },
        ],
      });
    }
    for (let i = 0; i < 10; i++) {
      await db.postureSnapshot.create({
        data: {
          orgId,
          day: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - i * DAY),
          score: 50 + i,
          openCritical: 2,
          openFindings: 4,
          liveSecrets: 1,
          shadowAccounts: 3,
          mttrHours: 48,
          parts: { note: prefix },
        },
      });
    }
    return { accounts, findings };
  }

  const a = await seedOrg(orgA.id, "acme");
  const b = await seedOrg(orgB.id, "globex");
  const mkCtx = (orgId: string, slug: string, u: { id: string; email: string }, role: Role): OrgContext => ({
    orgId,
    orgSlug: slug,
    userId: u.id,
    userEmail: u.email,
    role,
  });
  return {
    h,
    orgA,
    orgB,
    users,
    ctx: (role) => mkCtx(orgA.id, orgA.slug, users[role], role),
    ctxB: () => mkCtx(orgB.id, orgB.slug, users.adminB, "admin"),
    accountsA: a.accounts,
    accountsB: b.accounts,
    findingsA: a.findings,
    findingsB: b.findings,
    close: () => h.close(),
  };
}

async function freshDatabase(url: string): Promise<string> {
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const name = `stowaway_dash_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
