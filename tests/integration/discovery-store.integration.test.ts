// Discovery persistence on a real embedded PostgreSQL (PGlite) with the real migrations.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { scoreEvidence } from "@/lib/discovery/scoring";
import { importDomainAudit, loadDomainAudit, loadIdentity, loadPriorDismissed, upsertCandidates } from "@/lib/discovery/store";
import type { Candidate, Evidence } from "@/lib/discovery/types";

let h: DbHandle;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-disc-"));
  h = await openDb({ dataDir: dir });
  await applyMigrations(h);
  orgA = (await h.prisma.organization.create({ data: { slug: "acme", name: "Acme Rockets" } })).id;
  orgB = (await h.prisma.organization.create({ data: { slug: "globex", name: "Globex" } })).id;
});
afterAll(async () => {
  await h?.close();
});

function cand(namespace: string, evidence: Evidence[], extra: Partial<Candidate> = {}): Candidate {
  const s = scoreEvidence(evidence);
  return {
    namespace,
    status: s.status,
    confidence: s.confidence,
    evidence: s.evidence,
    profile: { type: "user", fullName: null, company: null, location: null, profileUrl: null, gravatarEmail: null, dateJoined: null, badge: null },
    foundBy: ["test"],
    repoCount: 2,
    pullCount: 1234,
    lastPushAt: "2025-05-02T08:11:09Z",
    repos: [],
    ...extra,
  };
}

const email: Evidence = { type: "content_email", weight: 0.85, value: "ops@acme-rockets.com", source: "image a/b:1 label maintainer", detail: "Email ops@acme-rockets.com in a label." };
const name: Evidence = { type: "name_exact", weight: 0.5, value: "acme-rockets", source: "namespace", detail: "Namespace is the brand." };

describe("upsertCandidates", () => {
  it("creates rows per organisation with status, confidence, evidence and inventory", async () => {
    const r = await upsertCandidates(h.prisma, { orgId: orgA }, [cand("telemetry-svc", [email]), cand("acme-rockets", [name])]);
    expect(r).toMatchObject({ created: 2, updated: 0, decisionsKept: 0 });
    const rows = await h.prisma.hubAccount.findMany({ where: { orgId: orgA }, orderBy: { namespace: "asc" } });
    expect(rows.map((x) => [x.namespace, x.status, x.confidence])).toEqual([
      ["acme-rockets", "review", 0.5],
      ["telemetry-svc", "likely", 0.85],
    ]);
    const ev = rows[1]!.evidence as unknown as Evidence[];
    expect(ev[0]).toMatchObject({ type: "content_email", value: "ops@acme-rockets.com", source: "image a/b:1 label maintainer", contribution: 0.85 });
    expect(rows[1]!.pullCount).toBe(1234n);
    expect(rows[1]!.repoCount).toBe(2);
    expect(rows[1]!.lastPushAt?.toISOString()).toBe("2025-05-02T08:11:09.000Z");
    expect(r.ids["telemetry-svc"]).toBe(rows[1]!.id);
  });

  it("never downgrades analyst decisions and refreshes machine statuses", async () => {
    await h.prisma.hubAccount.updateMany({ where: { orgId: orgA, namespace: "telemetry-svc" }, data: { status: "dismissed", dismissReason: "a contractor's own company" } });
    // rediscovery: telemetry-svc now has weaker evidence, acme-rockets stronger
    const r = await upsertCandidates(h.prisma, { orgId: orgA }, [cand("telemetry-svc", [name]), cand("acme-rockets", [name, email])]);
    expect(r).toMatchObject({ created: 0, updated: 2, decisionsKept: 1 });
    const rows = await h.prisma.hubAccount.findMany({ where: { orgId: orgA }, orderBy: { namespace: "asc" } });
    expect(rows.map((x) => [x.namespace, x.status])).toEqual([
      ["acme-rockets", "likely"],
      ["telemetry-svc", "dismissed"],
    ]);
    // evidence and confidence are still refreshed for the record
    expect(rows[1]!.confidence).toBe(0.5);
    for (const status of ["confirmed", "sanctioned", "offboarding", "offboarded"] as const) {
      await h.prisma.hubAccount.updateMany({ where: { orgId: orgA, namespace: "acme-rockets" }, data: { status } });
      await upsertCandidates(h.prisma, { orgId: orgA }, [cand("acme-rockets", [name])]);
      const row = await h.prisma.hubAccount.findFirst({ where: { orgId: orgA, namespace: "acme-rockets" } });
      expect(row!.status).toBe(status);
    }
    // dismissed accounts come back as negative evidence for the next run
    expect(await loadPriorDismissed(h.prisma, { orgId: orgA })).toEqual([{ namespace: "telemetry-svc", reason: "a contractor's own company" }]);
  });

  it("keeps organisations apart and refuses an unscoped call", async () => {
    await upsertCandidates(h.prisma, { orgId: orgB }, [cand("telemetry-svc", [email])]);
    const a = await h.prisma.hubAccount.findFirst({ where: { orgId: orgA, namespace: "telemetry-svc" } });
    const b = await h.prisma.hubAccount.findFirst({ where: { orgId: orgB, namespace: "telemetry-svc" } });
    expect(a!.status).toBe("dismissed");
    expect(b!.status).toBe("likely");
    expect(a!.id).not.toBe(b!.id);
    expect(await loadPriorDismissed(h.prisma, { orgId: orgB })).toEqual([]);
    await expect(upsertCandidates(h.prisma, { orgId: "" }, [])).rejects.toThrow(/tenant scope missing/);
  });
});

