// Email + password over HTTP against the built app: sign-up rules, next-auth's credentials
// callback (csrf + cookies), generic failures, per-account lockout, sign-out, page protection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, testBackends, type AppServer } from "../support/app-server";
import { HttpSession, TEST_PASSWORD, uniqueEmail } from "../support/http-session";

describe.each(testBackends())("email + password sign-in (%s)", (backend) => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startApp({ backend });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("health reports the database and the job runner", async () => {
    const r = await fetch(`${app.baseUrl}/api/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { database: { status: string; kind: string; migrationsApplied: number }; jobs: { mode: string; state: string } };
    expect(body.database).toMatchObject({ status: "ok", kind: backend });
    expect(body.database.migrationsApplied).toBeGreaterThanOrEqual(1);
    expect(body.jobs.mode).toBe("embedded");
    expect(typeof body.jobs.state).toBe("string");
  });

  it("sign-up enforces the password rules with field-level errors", async () => {
    const s = new HttpSession(app.baseUrl);
    const email = uniqueEmail("rules");
    const short = await s.post<{ error: { code: string; issues: { path: string; message: string }[] } }>("/api/v1/auth/signup", { email, password: "short" });
    expect(short.status).toBe(422);
    expect(short.body.error.issues[0]).toMatchObject({ path: "password" });
    const common = await s.post<{ error: { issues: { message: string }[] } }>("/api/v1/auth/signup", { email, password: "password1234" });
    expect(common.status).toBe(422);
    expect(common.body.error.issues.map((i) => i.message).join()).toMatch(/common/);
    const asEmail = await s.post("/api/v1/auth/signup", { email, password: email });
    expect(asEmail.status).toBe(422);
    const badEmail = await s.post<{ error: { issues: { path: string }[] } }>("/api/v1/auth/signup", { email: "not-an-email", password: TEST_PASSWORD });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.error.issues[0]?.path).toBe("email");
    const junk = await s.fetch("/api/v1/auth/signup", { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
    expect(junk.status).toBe(422);
    const form = await s.fetch("/api/v1/auth/signup", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=a" });
    expect(form.status).toBe(422);
  });

  it("signs up, signs in, reaches protected routes, signs out", async () => {
    const s = new HttpSession(app.baseUrl);
    const email = uniqueEmail("alice");
    expect((await s.post("/api/v1/auth/signup", { email: email.toUpperCase(), password: TEST_PASSWORD })).status).toBe(201);
    const dup = await s.post("/api/v1/auth/signup", { email, password: TEST_PASSWORD });
    expect(dup.status).toBe(409);

    // Not signed in: API → 401, pages → redirect to sign-in.
    expect((await s.get("/api/v1/orgs")).status).toBe(401);
    const page = await s.fetch("/orgs/new");
    expect([303, 307, 308]).toContain(page.status);
    expect(page.headers.get("location")).toContain("/signin");

    expect(await s.signIn(email, TEST_PASSWORD)).toBe(true);
    expect((await s.get("/api/v1/orgs")).body).toEqual({ orgs: [] });
    expect((await s.fetch("/orgs/new")).status).toBe(200);

    const csrfToken = await s.csrfToken();
    await s.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
    });
    expect((await s.get("/api/v1/orgs")).status).toBe(401);
  });

  it("gives the same generic failure for a wrong password and an unknown email", async () => {
    const s = new HttpSession(app.baseUrl);
    const email = uniqueEmail("bob");
    await s.post("/api/v1/auth/signup", { email, password: TEST_PASSWORD });
    const wrong = new HttpSession(app.baseUrl);
    const unknown = new HttpSession(app.baseUrl);
    expect(await wrong.signIn(email, "wrong-password-123")).toBe(false);
    expect(await unknown.signIn(uniqueEmail("nobody"), "wrong-password-123")).toBe(false);
  });

  it("locks an account after 5 failures, even for the right password", async () => {
    const s = new HttpSession(app.baseUrl);
    const email = uniqueEmail("carol");
    await s.post("/api/v1/auth/signup", { email, password: TEST_PASSWORD });
    for (let i = 0; i < 5; i++) expect(await new HttpSession(app.baseUrl).signIn(email, `wrong-${i}-password`)).toBe(false);
    expect(await new HttpSession(app.baseUrl).signIn(email, TEST_PASSWORD)).toBe(false);
    // Another account from the same address is unaffected (lockout is per account).
    const other = uniqueEmail("dave");
    const s2 = new HttpSession(app.baseUrl);
    await s2.post("/api/v1/auth/signup", { email: other, password: TEST_PASSWORD });
    expect(await s2.signIn(other, TEST_PASSWORD)).toBe(true);
    if (backend === "postgres") {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: app.databaseUrl });
      await c.connect();
      const r = await c.query(`SELECT "lockedUntil", "passwordHash" FROM "User" WHERE email = $1`, [email]);
      await c.end();
      expect(r.rows[0].lockedUntil.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
      expect(r.rows[0].passwordHash).toMatch(/^\$argon2id\$/);
    }
  });

  it("does not accept a forged session cookie", async () => {
    const s = new HttpSession(app.baseUrl);
    s.cookies.set("next-auth.session-token", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged");
    expect((await s.get("/api/v1/orgs")).status).toBe(401);
  });
});
