// Guards, lockout and org rules against a real embedded database (PGlite), no HTTP.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { changeMemberRole, createOrganization, removeMember } from "@/lib/org";
import { LOCKOUT_MS, signUp, verifyCredentials } from "./credentials";
import { resolveOrgContext } from "./guards";
import { FailureLimiter } from "./rate-limit";

let h: DbHandle;
let dir: string;
const PW = "violet-harbour-tractor-42";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-guards-"));
  h = await openDb({ dataDir: dir });
  await applyMigrations(h);
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("resolveOrgContext", () => {
  it("resolves through membership: outsiders 404, missing permission 403, members get their context", async () => {
    const db = h.prisma;
    const owner = await signUp(db, { email: "g-owner@example.test", password: PW });
    const viewer = await signUp(db, { email: "g-viewer@example.test", password: PW });
    const outsider = await signUp(db, { email: "g-out@example.test", password: PW });
    const org = await createOrganization(db, owner, { name: "Guard Org" });
    await db.membership.create({ data: { orgId: org.id, userId: viewer.id, role: "viewer" } });

    const ctx = await resolveOrgContext(db, owner, org.slug, "members.manage");
    expect(ctx).toEqual({ orgId: org.id, orgSlug: org.slug, userId: owner.id, userEmail: owner.email, role: "owner" });
    await expect(resolveOrgContext(db, viewer, org.slug, "identity.write")).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await resolveOrgContext(db, viewer, org.slug, "findings.read")).role).toBe("viewer");
    await expect(resolveOrgContext(db, outsider, org.slug, "org.read")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(resolveOrgContext(db, owner, "no-such-org", "org.read")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(resolveOrgContext(db, owner, "../../etc", "org.read")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("last owner rule", () => {
  it("refuses to demote or remove the last owner and rolls the change back", async () => {
    const db = h.prisma;
    const owner = await signUp(db, { email: "lo-owner@example.test", password: PW });
    const org = await createOrganization(db, owner, { name: "Last Owner Org" });
    const ctx = await resolveOrgContext(db, owner, org.slug, "members.manage");
    const m = await db.membership.findFirstOrThrow({ where: { orgId: org.id, userId: owner.id } });
    await expect(changeMemberRole(db, ctx, m.id, { role: "admin" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(removeMember(db, ctx, m.id)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await db.membership.findFirstOrThrow({ where: { id: m.id } })).role).toBe("owner");
    expect(await db.auditLog.count({ where: { orgId: org.id, action: { in: ["member.role_change", "member.remove"] } } })).toBe(0);
  });
});

describe("verifyCredentials lockout", () => {
  it("locks after 5 failures and unlocks after the lock period", async () => {
    const db = h.prisma;
    await signUp(db, { email: "lock@example.test", password: PW });
    const limiter = new FailureLimiter(1000, 60_000);
    const t0 = new Date("2030-01-01T00:00:00Z");
    for (let i = 0; i < 5; i++) expect(await verifyCredentials(db, "lock@example.test", "wrong-password-x", { now: t0, limiter })).toBeNull();
    expect(await verifyCredentials(db, "lock@example.test", PW, { now: t0, limiter })).toBeNull();
    const row = await db.user.findUniqueOrThrow({ where: { email: "lock@example.test" } });
    expect(row.lockedUntil?.getTime()).toBe(t0.getTime() + LOCKOUT_MS);
    const later = new Date(t0.getTime() + LOCKOUT_MS + 1000);
    expect(await verifyCredentials(db, "LOCK@example.test", PW, { now: later, limiter })).toMatchObject({ email: "lock@example.test" });
    expect((await db.user.findUniqueOrThrow({ where: { email: "lock@example.test" } })).failedLogins).toBe(0);
  });

  it("the per-address limiter stops guessing across accounts", async () => {
    const db = h.prisma;
    await signUp(db, { email: "ip@example.test", password: PW });
    const limiter = new FailureLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) await verifyCredentials(db, `nobody${i}@example.test`, "x-password-guess", { clientKey: "1.2.3.4", limiter });
    expect(await verifyCredentials(db, "ip@example.test", PW, { clientKey: "1.2.3.4", limiter })).toBeNull();
    expect(await verifyCredentials(db, "ip@example.test", PW, { clientKey: "5.6.7.8", limiter })).not.toBeNull();
  });
});

describe("resolveOidcUser", () => {
  it("creates, re-finds by subject, and links to a password account only for verified emails", async () => {
    const { resolveOidcUser } = await import("./oidc");
    const db = h.prisma;
    const created = await resolveOidcUser(db, { subject: "sub-new", email: "New@SSO.example.test", emailVerified: false, name: "New" });
    expect(created?.email).toBe("new@sso.example.test");
    const again = await resolveOidcUser(db, { subject: "sub-new", email: "changed@sso.example.test" });
    expect(again?.id).toBe(created?.id);

    const pw = await signUp(db, { email: "has-password@example.test", password: PW });
    expect(await resolveOidcUser(db, { subject: "sub-attacker", email: "has-password@example.test", emailVerified: false })).toBeNull();
    expect(await db.authAccount.count({ where: { userId: pw.id } })).toBe(0);
    const linked = await resolveOidcUser(db, { subject: "sub-real", email: "has-password@example.test", emailVerified: true });
    expect(linked?.id).toBe(pw.id);
    expect(await resolveOidcUser(db, { subject: "sub-no-email" })).toBeNull();
  });
});