describe("importDomainAudit", () => {
  it("stores valid rows per organisation, reports bad ones, and updates on re-import", async () => {
    const csv = ['"Username","Name","Email","Date joined"', 'telemetry-svc,"Svc, Telemetry",telemetry@acmerockets.io,2022-04-22', "bad user!,x,y@acme.com,", "jsmith-ar,Jordan,not-an-email,"].join("\r\n");
    const r = await importDomainAudit(h.prisma, { orgId: orgA }, csv);
    expect(r.imported).toBe(1);
    expect(r.matchedAccounts).toEqual(["telemetry-svc"]);
    expect(r.issues.map((i) => [i.row, i.field])).toEqual([
      [3, "username"],
      [4, "email"],
    ]);
    expect(await loadDomainAudit(h.prisma, { orgId: orgA })).toEqual([
      { username: "telemetry-svc", email: "telemetry@acmerockets.io", name: null, dateJoined: "2022-04-22T00:00:00.000Z" },
    ]);
    await importDomainAudit(h.prisma, { orgId: orgA }, "Username,Email\ntelemetry-svc,ops@acmerockets.io\n");
    expect((await loadDomainAudit(h.prisma, { orgId: orgA }))[0]!.email).toBe("ops@acmerockets.io");
    expect(await loadDomainAudit(h.prisma, { orgId: orgB })).toEqual([]);
    // an unusable file stores nothing
    const bad = await importDomainAudit(h.prisma, { orgId: orgB }, "Name,Date\nx,y\n");
    expect(bad.imported).toBe(0);
    expect(bad.issues.map((i) => i.field)).toEqual(["username", "email"]);
  });
});

describe("loadIdentity", () => {
  it("builds the discovery identity from the organisation's identity items only", async () => {
    const items = [
      { kind: "domain", value: "acme-rockets.com", normalized: "acme-rockets.com", category: null },
      { kind: "email_pattern", value: "*@acme-rockets.com", normalized: "*@acme-rockets.com", category: null },
      { kind: "known_name", value: "Acme Rockets", normalized: "acme rockets", category: "brand" },
      { kind: "known_name", value: "acme-rockets", normalized: "acme-rockets", category: "github_org" },
      { kind: "sanctioned_namespace", value: "acmerockets", normalized: "acmerockets", category: null },
      { kind: "exclusion", value: "acme-anvils", normalized: "acme-anvils", category: null },
      { kind: "cloud_account_id", value: "4182-7364-5091", normalized: "418273645091", category: "aws" },
    ] as const;
    for (const it of items) await h.prisma.identityItem.create({ data: { orgId: orgA, ...it } });
    await h.prisma.identityItem.create({ data: { orgId: orgB, kind: "domain", value: "globex.com", normalized: "globex.com" } });
    const id = await loadIdentity(h.prisma, { orgId: orgA });
    expect(id).toEqual({
      domains: ["acme-rockets.com"],
      emailPatterns: ["*@acme-rockets.com"],
      knownNames: [
        { name: "Acme Rockets", category: "brand" },
        { name: "acme-rockets", category: "github_org" },
      ],
      sanctioned: ["acmerockets"],
      exclusions: ["acme-anvils"],
      cloudAccountIds: [{ provider: "aws", id: "418273645091" }],
      packageScopes: [],
    });
  });
});
