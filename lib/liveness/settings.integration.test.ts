// The liveness setting and "verify now" requests are org-scoped, role-checked, validated, audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb } from "@/tests/helpers/jobs-db";
import { getLivenessSettings, prepareFindingVerification, revocationChecks, updateLivenessSettings } from "./settings";

describe("liveness settings and verify requests (PGlite)", () => {
  let h: Awaited<ReturnType<typeof freshDb>>;
  const ids = { a: "", b: "", findingA: "", genericA: "", user: "" };
  beforeAll(async () => {
    h = await freshDb();
    const db = h.prisma;
    const [a, b] = await Promise.all([db.organization.create({ data: { slug: "a", name: "A" } }), db.organization.create({ data: { slug: "b", name: "B" } })]);
    const u = await db.user.create({ data: { email: "u@a.test" } });
    const acc = await db.hubAccount.create({ data: { orgId: a.id, namespace: "x" } });
    const base = { orgId: a.id, accountId: acc.id, provider: "github", severity: "critical" as const, masked: "ghp_…" };
    const f = await db.finding.create({ data: { ...base, detector: "github-pat", fingerprint: "1".repeat(64) } });
    const g = await db.finding.create({ data: { ...base, detector: "generic-secret", provider: "generic", fingerprint: "2".repeat(64) } });
    Object.assign(ids, { a: a.id, b: b.id, findingA: f.id, genericA: g.id, user: u.id });
  });
  afterAll(() => h?.close());
  const ctx = (org: "a" | "b", role: "owner" | "admin" | "analyst" | "viewer") => ({ orgId: ids[org], orgSlug: org, userId: ids.user, userEmail: "u@a.test", role });

  it("defaults to on; only admins/owners change it; each org keeps its own value", async () => {
    const db = h.prisma;
    expect(await getLivenessSettings(db, { orgId: ids.a })).toEqual({ enabled: true });
    await expect(updateLivenessSettings(db, ctx("a", "analyst"), { enabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateLivenessSettings(db, ctx("a", "admin"), { enabled: false, extra: 1 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await updateLivenessSettings(db, ctx("b", "owner"), { enabled: false })).toEqual({ enabled: false });
    expect(await getLivenessSettings(db, { orgId: ids.b })).toEqual({ enabled: false });
    expect(await getLivenessSettings(db, { orgId: ids.a })).toEqual({ enabled: true });
    const audit = await db.auditLog.findMany({ where: { action: "settings.liveness" } });
    expect(audit.map((r) => r.orgId)).toEqual([ids.b]);
  });

  it("verify now: analysts and up, own findings with a verifier only, not when turned off", async () => {
    const db = h.prisma;
    expect(await prepareFindingVerification(db, ctx("a", "analyst"), ids.findingA)).toEqual({ orgId: ids.a, findingId: ids.findingA, reason: "manual", requestedBy: ids.user });
    await expect(prepareFindingVerification(db, ctx("a", "viewer"), ids.findingA)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(prepareFindingVerification(db, ctx("b", "owner"), ids.findingA)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(prepareFindingVerification(db, ctx("a", "owner"), "../../x")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(prepareFindingVerification(db, ctx("a", "owner"), ids.genericA)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await updateLivenessSettings(db, ctx("a", "owner"), { enabled: false });
    await expect(prepareFindingVerification(db, ctx("a", "owner"), ids.findingA)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.auditLog.count({ where: { orgId: ids.a, action: "finding.verify_requested" } })).toBe(1);
  });
});

describe("revocationChecks", () => {
  it("one check per own revoked finding with a verifier, none when verification is off", async () => {
    const h = await freshDb();
    try {
      const db = h.prisma;
      const [a, b] = await Promise.all([db.organization.create({ data: { slug: "ra", name: "A" } }), db.organization.create({ data: { slug: "rb", name: "B" } })]);
      const acc = await db.hubAccount.create({ data: { orgId: a.id, namespace: "x" } });
      const base = { orgId: a.id, accountId: acc.id, provider: "github", severity: "critical" as const, masked: "m", status: "revoked" as const };
      const gh = await db.finding.create({ data: { ...base, detector: "github-pat", fingerprint: "3".repeat(64) } });
      const gen = await db.finding.create({ data: { ...base, detector: "generic-secret", fingerprint: "4".repeat(64) } });
      const open = await db.finding.create({ data: { ...base, status: "open", detector: "npm-token", fingerprint: "5".repeat(64) } });
      expect(await revocationChecks(db, { orgId: a.id }, [gh.id, gen.id, open.id])).toEqual([{ orgId: a.id, findingId: gh.id, reason: "manual" }]);
      expect(await revocationChecks(db, { orgId: b.id }, [gh.id])).toEqual([]);
      await db.organization.update({ where: { id: a.id }, data: { settings: { liveness: { enabled: false } } } });
      expect(await revocationChecks(db, { orgId: a.id }, [gh.id])).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
