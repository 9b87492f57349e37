import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createHubApi, jwtLifetimeMs } from "./hub-api";
import { parsePullCount } from "./hub-schemas";
import { fakeSleep, json, startTestServer, type TestServer } from "./test-server";

let hub: TestServer;
beforeEach(async () => {
  hub = await startTestServer();
});
afterEach(async () => {
  await hub.close();
});

const repo = (ns: string, name: string, extra: object = {}) => ({
  name,
  namespace: ns,
  repository_type: "image",
  status: 1,
  status_description: "active",
  description: `${name} svc`,
  is_private: false,
  star_count: 1,
  pull_count: 1532,
  last_updated: "2025-05-02T08:11:09.123456Z",
  last_modified: null,
  date_registered: "2022-03-01T10:00:00.000000Z",
  affiliation: "",
  media_types: ["application/vnd.oci.image.index.v1+json"],
  content_types: ["image"],
  categories: [],
  storage_size: 48213377,
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("listRepositories", () => {
  it("follows absolute and relative next links across pages", async () => {
    hub.handler = (_q, s, u) => {
      if (u.pathname !== "/v2/namespaces/acmecorp/repositories") return json(s, 404, { detail: "Not found" });
      const page = Number(u.searchParams.get("page") ?? "1");
      const size = u.searchParams.get("page_size");
      if (page === 1) return json(s, 200, { count: 5, next: `${hub.url}/v2/namespaces/acmecorp/repositories?page=2&page_size=${size}`, previous: null, results: [repo("acmecorp", "a"), repo("acmecorp", "b")] });
      if (page === 2) return json(s, 200, { count: 5, next: `/v2/namespaces/acmecorp/repositories?page=3&page_size=${size}`, previous: "x", results: [repo("acmecorp", "c"), repo("acmecorp", "d")] });
      return json(s, 200, { count: 5, next: null, previous: "x", results: [repo("acmecorp", "e", { repository_type: null, last_updated: null, is_private: true })] });
    };
    const api = createHubApi({ hubApiUrl: hub.url });
    const repos = await api.listRepositories("AcmeCorp");
    expect(repos.map((r) => r.name)).toEqual(["a", "b", "c", "d", "e"]);
    expect(repos[0]).toEqual({
      namespace: "acmecorp",
      name: "a",
      description: "a svc",
      isPrivate: false,
      pullCount: 1532,
      starCount: 1,
      lastUpdated: "2025-05-02T08:11:09.123456Z",
      dateRegistered: "2022-03-01T10:00:00.000000Z",
      repositoryType: "image",
      mediaTypes: ["application/vnd.oci.image.index.v1+json"],
    });
    expect(repos[4]).toMatchObject({ repositoryType: null, lastUpdated: null, isPrivate: true });
    expect(hub.requests[0]!.url.searchParams.get("page_size")).toBe("100");
    expect(hub.requests).toHaveLength(3);
  });

  it("stops at a 404 past the last page and keeps what it has", async () => {
    hub.handler = (_q, s, u) => {
      const page = Number(u.searchParams.get("page") ?? "1");
      if (page === 1) return json(s, 200, { count: 3, next: `${hub.url}${u.pathname}?page=2`, previous: null, results: [repo("x", "a")] });
      return json(s, 404, { message: "object not found", errinfo: {} });
    };
    const api = createHubApi({ hubApiUrl: hub.url });
    expect((await api.listRepositories("x")).map((r) => r.name)).toEqual(["a"]);
  });

  it("returns [] for an unknown namespace (200 with an empty page)", async () => {
    hub.handler = (_q, s) => json(s, 200, { count: 0, next: null, previous: null, results: [] });
    expect(await createHubApi({ hubApiUrl: hub.url }).listRepositories("nobody-here")).toEqual([]);
  });

  it("falls back to the legacy path when the documented endpoint is missing", async () => {
    hub.handler = (_q, s, u) =>
      u.pathname === "/v2/repositories/acmecorp/"
        ? json(s, 200, { count: 1, next: null, previous: null, results: [{ ...repo("acmecorp", "old"), namespace: undefined, user: "acmecorp", can_edit: false, is_automated: false }] })
        : json(s, 404, { detail: "Not found" });
    const repos = await createHubApi({ hubApiUrl: hub.url }).listRepositories("acmecorp");
    expect(repos.map((r) => `${r.namespace}/${r.name}`)).toEqual(["acmecorp/old"]);
    expect(hub.requests.map((r) => r.path)).toEqual(["/v2/namespaces/acmecorp/repositories", "/v2/repositories/acmecorp/"]);
  });

  it("refuses a next link to another host, HTML pages and a broken envelope", async () => {
    hub.handler = (_q, s) => json(s, 200, { count: 2, next: "https://evil.example/v2/x?page=2", previous: null, results: [repo("x", "a")] });
    const api = createHubApi({ hubApiUrl: hub.url });
    expect((await rejection(api.listRepositories("x"))).message).toMatch(/another host \(evil.example\)/);
    hub.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "text/html" });
      s.end("<html>maintenance</html>");
    };
    const e = await rejection(api.listRepositories("x"));
    expect(e.code).toBe("UPSTREAM_FAILED");
    expect(e.message).toContain("/v2/namespaces/x/repositories");
    expect(e.message).toContain("HTML");
    hub.handler = (_q, s) => json(s, 200, { count: 1, results: "nope" });
    expect((await rejection(api.listRepositories("x"))).message).toMatch(/unexpected page/);
  });

  it("skips items without a name instead of failing the page; validates the namespace", async () => {
    hub.handler = (_q, s) => json(s, 200, { count: 2, next: null, previous: null, results: [{ description: "no name" }, repo("x", "ok", { pull_count: null })] });
    const api = createHubApi({ hubApiUrl: hub.url });
    expect(await api.listRepositories("x")).toMatchObject([{ name: "ok", pullCount: 0 }]);
    await expect(api.listRepositories("../admin")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("fails a 400 without retrying and names the detail", async () => {
    hub.handler = (_q, s) => json(s, 400, { fields: { ordering: ["bad"] }, text: "Invalid ordering value" });
    const e = await rejection(createHubApi({ hubApiUrl: hub.url, sleep: fakeSleep().sleep }).listRepositories("x"));
    expect(e.message).toMatch(/HTTP 400: Invalid ordering value/);
    expect(hub.requests).toHaveLength(1);
  });
});

describe("getAccount", () => {
  const user = { id: "5d0c8e2f9a1b4c3d8e7f6a5b4c3d2e1f", username: "jdoe-acme", full_name: "J. Doe", location: "Berlin", company: "Acme Corp", profile_url: "https://acme.example", date_joined: "2019-04-12T09:30:00.000000Z", gravatar_url: "", gravatar_email: "", type: "User" };
  const org = { id: "9c2e", orgname: "acmecorp", full_name: "Acme", location: "", company: "Acme Rockets", profile_url: "", date_joined: "2020-01-01T00:00:00Z", gravatar_url: "", gravatar_email: "ops@acme-rockets.com", type: "Organization", badge: "verified_publisher" };

  it("reads a user profile", async () => {
    hub.handler = (_q, s, u) => (u.pathname === "/v2/users/jdoe-acme/" ? json(s, 200, user) : json(s, 404, {}));
    expect(await createHubApi({ hubApiUrl: hub.url }).getAccount("jdoe-acme")).toEqual({
      namespace: "jdoe-acme",
      type: "user",
      id: "5d0c8e2f9a1b4c3d8e7f6a5b4c3d2e1f",
      fullName: "J. Doe",
      company: "Acme Corp",
      location: "Berlin",
      profileUrl: "https://acme.example",
      gravatarEmail: null,
      gravatarUrl: null,
      dateJoined: "2019-04-12T09:30:00.000000Z",
      badge: null,
    });
  });

  it("follows the users → orgs cross-redirect and tells an organisation apart", async () => {
    hub.handler = (_q, s, u) => {
      if (u.pathname === "/v2/users/acmecorp/") {
        s.writeHead(308, { location: "/v2/orgs/acmecorp" });
        return void s.end();
      }
      if (u.pathname === "/v2/orgs/acmecorp") return json(s, 200, org);
      return json(s, 404, {});
    };
    const a = await createHubApi({ hubApiUrl: hub.url }).getAccount("acmecorp");
    expect(a).toMatchObject({ namespace: "acmecorp", type: "organization", company: "Acme Rockets", gravatarEmail: "ops@acme-rockets.com", badge: "verified_publisher" });
  });

  it("accepts type 'Org', infers the type without one, tries the org path when users 404s", async () => {
    hub.handler = (_q, s, u) => (u.pathname === "/v2/orgs/old/" ? json(s, 200, { ...org, orgname: "old", type: "Org" }) : json(s, 404, {}));
    const api = createHubApi({ hubApiUrl: hub.url });
    expect(await api.getAccount("old")).toMatchObject({ type: "organization", namespace: "old" });
    hub.handler = (_q, s, u) => (u.pathname === "/v2/users/anon/" ? json(s, 200, { orgname: "anon" }) : json(s, 404, {}));
    expect(await api.getAccount("anon")).toMatchObject({ type: "organization" });
    hub.handler = (_q, s) => json(s, 404, { message: "User not found" });
    expect(await api.getAccount("ghost")).toBeNull();
  });
});

describe("search", () => {
  const v4 = (name: string, pull: unknown, badge: string | null = "none") => ({
    id: "f3a1", name, slug: name, type: "image", publisher: { id: "9c", name: name.split("/")[0] }, created_at: "2022-03-01T10:00:00Z", updated_at: "2025-05-02T08:11:09Z",
    short_description: "svc", badge, star_count: 0, pull_count: pull, operating_systems: [], architectures: [], logo_url: { large: null, small: null }, extension_reviewed: false, categories: [], archived: false,
  });

  it("pages v4 search by from/size and parses display pull counts", async () => {
    hub.handler = (_q, s, u) => {
      if (u.pathname !== "/api/search/v4") return json(s, 404, {});
      const from = Number(u.searchParams.get("from"));
      const all = [v4("acmecorp/api", "1.5K"), v4("acme/web", "10K+"), v4("nginx", "1B+", "official")];
      return json(s, 200, { total: all.length, results: all.slice(from, from + Number(u.searchParams.get("size"))) });
    };
    const api = createHubApi({ hubApiUrl: hub.url, pageSize: 2 });
    const res = await api.search("acme");
    expect(res).toEqual([
      { repoName: "acmecorp/api", namespace: "acmecorp", description: "svc", pullCount: 1500, starCount: 0, isOfficial: false, badge: "none" },
      { repoName: "acme/web", namespace: "acme", description: "svc", pullCount: 10000, starCount: 0, isOfficial: false, badge: "none" },
      { repoName: "library/nginx", namespace: "library", description: "svc", pullCount: 1_000_000_000, starCount: 0, isOfficial: true, badge: "official" },
    ]);
    expect(hub.requests.map((r) => r.url.searchParams.get("from"))).toEqual(["0", "2"]);
    expect(hub.requests[0]!.url.searchParams.get("query")).toBe("acme");
    expect(await api.search("acme", { limit: 1 })).toHaveLength(1);
  });

  it("falls back to /v2/search/repositories/ and then to v1 search on the search host", async () => {
    const index = await startTestServer((_q, s, u) =>
      u.pathname === "/v1/search"
        ? json(s, 200, { query: u.searchParams.get("q"), num_results: 1, num_pages: 1, page: 1, page_size: 25, results: [{ name: "acmecorp/v1-hit", description: "d", star_count: 2, is_official: false, is_automated: false, is_trusted: false }] })
        : json(s, 404, {}),
    );
    try {
      hub.handler = (_q, s, u) => {
        if (u.pathname === "/api/search/v4") return json(s, 410, { detail: "gone" });
        if (u.pathname === "/v2/search/repositories/")
          return json(s, 200, { count: 1, next: null, previous: null, results: [{ repo_name: "acmecorp/v2-hit", short_description: "x", star_count: 0, pull_count: 1532, repo_owner: "", is_automated: false, is_official: false }] });
        return json(s, 404, {});
      };
      const api = createHubApi({ hubApiUrl: hub.url, searchUrl: index.url });
      expect(await api.search("acme")).toEqual([{ repoName: "acmecorp/v2-hit", namespace: "acmecorp", description: "x", pullCount: 1532, starCount: 0, isOfficial: false, badge: null }]);
      // v4 answers 200 with an empty body (the dead products endpoint did this), v2 search is gone
      hub.handler = (_q, s, u) => {
        if (u.pathname === "/api/search/v4") {
          s.writeHead(200);
          return void s.end();
        }
        return json(s, 404, {});
      };
      expect(await api.search("acme")).toEqual([{ repoName: "acmecorp/v1-hit", namespace: "acmecorp", description: "d", pullCount: null, starCount: 2, isOfficial: false, badge: null }]);
      expect(index.requests.at(-1)!.url.searchParams.get("n")).toBe("100");
      // everything down
      await index.close();
      const e = await rejection(createHubApi({ hubApiUrl: hub.url, searchUrl: index.url, sleep: fakeSleep().sleep, maxAttempts: 1 }).search("acme"));
      expect(e.message).toMatch(/search failed on every endpoint/);
    } finally {
      await index.close();
    }
  });

  it("does not fall back on a rate limit", async () => {
    hub.handler = (_q, s) => json(s, 429, { detail: "Rate limit exceeded", error: false }, { "retry-after": "9999", "x-ratelimit-limit": "180", "x-ratelimit-remaining": "0" });
    const api = createHubApi({ hubApiUrl: hub.url });
    const e = await rejection(api.search("acme"));
    expect(e.code).toBe("RATE_LIMITED");
    expect(hub.requests).toHaveLength(1);
    expect(api.rateLimit()).toMatchObject({ apiLimit: 180, apiRemaining: 0 });
  });
});

describe("repositories and tags", () => {
  it("returns details with the README, trying the legacy path, null when both 404", async () => {
    hub.handler = (_q, s, u) =>
      u.pathname === "/v2/repositories/acmecorp/billing-api/"
        ? json(s, 200, { ...repo("acmecorp", "billing-api"), user: "acmecorp", full_description: "# Billing API\nkey=FAKE", permissions: { read: true } })
        : json(s, 404, {});
    const api = createHubApi({ hubApiUrl: hub.url });
    expect(await api.getRepository("acmecorp", "billing-api")).toMatchObject({ name: "billing-api", namespace: "acmecorp", fullDescription: "# Billing API\nkey=FAKE" });
    expect(await api.getRepository("acmecorp", "nope")).toBeNull();
  });

  it("lists all tag pages and accepts images as array or object", async () => {
    const tag = (name: string, images: unknown) => ({
      creator: 4711, id: 1, name, repository: 2, last_updated: "2025-05-02T08:11:09.1Z", last_updater: 4711, last_updater_username: "jdoe", full_size: 100, v2: true, tag_status: "active",
      tag_last_pulled: null, tag_last_pushed: "2025-05-02T08:11:09.1Z", media_type: "application/vnd.oci.image.index.v1+json", content_type: "image", digest: `sha256:${"a".repeat(64)}`, images,
    });
    const img = { architecture: "amd64", features: "", variant: null, digest: `sha256:${"b".repeat(64)}`, os: "linux", os_features: "", os_version: null, size: 100, status: "active", last_pulled: null, last_pushed: null };
    hub.handler = (_q, s, u) => {
      if (u.pathname !== "/v2/namespaces/acmecorp/repositories/api/tags") return json(s, 404, {});
      return u.searchParams.get("page") === "2"
        ? json(s, 200, { count: 2, next: null, previous: "x", results: [{ ...tag("1.0", img), digest: undefined }] })
        : json(s, 200, { count: 2, next: "tags?page=2&page_size=100", previous: null, results: [tag("latest", [img, { ...img, architecture: "arm64", variant: "v8", digest: null }])] });
    };
    const tags = await createHubApi({ hubApiUrl: hub.url }).listTags("acmecorp", "api");
    expect(tags.map((t) => t.name)).toEqual(["latest", "1.0"]);
    expect(tags[0]).toEqual({
      name: "latest",
      digest: `sha256:${"a".repeat(64)}`,
      mediaType: "application/vnd.oci.image.index.v1+json",
      fullSize: 100,
      lastPushed: "2025-05-02T08:11:09.1Z",
      lastUpdated: "2025-05-02T08:11:09.1Z",
      images: [
        { os: "linux", architecture: "amd64", variant: null, digest: `sha256:${"b".repeat(64)}`, size: 100 },
        { os: "linux", architecture: "arm64", variant: "v8", digest: null, size: 100 },
      ],
    });
    expect(tags[1]).toMatchObject({ digest: null, images: [{ architecture: "amd64" }] });
    expect(hub.requests[1]!.path).toBe("/v2/namespaces/acmecorp/repositories/api/tags");
  });

  it("falls back to legacy tags and gives [] for a missing repository", async () => {
    hub.handler = (_q, s, u) =>
      u.pathname === "/v2/repositories/library/nginx/tags/" ? json(s, 200, { count: 1, next: null, previous: null, results: [{ name: "latest", images: [] }] }) : json(s, 404, {});
    const api = createHubApi({ hubApiUrl: hub.url });
    expect((await api.listTags("library", "nginx")).map((t) => t.name)).toEqual(["latest"]);
    expect(await api.listTags("library", "missing")).toEqual([]);
  });
});

describe("credentials", () => {
  const jwt = (expSec: number) => `h.${Buffer.from(JSON.stringify({ exp: expSec })).toString("base64url")}.s`;

  it("logs in with POST /v2/auth/token, sends the JWT, re-logs in once on 401", async () => {
    let logins = 0;
    let now = 1_700_000_000_000;
    const bodies: unknown[] = [];
    hub.handler = async (q, s, u) => {
      if (u.pathname === "/v2/auth/token") {
        let raw = "";
        for await (const c of q) raw += String(c);
        bodies.push(JSON.parse(raw));
        logins++;
        return json(s, 200, { access_token: jwt(now / 1000 + 600) + logins });
      }
      // the first JWT is "revoked" server-side
      if (q.headers.authorization === `Bearer ${jwt(now / 1000 + 600)}1`) return json(s, 401, { detail: "expired" });
      return json(s, 200, { count: 0, next: null, previous: null, results: [] });
    };
    const api = createHubApi({ hubApiUrl: hub.url, credentials: { username: "acmecorp", token: "dckr_oat_FAKE" }, now: () => now });
    await api.listRepositories("acmecorp");
    expect(bodies[0]).toEqual({ identifier: "acmecorp", secret: "dckr_oat_FAKE" });
    expect(logins).toBe(2);
    await api.listRepositories("acmecorp");
    expect(logins).toBe(2); // cached
    now += 10 * 60_000; // past exp - 60 s
    await api.listRepositories("acmecorp");
    expect(logins).toBe(3);
  });

  it("reports rejected credentials as UNAUTHENTICATED without echoing the secret", async () => {
    hub.handler = (_q, s) => json(s, 401, { detail: "Incorrect authentication credentials" });
    const e = await rejection(createHubApi({ hubApiUrl: hub.url, credentials: { username: "u", token: "dckr_pat_SECRETVALUE" } }).getAccount("u"));
    expect(e.code).toBe("UNAUTHENTICATED");
    expect(e.message).not.toContain("SECRETVALUE");
  });

  it("derives JWT lifetime from exp, with a fallback", () => {
    expect(jwtLifetimeMs(jwt(1000), 0)).toBe(940_000);
    expect(jwtLifetimeMs("not-a-jwt", 0)).toBe(540_000);
  });
});

describe("parsePullCount", () => {
  it.each([
    ["10K+", 10_000],
    ["1.5K", 1500],
    ["2M+", 2_000_000],
    ["1B+", 1_000_000_000],
    ["532", 532],
    ["1,532", 1532],
    [1532, 1532],
    ["<1K", null],
    ["", null],
    [null, null],
    [-3, null],
  ])("%j → %j", (input, want) => {
    expect(parsePullCount(input)).toBe(want);
  });
});
