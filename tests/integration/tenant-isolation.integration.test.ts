// Authorisation over HTTP against the built app:
//  1. role matrix: owner/admin/analyst/viewer × every org-scoped API route → expected status;
//  2. cross-organisation: a member (owner!) of org A uses every route with org B's slug and with
//     B's resource ids under A's slug → 404 every time, and B's data is unchanged afterwards.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { ROOT, startApp, testBackends, type AppServer } from "../support/app-server";
import { HttpSession } from "../support/http-session";
import { createOrgWithRoles, signedInUser, type OrgFixture } from "../support/org-fixtures";

type Method = "GET" | "POST" | "PATCH" | "DELETE";
interface Call {
  name: string;
  method: Method;
  path: string;
  body?: unknown;
  /** roles allowed to perform it, and the success status */
  allowed: Role[];
  ok: number;
}

const ALL: Role[] = ["owner", "admin", "analyst", "viewer"];

/** Every org-scoped route handler in the app (including other modules' and future ones), with its
 * exported methods, found by reading app/api/v1/orgs/[orgSlug]/**\/route.ts. */
function discoverOrgRoutes(): { template: string; methods: Method[] }[] {
  const base = path.join(ROOT, "app", "api", "v1", "orgs", "[orgSlug]");
  const out: { template: string; methods: Method[] }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const src = fs.readFileSync(p, "utf8");
        const methods = (["GET", "POST", "PATCH", "PUT", "DELETE"] as const).filter((m) =>
          new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b|as\\s+${m}\\b`).test(src),
        );
        const rel = path.relative(path.join(ROOT, "app"), path.dirname(p)).split(path.sep).join("/");
        out.push({ template: `/${rel}`, methods: methods as Method[] });
      }
    }
  };
  walk(base);
  return out;
}
const ADMINS: Role[] = ["owner", "admin"];

describe.each(testBackends())("tenant isolation and role matrix (%s)", (backend) => {
  let app: AppServer;
  let A: OrgFixture;
  let B: OrgFixture;

  beforeAll(async () => {
    app = await startApp({ backend });
    A = await createOrgWithRoles(app.baseUrl, "Alpha");
    B = await createOrgWithRoles(app.baseUrl, "Bravo");
  });
  afterAll(async () => {
    await app?.stop();
  });

  async function seedTargets(org: OrgFixture, tag: string) {
    const owner = org.sessions.owner;
    const item = await owner.post<{ items: { id: string }[] }>(`/api/v1/orgs/${org.slug}/identity/known_name`, { value: `target-${tag}`, category: "brand" });
    const invite = await owner.post<{ invite: { id: string } }>(`/api/v1/orgs/${org.slug}/invites`, { role: "viewer" });
    const extra = await signedInUser(app.baseUrl, `extra-${tag}`);
    const inv2 = await owner.post<{ token: string }>(`/api/v1/orgs/${org.slug}/invites`, { role: "viewer" });
    await extra.s.post("/api/v1/invites/accept", { token: inv2.body.token });
    const members = await owner.get<{ members: { id: string; email: string }[] }>(`/api/v1/orgs/${org.slug}/members`);
    const memberId = members.body.members.find((m) => m.email === extra.email)!.id;
    expect(item.status).toBe(201);
    expect(invite.status).toBe(201);
    return { itemId: item.body.items[0]!.id, inviteId: invite.body.invite.id, memberId };
  }

  function routes(slug: string, t: { itemId: string; inviteId: string; memberId: string }, tag: string): Call[] {
    const o = `/api/v1/orgs/${slug}`;
    return [
      { name: "list identity", method: "GET", path: `${o}/identity`, allowed: ALL, ok: 200 },
      { name: "list identity kind", method: "GET", path: `${o}/identity/domain`, allowed: ALL, ok: 200 },
      { name: "add identity", method: "POST", path: `${o}/identity/domain`, body: { value: `${tag}.example.com` }, allowed: ADMINS, ok: 201 },
      { name: "update identity notes", method: "PATCH", path: `${o}/identity/items/${t.itemId}`, body: { notes: `by ${tag}` }, allowed: ADMINS, ok: 200 },
      { name: "list members", method: "GET", path: `${o}/members`, allowed: ADMINS, ok: 200 },
      { name: "change member role", method: "PATCH", path: `${o}/members/${t.memberId}`, body: { role: "analyst" }, allowed: ADMINS, ok: 200 },
      { name: "list invites", method: "GET", path: `${o}/invites`, allowed: ADMINS, ok: 200 },
      { name: "create invite", method: "POST", path: `${o}/invites`, body: { role: "viewer" }, allowed: ADMINS, ok: 201 },
      { name: "read audit", method: "GET", path: `${o}/audit`, allowed: ADMINS, ok: 200 },
      // destructive ones last
      { name: "revoke invite", method: "DELETE", path: `${o}/invites/${t.inviteId}`, allowed: ADMINS, ok: 204 },
      { name: "delete identity", method: "DELETE", path: `${o}/identity/items/${t.itemId}`, allowed: ADMINS, ok: 204 },
      { name: "remove member", method: "DELETE", path: `${o}/members/${t.memberId}`, allowed: ADMINS, ok: 204 },
    ];
  }

  const send = (s: HttpSession, c: { method: Method; path: string; body?: unknown }) => s.json(c.method, c.path, c.method === "GET" || c.method === "DELETE" ? undefined : (c.body ?? {}));

  it.each(ALL)("role matrix: %s gets exactly the allowed routes", async (role) => {
    const t = await seedTargets(A, `${role}-${backend}`);
    const results: string[] = [];
    for (const c of routes(A.slug, t, `${role}-${backend}`)) {
      const r = await send(A.sessions[role], c);
      const expected = c.allowed.includes(role) ? c.ok : 403;
      results.push(`${c.name}: ${r.status}${r.status === expected ? "" : ` (expected ${expected}: ${JSON.stringify(r.body)})`}`);
      if (expected === 403) expect((r.body as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    }
    expect(results.filter((l) => l.includes("expected"))).toEqual([]);
  });

  it("unauthenticated callers get 401 on every route", async () => {
    const anon = new HttpSession(app.baseUrl);
    const t = { itemId: "x", inviteId: "x", memberId: "x" };
    for (const c of routes(A.slug, t, "anon")) expect((await send(anon, c)).status, c.name).toBe(401);
    expect((await anon.get("/api/v1/orgs")).status).toBe(401);
  });

  it("pages: members without permission see 'Not allowed'; outsiders get 404", async () => {
    const asAnalyst = await A.sessions.analyst.fetch(`/orgs/${A.slug}/settings`);
    expect(asAnalyst.status).toBe(200);
    expect(await asAnalyst.text()).toContain("Not allowed");
    const asAdmin = await A.sessions.admin.fetch(`/orgs/${A.slug}/settings`);
    expect(await asAdmin.text()).toContain("Email patterns");
    for (const p of ["", "/settings", "/settings/members", "/settings/audit", "/accounts", "/findings", "/jobs"]) {
      const r = await A.sessions.owner.fetch(`/orgs/${B.slug}${p}`);
      expect(r.status, p).toBe(404);
      expect(await r.text()).not.toContain("Bravo");
    }
  });

  async function snapshotB() {
    const o = B.sessions.owner;
    const [identity, members, invites, audit] = await Promise.all([
      o.get(`/api/v1/orgs/${B.slug}/identity`),
      o.get(`/api/v1/orgs/${B.slug}/members`),
      o.get(`/api/v1/orgs/${B.slug}/invites`),
      o.get(`/api/v1/orgs/${B.slug}/audit?limit=500`),
    ]);
    let rows: unknown = null;
    if (backend === "postgres") {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: app.databaseUrl });
      await c.connect();
      const q = async (sql: string) => (await c.query(sql, [B.orgId])).rows;
      rows = {
        identity: await q(`SELECT * FROM "IdentityItem" WHERE "orgId"=$1 ORDER BY id`),
        members: await q(`SELECT * FROM "Membership" WHERE "orgId"=$1 ORDER BY id`),
        invites: await q(`SELECT * FROM "Invite" WHERE "orgId"=$1 ORDER BY id`),
        audit: await q(`SELECT * FROM "AuditLog" WHERE "orgId"=$1 ORDER BY id`),
        org: await q(`SELECT * FROM "Organization" WHERE id=$1`),
      };
      await c.end();
    }
    return JSON.stringify({ identity: identity.body, members: members.body, invites: invites.body, audit: audit.body, rows });
  }

  it("cross-org: A's owner is refused (404) on every route with B's slug or B's ids, and B is unchanged", async () => {
    const tB = await seedTargets(B, `b-${backend}`);
    const tA = await seedTargets(A, `a-${backend}`);
    const before = await snapshotB();
    const attacker = A.sessions.owner;
    const failures: string[] = [];
    // (a) B's slug, B's ids
    for (const c of routes(B.slug, tB, `x-${backend}`)) {
      const r = await send(attacker, c);
      if (r.status !== 404) failures.push(`B slug ${c.name}: ${r.status}`);
    }
    // (b) A's slug (where the attacker is owner), B's resource ids
    for (const c of routes(A.slug, tB, `y-${backend}`).filter((c) => c.path.includes(tB.itemId) || c.path.includes(tB.inviteId) || c.path.includes(tB.memberId))) {
      const r = await send(attacker, c);
      if (r.status !== 404) failures.push(`A slug + B id ${c.name}: ${r.status}`);
    }
    // (c) accepting an already-used B invite token is not a way in either
    const bInvite = await B.sessions.owner.post<{ token: string }>(`/api/v1/orgs/${B.slug}/invites`, { role: "owner" });
    const extra = await signedInUser(app.baseUrl, "b-joiner");
    expect((await extra.s.post("/api/v1/invites/accept", { token: bInvite.body.token })).status).toBe(200);
    expect((await attacker.post("/api/v1/invites/accept", { token: bInvite.body.token })).status).toBe(409);
    expect(failures).toEqual([]);

    const middle = await snapshotB();
    // The only change to B is the legitimate join above; compare without it.
    expect(JSON.parse(middle).members.members.length).toBe(JSON.parse(before).members.members.length + 1);
    // Re-run the attack after the join and check B is byte-for-byte unchanged.
    for (const c of routes(B.slug, tB, `z-${backend}`)) expect((await send(attacker, c)).status).toBe(404);
    expect(await snapshotB()).toBe(middle);
    // A's own targets still exist for A: the attack did not touch A either.
    const aItems = await attacker.get<{ items: { id: string }[] }>(`/api/v1/orgs/${A.slug}/identity`);
    expect(aItems.body.items.map((i) => i.id)).toContain(tA.itemId);
  });

  it("cross-org: every org-scoped route in the app (all modules) answers 404 for a non-member and changes nothing", async () => {
    const found = discoverOrgRoutes();
    expect(found.length).toBeGreaterThanOrEqual(7); // at least this module's routes
    const before = await snapshotB();
    const failures: string[] = [];
    let calls = 0;
    for (const r of found) {
      const p = r.template.replace("[orgSlug]", B.slug).replace(/\[[^\]]+\]/g, "cl0000000000000000000000x");
      for (const m of r.methods) {
        calls++;
        const res = await A.sessions.owner.json(m, p, m === "GET" || m === "DELETE" ? undefined : {});
        if (res.status !== 404) failures.push(`${m} ${r.template}: ${res.status}`);
      }
    }
    expect(calls).toBeGreaterThanOrEqual(12);
    expect(failures).toEqual([]);
    expect(await snapshotB()).toBe(before);
  });

  it("an organisation always keeps an owner; admins cannot touch owners", async () => {
    const owner = A.sessions.owner;
    const self = A.memberIds.owner;
    const demote = await owner.patch<{ error: { code: string } }>(`/api/v1/orgs/${A.slug}/members/${self}`, { role: "admin" });
    expect(demote.status).toBe(409);
    expect((await owner.del(`/api/v1/orgs/${A.slug}/members/${self}`)).status).toBe(409);
    expect((await A.sessions.admin.patch(`/api/v1/orgs/${A.slug}/members/${self}`, { role: "viewer" })).status).toBe(403);
    expect((await A.sessions.admin.del(`/api/v1/orgs/${A.slug}/members/${self}`)).status).toBe(403);
    expect((await A.sessions.admin.patch(`/api/v1/orgs/${A.slug}/members/${A.memberIds.viewer}`, { role: "owner" })).status).toBe(403);
    expect((await A.sessions.admin.post(`/api/v1/orgs/${A.slug}/invites`, { role: "owner" })).status).toBe(403);
    // With a second owner, the first may step down.
    expect((await owner.patch(`/api/v1/orgs/${A.slug}/members/${A.memberIds.admin}`, { role: "owner" })).status).toBe(200);
    expect((await owner.patch(`/api/v1/orgs/${A.slug}/members/${self}`, { role: "admin" })).status).toBe(200);
    const members = await A.sessions.admin.get<{ members: { role: string }[] }>(`/api/v1/orgs/${A.slug}/members`);
    expect(members.body.members.filter((m) => m.role === "owner")).toHaveLength(1);
    const bad = await A.sessions.admin.patch<{ error: { issues: { path: string }[] } }>(`/api/v1/orgs/${A.slug}/members/${self}`, { role: "superuser" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0]?.path).toBe("role");
  });

  it("members can leave; the last owner cannot", async () => {
    const u = await signedInUser(app.baseUrl, "leaver");
    const inv = await A.sessions.owner.post<{ token: string }>(`/api/v1/orgs/${A.slug}/invites`, { role: "viewer" });
    expect((await u.s.post("/api/v1/invites/accept", { token: inv.body.token })).status).toBe(200);
    expect((await u.s.get(`/api/v1/orgs/${A.slug}/identity`)).status).toBe(200);
    expect((await u.s.del(`/api/v1/orgs/${A.slug}/membership`)).status).toBe(204);
    expect((await u.s.get(`/api/v1/orgs/${A.slug}/identity`)).status).toBe(404);
    const solo = await signedInUser(app.baseUrl, "solo");
    const org = await solo.s.post<{ org: { slug: string } }>("/api/v1/orgs", { name: "Solo Org" });
    const r = await solo.s.del<{ error: { code: string } }>(`/api/v1/orgs/${org.body.org.slug}/membership`);
    expect(r.status).toBe(409);
    expect((await solo.s.get(`/api/v1/orgs/${org.body.org.slug}/members`)).status).toBe(200);
  });

  it("invites are single use, revocable, and email-bound when an email is given", async () => {
    const owner = B.sessions.owner;
    const inv = await owner.post<{ token: string; invite: { id: string } }>(`/api/v1/orgs/${B.slug}/invites`, { role: "analyst" });
    const u1 = await signedInUser(app.baseUrl, "single1");
    const u2 = await signedInUser(app.baseUrl, "single2");
    expect((await u1.s.post("/api/v1/invites/accept", { token: inv.body.token })).status).toBe(200);
    expect((await u2.s.post("/api/v1/invites/accept", { token: inv.body.token })).status).toBe(409);
    const revoked = await owner.post<{ token: string; invite: { id: string } }>(`/api/v1/orgs/${B.slug}/invites`, { role: "viewer" });
    expect((await owner.del(`/api/v1/orgs/${B.slug}/invites/${revoked.body.invite.id}`)).status).toBe(204);
    expect((await u2.s.post("/api/v1/invites/accept", { token: revoked.body.token })).status).toBe(409);
    const bound = await owner.post<{ token: string }>(`/api/v1/orgs/${B.slug}/invites`, { role: "viewer", email: "someone-else@example.test" });
    expect((await u2.s.post("/api/v1/invites/accept", { token: bound.body.token })).status).toBe(403);
    expect((await u2.s.post("/api/v1/invites/accept", { token: "x".repeat(43) })).status).toBe(404);
    const list = await owner.get<{ invites: { state: string }[] }>(`/api/v1/orgs/${B.slug}/invites`);
    expect(JSON.stringify(list.body)).not.toContain(inv.body.token);
    expect(list.body.invites.map((i) => i.state)).toEqual(expect.arrayContaining(["used", "revoked", "pending"]));
  });
});
