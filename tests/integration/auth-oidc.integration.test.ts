// OpenID Connect single sign-on end to end: a real OpenID provider (`oidc-provider`) on 127.0.0.1,
// the built app configured by OIDC_* env, and the full authorization-code flow with PKCE + state
// driven over HTTP (cookie jars per origin, posting the provider's login and consent forms).
import crypto from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startApp, type AppServer } from "../support/app-server";

class Browser {
  private jars = new Map<string, Map<string, string>>();
  private jar(url: string) {
    const o = new URL(url).origin;
    if (!this.jars.has(o)) this.jars.set(o, new Map());
    return this.jars.get(o)!;
  }
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const jar = this.jar(url);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (!value || attrs.some((a) => /max-age=0\b/i.test(a) || /expires=thu, 01 jan 1970/i.test(a))) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
  /** GETs and follows redirects; returns the final response and its URL. */
  async follow(url: string, max = 15): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let i = 0; i < max; i++) {
      const res = await this.request(current);
      const loc = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && loc) {
        current = new URL(loc, current).toString();
        continue;
      }
      return { res, url: current };
    }
    throw new Error("too many redirects");
  }
  cookies(url: string) {
    return this.jar(url);
  }
}

function formOf(html: string, pageUrl: string): { action: string; prompt: string } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
  if (!action || !prompt) throw new Error(`no interaction form in provider page:\n${html.slice(0, 500)}`);
  return { action: new URL(action.replace(/&amp;/g, "&"), pageUrl).toString(), prompt };
}

describe("OIDC single sign-on against a real OpenID provider", () => {
  let app: AppServer;
  let idp: Server;
  let issuer: string;
  const clientSecret = crypto.randomBytes(24).toString("hex");
  const accounts: Record<string, { email: string; email_verified: boolean; name: string }> = {
    "alice-sub": { email: "alice@idp.example.test", email_verified: true, name: "Alice Example" },
  };

  beforeAll(async () => {
    const appPort = await freePort();
    const idpPort = await freePort();
    issuer = `http://127.0.0.1:${idpPort}`;
    const { default: Provider } = await import("oidc-provider");
    // Generate as PEM, then re-import: on Node 20, exporting a JWK straight from a freshly
    // generated KeyObject can deadlock when GC finalises the key-generation job mid-export.
    const { privateKey: pem } = crypto.generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const key = crypto.createPrivateKey(pem).export({ format: "jwk" });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "stowaway-test",
          client_secret: clientSecret,
          redirect_uris: [`http://127.0.0.1:${appPort}/api/auth/callback/oidc`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      jwks: { keys: [{ ...key, kid: "test-key", use: "sig", alg: "RS256" }] },
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
      conformIdTokenClaims: false, // put scope claims in the ID token (next-auth reads them from there)
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      cookies: { keys: [crypto.randomBytes(16).toString("hex")] },
      async findAccount(_ctx: unknown, sub: string) {
        const a = accounts[sub];
        if (!a) return undefined;
        return { accountId: sub, claims: async () => ({ sub, ...a }) };
      },
    });
    idp = provider.listen(idpPort, "127.0.0.1");
    app = await startApp({
      port: appPort,
      env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: "stowaway-test", OIDC_CLIENT_SECRET: clientSecret, OIDC_NAME: "Test IdP" },
    });
  });

  afterAll(async () => {
    await app?.stop();
    // close() waits for idle keep-alive sockets (fetch keeps them open): drop them first.
    idp?.closeAllConnections();
    await new Promise<void>((r) => (idp ? idp.close(() => r()) : r()));
  });

  it("offers the provider on the sign-in page", async () => {
    const res = await fetch(`${app.baseUrl}/signin`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Continue with (<!-- -->)?Test IdP/);
    const providers = (await (await fetch(`${app.baseUrl}/api/auth/providers`)).json()) as Record<string, { type: string }>;
    expect(providers.oidc?.type).toBe("oauth");
  });

  it("signs in through the authorization-code flow and creates the user", async () => {
    const b = new Browser();
    const csrf = (await (await b.request(`${app.baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
    const start = await b.request(`${app.baseUrl}/api/auth/signin/oidc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: `${app.baseUrl}/orgs/new`, json: "true" }).toString(),
    });
    const { url: authorizeUrl } = (await start.json()) as { url: string };
    expect(authorizeUrl.startsWith(`${issuer}/auth?`)).toBe(true);
    const q = new URL(authorizeUrl).searchParams;
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("state")).toBeTruthy();

    // Provider: login form, then consent form, then back to the app's callback.
    let page = await b.follow(authorizeUrl);
    for (let step = 0; step < 4 && page.url.startsWith(issuer); step++) {
      expect(page.res.status).toBe(200);
      const form = formOf(await page.res.text(), page.url);
      const body =
        form.prompt === "login" ? new URLSearchParams({ prompt: "login", login: "alice-sub", password: "any" }) : new URLSearchParams({ prompt: form.prompt });
      const posted = await b.request(form.action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      });
      const loc = posted.headers.get("location");
      expect(loc, `provider answered ${posted.status}`).toBeTruthy();
      page = await b.follow(new URL(loc!, form.action).toString());
    }
    expect(page.url).toBe(`${app.baseUrl}/orgs/new`);
    expect([...b.cookies(app.baseUrl).keys()]).toContain("next-auth.session-token");

    const session = (await (await b.request(`${app.baseUrl}/api/auth/session`)).json()) as { user?: { email?: string; id?: string } };
    expect(session.user?.email).toBe("alice@idp.example.test");
    expect(session.user?.id).toBeTruthy();
    expect(session.user?.id).not.toBe("alice-sub"); // our user id, not the provider's subject

    // The session works against the API: the new user can create an organisation.
    const created = await b.request(`${app.baseUrl}/api/v1/orgs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "SSO Org" }),
    });
    expect(created.status).toBe(201);
    const orgs = (await (await b.request(`${app.baseUrl}/api/v1/orgs`)).json()) as { orgs: { name: string; role: string }[] };
    expect(orgs.orgs).toEqual([expect.objectContaining({ name: "SSO Org", role: "owner" })]);

    // A second SSO sign-in maps to the same user (linked by provider subject, not duplicated).
    const b2 = new Browser();
    const csrf2 = (await (await b2.request(`${app.baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
    const start2 = await b2.request(`${app.baseUrl}/api/auth/signin/oidc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf2.csrfToken, callbackUrl: `${app.baseUrl}/`, json: "true" }).toString(),
    });
    let p2 = await b2.follow(((await start2.json()) as { url: string }).url);
    for (let step = 0; step < 4 && p2.url.startsWith(issuer); step++) {
      const form = formOf(await p2.res.text(), p2.url);
      const body = form.prompt === "login" ? new URLSearchParams({ prompt: "login", login: "alice-sub", password: "any" }) : new URLSearchParams({ prompt: form.prompt });
      const posted = await b2.request(form.action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() });
      p2 = await b2.follow(new URL(posted.headers.get("location")!, form.action).toString());
    }
    const orgs2 = (await (await b2.request(`${app.baseUrl}/api/v1/orgs`)).json()) as { orgs: { name: string }[] };
    expect(orgs2.orgs.map((o) => o.name)).toEqual(["SSO Org"]);
  });

  it("rejects a callback whose state does not match (no session issued)", async () => {
    const b = new Browser();
    const res = await b.request(`${app.baseUrl}/api/auth/callback/oidc?code=forged&state=forged`);
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.headers.get("location") ?? "").toContain("error");
    expect([...b.cookies(app.baseUrl).keys()]).not.toContain("next-auth.session-token");
  });
});
