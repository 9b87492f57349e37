// The simulator against the shapes in ../shared/docs/dockerhub-api.md (§9 checklist), over real
// HTTP on 127.0.0.1.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { decompress } from "fzstd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile, parseWorld, type World, type WorldInput } from "@/lib/hubsim/world";
import { verifyGroundTruth } from "@/lib/hubsim/worlds/verify";

const ACCEPT_ALL = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

const sha = (b: Buffer | Uint8Array) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

function worldInput(): WorldInput {
  return {
    name: "sim-test",
    pullLimit: 5,
    accounts: [
      { namespace: "rocketco", type: "organization", full_name: "Rocket Co", company: "Rocket Co", badge: "verified_publisher" },
      { namespace: "jdoe", type: "user", full_name: "J. Doe", company: "Rocket Co", profile_url: "https://rocket.example" },
    ],
    repositories: [
      ...["a-svc", "b-svc", "c-svc", "d-svc", "e-svc"].map((name, i) => ({
        namespace: "rocketco",
        name,
        description: `service ${name}`,
        pull_count: 1500 * (i + 1),
        last_updated: `2025-0${i + 1}-01T00:00:00Z`,
        tags: [{ name: "latest", image: "multi", pushed: `2025-0${i + 1}-01T00:00:00Z` }],
      })),
      { namespace: "rocketco", name: "secret-svc", is_private: true, tags: [{ name: "latest", image: "single" }] },
      {
        namespace: "jdoe",
        name: "tool",
        description: "a tool",
        full_description: "# Tool\nREADME text",
        pull_count: 12,
        tags: [
          { name: "1.0", image: "single", pushed: "2024-01-01T00:00:00Z" },
          { name: "2.0", image: "list", pushed: "2024-02-01T00:00:00Z" },
          { name: "3.0", image: "single", pushed: "2024-03-01T00:00:00Z" },
        ],
      },
    ],
    images: [
      {
        id: "multi",
        attestation: { buildArgs: {} },
        platforms: [
          { architecture: "amd64", layers: [{ files: [{ path: "app/a.txt", content: "amd64 file\n".repeat(200) }] }, { compression: "zstd", files: [{ path: "app/z.txt", content: "zstd layer" }] }] },
          { architecture: "arm64", layers: [{ files: [{ path: "app/a.txt", content: "arm64" }] }] },
        ],
      },
      { id: "single", platforms: [{ config: { Env: ["A=1"] }, layers: [{ files: [{ path: "x", content: "y" }] }] }] },
      {
        id: "list",
        format: "docker",
        platforms: [
          { architecture: "amd64", layers: [{ files: [{ path: "x", content: "amd" }] }] },
          { architecture: "arm64", layers: [{ files: [{ path: "x", content: "arm" }] }] },
        ],
      },
    ],
  };
}

async function token(sim: HubSim, repo: string): Promise<string> {
  const r = await fetch(`${sim.authUrl}?service=registry.docker.io&scope=repository:${repo}:pull`);
  expect(r.status).toBe(200);
  const body = (await r.json()) as { token: string };
  return body.token;
}

async function getManifest(sim: HubSim, repo: string, ref: string, init: RequestInit = {}) {
  const t = await token(sim, repo);
  return fetch(`${sim.registryUrl}/v2/${repo}/manifests/${ref}`, { ...init, headers: { authorization: `Bearer ${t}`, accept: ACCEPT_ALL, ...(init.headers ?? {}) } });
}

describe("hub-sim: Hub API", () => {
  let sim: HubSim;
  beforeAll(async () => {
    sim = await startHubSim({ world: parseWorld(worldInput()) });
  });
  afterAll(() => sim.close());

  it("pages namespace repositories with an absolute next, 404 past the last page", async () => {
    const names: string[] = [];
    let url: string | null = `${sim.hubApiUrl}/v2/namespaces/rocketco/repositories?page_size=2`;
    let pages = 0;
    while (url) {
      const r = await fetch(url);
      expect(r.status).toBe(200);
      expect(r.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
      expect(r.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
      const body = (await r.json()) as { count: number; next: string | null; previous: string | null; results: Array<{ name: string; is_private: boolean; namespace: string }> };
      expect(body.count).toBe(5); // the private repo is hidden from anonymous callers
      if (body.next) expect(body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/namespaces\/rocketco\/repositories\?/);
      if (pages === 0) expect(body.previous).toBeNull();
      names.push(...body.results.map((x) => x.name));
      url = body.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(names.sort()).toEqual(["a-svc", "b-svc", "c-svc", "d-svc", "e-svc"]);
    expect((await fetch(`${sim.hubApiUrl}/v2/namespaces/rocketco/repositories?page=4&page_size=2`)).status).toBe(404);
  });

  it("answers 200-empty for an unknown namespace and 400 for a bad ordering", async () => {
    for (const p of ["/v2/namespaces/nobody-xyz/repositories", "/v2/repositories/nobody-xyz/"]) {
      const r = await fetch(`${sim.hubApiUrl}${p}`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
    }
    const bad = await fetch(`${sim.hubApiUrl}/v2/namespaces/rocketco/repositories?ordering=stars`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: { ordering: string[] }; text: string };
    expect(body.text).toBe("Invalid ordering value");
    expect(body.fields.ordering).toHaveLength(1);
  });

  it("orders, caps page_size at 100 and serves the legacy path with its extra fields", async () => {
    const r = await fetch(`${sim.hubApiUrl}/v2/repositories/rocketco/?page_size=500&ordering=-pull_count`);
    const body = (await r.json()) as { next: string | null; results: Array<Record<string, unknown>> };
    expect(body.next).toBeNull();
    expect(body.results.map((x) => x.name)).toEqual(["e-svc", "d-svc", "c-svc", "b-svc", "a-svc"]);
    expect(body.results[0]).toMatchObject({ user: "rocketco", is_automated: false, namespace: "rocketco", repository_type: "image", status: 1 });
    expect(body.results[0]!.media_types).toEqual(["application/vnd.oci.image.index.v1+json"]);
  });

  it("emits relative next links when asked", async () => {
    const rel = await startHubSim({ world: parseWorld(worldInput()), relativeNext: true });
    try {
      const body = (await (await fetch(`${rel.hubApiUrl}/v2/namespaces/rocketco/repositories?page_size=2`)).json()) as { next: string };
      expect(body.next).toMatch(/^\/v2\/namespaces\/rocketco\/repositories\?.*page=2/);
    } finally {
      await rel.close();
    }
  });

  it("cross-redirects users/orgs with 308 and reports type; 404 for unknown", async () => {
    const r = await fetch(`${sim.hubApiUrl}/v2/users/rocketco/`, { redirect: "manual" });
    expect(r.status).toBe(308);
    expect(r.headers.get("location")).toBe("/v2/orgs/rocketco/");
    const org = (await (await fetch(`${sim.hubApiUrl}/v2/users/rocketco/`)).json()) as Record<string, unknown>;
    expect(org).toMatchObject({ orgname: "rocketco", type: "Organization", badge: "verified_publisher", company: "Rocket Co" });
    expect(org.id).toMatch(/^[0-9a-f]{32}$/);
    const r2 = await fetch(`${sim.hubApiUrl}/v2/orgs/jdoe/`, { redirect: "manual" });
    expect(r2.status).toBe(308);
    const user = (await (await fetch(`${sim.hubApiUrl}/v2/orgs/jdoe/`)).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ username: "jdoe", type: "User", profile_url: "https://rocket.example" });
    expect((await fetch(`${sim.hubApiUrl}/v2/users/nobody-xyz/`)).status).toBe(404);
  });

  it("serves repository details with the README and hides private repositories", async () => {
    for (const p of ["/v2/namespaces/jdoe/repositories/tool", "/v2/repositories/jdoe/tool/"]) {
      const body = (await (await fetch(`${sim.hubApiUrl}${p}`)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({ name: "tool", namespace: "jdoe", full_description: "# Tool\nREADME text", pull_count: 12, is_private: false });
    }
    expect((await fetch(`${sim.hubApiUrl}/v2/namespaces/rocketco/repositories/secret-svc`)).status).toBe(404);
    expect((await fetch(`${sim.hubApiUrl}/v2/namespaces/jdoe/repositories/nope`)).status).toBe(404);
  });

  it("pages tags on both paths with per-platform images", async () => {
    const first = (await (await fetch(`${sim.hubApiUrl}/v2/namespaces/jdoe/repositories/tool/tags?page_size=2`)).json()) as {
      count: number;
      next: string;
      results: Array<{ name: string; digest: string; media_type: string; images: Array<{ digest: string; architecture: string }> }>;
    };
    expect(first.count).toBe(3);
    expect(first.results.map((t) => t.name)).toEqual(["3.0", "2.0"]); // newest first by default
    const second = (await (await fetch(first.next)).json()) as { next: string | null; results: Array<{ name: string }> };
    expect(second.results.map((t) => t.name)).toEqual(["1.0"]);
    expect(second.next).toBeNull();
    const list = first.results[1]!;
    expect(list.media_type).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
    expect(list.images.map((i) => i.architecture)).toEqual(["amd64", "arm64"]);
    const legacy = (await (await fetch(`${sim.hubApiUrl}/v2/repositories/jdoe/tool/tags/1.0/`)).json()) as { name: string; digest: string; images: Array<{ digest: string }>; tag_status: string; v2: boolean };
    expect(legacy).toMatchObject({ name: "1.0", tag_status: "active", v2: true });
    expect(legacy.digest).toBe(legacy.images[0]!.digest);
  });

  it("searches: v4 with display pull counts, v2 with paging, v1 with n validation", async () => {
    const v4 = (await (await fetch(`${sim.hubApiUrl}/api/search/v4?query=svc&from=1&size=2`)).json()) as { total: number; results: Array<{ name: string; pull_count: string; badge: string; publisher: { name: string } }> };
    expect(v4.total).toBe(5);
    expect(v4.results.map((x) => [x.name, x.pull_count])).toEqual([
      ["rocketco/d-svc", "6K"],
      ["rocketco/c-svc", "4.5K"],
    ]);
    expect(v4.results[0]!.badge).toBe("verified_publisher");
    const v2 = (await (await fetch(`${sim.hubApiUrl}/v2/search/repositories/?query=svc&page_size=3`)).json()) as { count: number; next: string; results: Array<{ repo_name: string; pull_count: number; is_official: boolean }> };
    expect(v2.count).toBe(5);
    expect(v2.results[0]).toMatchObject({ repo_name: "rocketco/e-svc", pull_count: 7500, is_official: false });
    expect(v2.next).toContain("page=2");
    const v1 = (await (await fetch(`${sim.searchUrl}/v1/search?q=tool&n=10`)).json()) as Record<string, unknown>;
    expect(v1).toMatchObject({ query: "tool", num_results: 1, page: 1, page_size: 10, results: [{ name: "jdoe/tool", description: "a tool", is_official: false, is_automated: false, star_count: 0 }] });
    expect((await fetch(`${sim.searchUrl}/v1/search?q=tool&n=0`)).status).toBe(400);
    expect((await fetch(`${sim.searchUrl}/v1/search?q=tool&n=101`)).status).toBe(400);
  });
});

describe("hub-sim: token service and registry", () => {
  let sim: HubSim;
  beforeAll(async () => {
    sim = await startHubSim({ world: parseWorld(worldInput()), pullLimit: 1000 });
  });
  afterAll(() => sim.close());

  it("challenges on /v2/ and issues 300-second tokens from the advertised realm", async () => {
    const r = await fetch(`${sim.registryUrl}/v2/`);
    expect(r.status).toBe(401);
    const ch = r.headers.get("www-authenticate")!;
    const realm = /realm="([^"]+)"/.exec(ch)![1]!;
    expect(ch).toContain('service="registry.docker.io"');
    expect(r.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    const t = await fetch(`${realm}?service=registry.docker.io&scope=repository:jdoe/tool:pull`);
    const body = (await t.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.token).toBe(body.access_token);
    expect(body.expires_in).toBe(300);
    expect(Number.isNaN(Date.parse(body.issued_at))).toBe(false);
    expect((await fetch(`${sim.registryUrl}/v2/`, { headers: { authorization: `Bearer ${body.token}` } })).status).toBe(200);
  });

  it("asks for a scoped token, and answers 401 (not 404) for private and unknown repositories", async () => {
    const anon = await fetch(`${sim.registryUrl}/v2/jdoe/tool/manifests/1.0`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toContain('scope="repository:jdoe/tool:pull"');
    for (const repo of ["rocketco/secret-svc", "rocketco/does-not-exist"]) {
      const t = await fetch(`${sim.authUrl}?service=registry.docker.io&scope=repository:${repo}:pull`);
      expect(t.status).toBe(200); // empty grant, not an error
      const r = await getManifest(sim, repo, "latest");
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ errors: [{ code: "UNAUTHORIZED", message: "authentication required", detail: [{ Type: "repository", Class: "", Name: repo, Action: "pull" }] }] });
    }
    const unknownTag = await getManifest(sim, "jdoe/tool", "9.9");
    expect(unknownTag.status).toBe(404);
    expect(((await unknownTag.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe("MANIFEST_UNKNOWN");
  });

  it("lets a credentialed client pull its private repository", async () => {
    const priv = await startHubSim({ world: parseWorld(worldInput()), credentials: { rocketco: "dckr_pat_test" } });
    try {
      const basic = Buffer.from("rocketco:dckr_pat_test").toString("base64");
      const t = (await (await fetch(`${priv.authUrl}?service=registry.docker.io&scope=repository:rocketco/secret-svc:pull`, { headers: { authorization: `Basic ${basic}` } })).json()) as { token: string };
      const r = await fetch(`${priv.registryUrl}/v2/rocketco/secret-svc/manifests/latest`, { headers: { authorization: `Bearer ${t.token}`, accept: ACCEPT_ALL } });
      expect(r.status).toBe(200);
      const bad = Buffer.from("rocketco:wrong").toString("base64");
      expect((await fetch(`${priv.authUrl}?service=registry.docker.io&scope=repository:rocketco/secret-svc:pull`, { headers: { authorization: `Basic ${bad}` } })).status).toBe(401);
    } finally {
      await priv.close();
    }
  });

  it("lets a repository's owner delete it: gone from listings, search, tokens and the registry", async () => {
    const owned = await startHubSim({ world: parseWorld(worldInput()), credentials: { jdoe: "dckr_pat_jdoe", rocketco: "dckr_pat_rc" } });
    try {
      const login = async (identifier: string, secret: string) =>
        ((await (await fetch(`${owned.hubApiUrl}/v2/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifier, secret }) })).json()) as { access_token: string }).access_token;
      const del = (p: string, jwt?: string) => fetch(`${owned.hubApiUrl}${p}`, { method: "DELETE", headers: jwt ? { authorization: `Bearer ${jwt}` } : {} });
      expect((await getManifest(owned, "jdoe/tool", "1.0")).status).toBe(200);
      expect((await del("/v2/repositories/jdoe/tool/")).status).toBe(401);
      expect((await del("/v2/repositories/jdoe/tool/", await login("rocketco", "dckr_pat_rc"))).status).toBe(403);
      const jdoe = await login("jdoe", "dckr_pat_jdoe");
      expect((await del("/v2/repositories/jdoe/nope/", jdoe)).status).toBe(404);
      const ok = await del("/v2/repositories/jdoe/tool/", jdoe);
      expect(ok.status).toBe(202);
      expect((await del("/v2/namespaces/jdoe/repositories/tool", jdoe)).status).toBe(404);

      const list = (await (await fetch(`${owned.hubApiUrl}/v2/namespaces/jdoe/repositories`)).json()) as { count: number; results: unknown[] };
      expect(list).toMatchObject({ count: 0, results: [] });
      expect((await fetch(`${owned.hubApiUrl}/v2/repositories/jdoe/tool/tags`)).status).toBe(404);
      expect((await fetch(`${owned.hubApiUrl}/v2/namespaces/jdoe/repositories/tool`)).status).toBe(404);
      const search = (await (await fetch(`${owned.hubApiUrl}/v2/search/repositories/?query=tool`)).json()) as { count: number };
      expect(search.count).toBe(0);
      const t = (await (await fetch(`${owned.authUrl}?service=registry.docker.io&scope=repository:jdoe/tool:pull`)).json()) as { token: string };
      const man = await fetch(`${owned.registryUrl}/v2/jdoe/tool/manifests/1.0`, { headers: { authorization: `Bearer ${t.token}`, accept: ACCEPT_ALL } });
      expect(man.status).toBe(401);
      // other repositories are untouched
      expect((await getManifest(owned, "rocketco/a-svc", "latest")).status).toBe(200);
    } finally {
      await owned.close();
    }
  });

  it("can run a registry that asks for no token at all", async () => {
    const open = await startHubSim({ world: parseWorld(worldInput()), registryAuth: "none" });
    try {
      expect((await fetch(`${open.registryUrl}/v2/`)).status).toBe(200);
      const r = await fetch(`${open.registryUrl}/v2/jdoe/tool/manifests/1.0`, { headers: { accept: ACCEPT_ALL } });
      expect(r.status).toBe(200);
      expect(sha(Buffer.from(await r.arrayBuffer()))).toBe(r.headers.get("docker-content-digest"));
      expect((await fetch(`${open.registryUrl}/v2/rocketco/secret-svc/manifests/latest`)).status).toBe(404);
    } finally {
      await open.close();
    }
  });

  it("negotiates manifest media types and serves bodies matching Docker-Content-Digest", async () => {
    const idx = await getManifest(sim, "rocketco/a-svc", "latest");
    expect(idx.status).toBe(200);
    expect(idx.headers.get("content-type")).toBe("application/vnd.oci.image.index.v1+json");
    const body = Buffer.from(await idx.arrayBuffer());
    expect(sha(body)).toBe(idx.headers.get("docker-content-digest"));
    expect(Number(idx.headers.get("content-length"))).toBe(body.length);
    const index = JSON.parse(body.toString()) as { manifests: Array<{ digest: string; platform: { architecture: string }; annotations?: Record<string, string> }> };
    expect(index.manifests.filter((m) => m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest")).toHaveLength(2);
    const byDigest = await getManifest(sim, "rocketco/a-svc", index.manifests[0]!.digest);
    expect(byDigest.headers.get("content-type")).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(sha(Buffer.from(await byDigest.arrayBuffer()))).toBe(index.manifests[0]!.digest);

    const dockerOnly = { accept: "application/vnd.docker.distribution.manifest.v2+json" };
    const refused = await getManifest(sim, "rocketco/a-svc", "latest", { headers: dockerOnly });
    expect(refused.status).toBe(404);
    const fallback = await getManifest(sim, "jdoe/tool", "2.0", { headers: dockerOnly });
    expect(fallback.headers.get("content-type")).toBe("application/vnd.docker.distribution.manifest.v2+json");
    const list = await getManifest(sim, "jdoe/tool", "2.0");
    expect(list.headers.get("content-type")).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
  });

  it("HEAD has headers and no body and does not spend a pull; GET does; the budget runs out with 429", async () => {
    const sim2 = await startHubSim({ world: parseWorld(worldInput()) }); // pullLimit 5
    try {
      const head = await getManifest(sim2, "jdoe/tool", "1.0", { method: "HEAD" });
      expect(head.status).toBe(200);
      expect((await head.arrayBuffer()).byteLength).toBe(0);
      expect(head.headers.get("docker-content-digest")).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
      expect(head.headers.get("ratelimit-limit")).toBe("5;w=21600");
      expect(head.headers.get("ratelimit-remaining")).toBe("5;w=21600");
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        const g = await getManifest(sim2, "jdoe/tool", "1.0");
        expect(g.status).toBe(200);
        seen.push(g.headers.get("ratelimit-remaining")!);
      }
      expect(seen).toEqual(["4;w=21600", "3;w=21600", "2;w=21600", "1;w=21600", "0;w=21600"]);
      const over = await getManifest(sim2, "jdoe/tool", "1.0");
      expect(over.status).toBe(429);
      expect(((await over.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe("TOOMANYREQUESTS");
      expect((await getManifest(sim2, "jdoe/tool", "1.0", { method: "HEAD" })).status).toBe(200);
      expect(sim2.stats.manifestGets).toBe(6);
    } finally {
      await sim2.close();
    }
  });

  it("redirects blob GETs to another origin that refuses Authorization; blobs are real (gzip, zstd)", async () => {
    const t = await token(sim, "rocketco/a-svc");
    const auth = { authorization: `Bearer ${t}` };
    const index = (await (await getManifest(sim, "rocketco/a-svc", "latest")).json()) as { manifests: Array<{ digest: string }> };
    const man = (await (await getManifest(sim, "rocketco/a-svc", index.manifests[0]!.digest)).json()) as { config: { digest: string }; layers: Array<{ digest: string; mediaType: string }> };
    const fetchBlob = async (digest: string) => {
      const r = await fetch(`${sim.registryUrl}/v2/rocketco/a-svc/blobs/${digest}`, { headers: auth, redirect: "manual" });
      expect(r.status).toBe(307);
      const loc = r.headers.get("location")!;
      expect(new URL(loc).origin).not.toBe(new URL(sim.registryUrl).origin);
      const b = await fetch(loc);
      expect(b.status).toBe(200);
      const bytes = Buffer.from(await b.arrayBuffer());
      expect(sha(bytes)).toBe(digest);
      return { bytes, loc };
    };
    const cfg = JSON.parse((await fetchBlob(man.config.digest)).bytes.toString()) as { rootfs: { diff_ids: string[] } };
    const l0 = await fetchBlob(man.layers[0]!.digest);
    const l1 = await fetchBlob(man.layers[1]!.digest);
    expect(man.layers[1]!.mediaType).toBe("application/vnd.oci.image.layer.v1.tar+zstd");
    expect(sha(gunzipSync(l0.bytes))).toBe(cfg.rootfs.diff_ids[0]);
    expect(sha(decompress(l1.bytes))).toBe(cfg.rootfs.diff_ids[1]);

    const head = await fetch(`${sim.registryUrl}/v2/rocketco/a-svc/blobs/${man.layers[0]!.digest}`, { method: "HEAD", headers: auth });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBe(l0.bytes.length);

    const before = sim.stats.blobAuthHeaders;
    const leaked = await fetch(l0.loc, { headers: auth });
    expect(leaked.status).toBe(400);
    expect(sim.stats.blobAuthHeaders).toBe(before + 1);
    expect((await fetch(`${sim.registryUrl}/v2/rocketco/a-svc/blobs/sha256:${"0".repeat(64)}`, { headers: auth, redirect: "manual" })).status).toBe(404);
  });
});

describe("hub-sim: fault injection", () => {
  async function withFaults(faults: NonNullable<WorldInput["faults"]>, fn: (sim: HubSim) => Promise<void>, seed?: number) {
    const w = worldInput();
    w.faults = faults;
    const sim = await startHubSim({ world: parseWorld(w), seed });
    try {
      await fn(sim);
    } finally {
      await sim.close();
    }
  }

  it("429 TOOMANYREQUESTS on the registry with Retry-After, first N requests only", async () => {
    await withFaults([{ kind: "rate-limit", match: { host: "registry", path: "/manifests/" }, count: 1, retryAfter: 7 }], async (sim) => {
      const r = await getManifest(sim, "jdoe/tool", "1.0");
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("7");
      expect(((await r.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe("TOOMANYREQUESTS");
      expect((await getManifest(sim, "jdoe/tool", "1.0")).status).toBe(200);
      expect(sim.stats.faultsInjected).toBe(1);
    });
  });

  it("Hub API 429 with JSON detail, and the text/plain HAP429 variant", async () => {
    await withFaults(
      [
        { kind: "rate-limit", match: { host: "hub", path: "^/v2/namespaces/" }, count: 1, retryAfter: 2 },
        { kind: "hap429", match: { host: "hub", path: "^/v2/users/" }, count: 1, retryAfter: 60 },
      ],
      async (sim) => {
        const a = await fetch(`${sim.hubApiUrl}/v2/namespaces/rocketco/repositories`);
        expect(a.status).toBe(429);
        expect(a.headers.get("retry-after")).toBe("2");
        expect(a.headers.get("x-ratelimit-remaining")).toBe("0");
        expect(await a.json()).toEqual({ detail: "Rate limit exceeded", error: false });
        const b = await fetch(`${sim.hubApiUrl}/v2/users/jdoe/`);
        expect(b.status).toBe(429);
        expect(b.headers.get("content-type")).toBe("text/plain");
        expect(b.headers.get("retry-after")).toBe("60");
        expect(await b.text()).toBe("Too Many Requests (HAP429).\n");
      },
    );
  });

  it("5xx with an HTML body", async () => {
    await withFaults([{ kind: "server-error", status: 504, match: { host: "hub" }, count: 2 }], async (sim) => {
      for (let i = 0; i < 2; i++) {
        const r = await fetch(`${sim.hubApiUrl}/v2/users/jdoe/`);
        expect(r.status).toBe(504);
        expect(r.headers.get("content-type")).toBe("text/html");
        expect(await r.text()).toContain("<html>");
      }
      expect((await fetch(`${sim.hubApiUrl}/v2/users/jdoe/`)).status).toBe(200);
    });
  });

  it("slow bodies arrive complete, in chunks", async () => {
    await withFaults([{ kind: "slow", match: { host: "blob" }, chunkBytes: 64, delayMs: 5 }], async (sim) => {
      const t = await token(sim, "jdoe/tool");
      const man = (await (await getManifest(sim, "jdoe/tool", "1.0")).json()) as { layers: Array<{ digest: string }> };
      const r = await fetch(`${sim.registryUrl}/v2/jdoe/tool/blobs/${man.layers[0]!.digest}`, { headers: { authorization: `Bearer ${t}` }, redirect: "manual" });
      const b = await fetch(r.headers.get("location")!);
      const reader = b.body!.getReader();
      const chunks: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
      expect(chunks.length).toBeGreaterThan(1);
      expect(sha(Buffer.concat(chunks))).toBe(man.layers[0]!.digest);
    });
  });

  it("truncated blobs end the stream early with an error", async () => {
    await withFaults([{ kind: "truncate", match: { host: "blob" }, truncateAt: 10 }], async (sim) => {
      const t = await token(sim, "jdoe/tool");
      const man = (await (await getManifest(sim, "jdoe/tool", "1.0")).json()) as { layers: Array<{ digest: string }> };
      const r = await fetch(`${sim.registryUrl}/v2/jdoe/tool/blobs/${man.layers[0]!.digest}`, { headers: { authorization: `Bearer ${t}` }, redirect: "manual" });
      const b = await fetch(r.headers.get("location")!);
      await expect(b.arrayBuffer()).rejects.toThrow();
    });
  });

  it("wrong digests: the body no longer hashes to its digest (manifests stay valid JSON)", async () => {
    await withFaults([{ kind: "wrong-digest", match: { host: "registry", path: "/manifests/", method: "GET" }, count: 1 }], async (sim) => {
      const r = await getManifest(sim, "jdoe/tool", "1.0");
      const body = Buffer.from(await r.arrayBuffer());
      expect(sha(body)).not.toBe(r.headers.get("docker-content-digest"));
      expect(() => JSON.parse(body.toString())).not.toThrow();
      const ok = await getManifest(sim, "jdoe/tool", "1.0");
      expect(sha(Buffer.from(await ok.arrayBuffer()))).toBe(ok.headers.get("docker-content-digest"));
    });
  });

  it("probability faults are reproducible with the same seed", async () => {
    const pattern = async (seed: number) => {
      const out: number[] = [];
      await withFaults([{ kind: "server-error", match: { host: "search" }, probability: 0.5 }], async (sim) => {
        for (let i = 0; i < 16; i++) out.push((await fetch(`${sim.searchUrl}/v1/search?q=tool`)).status);
      }, seed);
      return out;
    };
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it("the Hub API budget runs out with 429 and Retry-After", async () => {
    const sim = await startHubSim({ world: parseWorld(worldInput()), apiLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${sim.hubApiUrl}/v2/users/jdoe/`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const r = await fetch(`${sim.hubApiUrl}/v2/users/jdoe/`);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });
});

describe("world validation", () => {
  it("lists every problem with its path", () => {
    const w = worldInput() as { repositories: Array<{ tags: Array<{ image: string }> }>; accounts: Array<{ namespace: string }> };
    w.repositories[0]!.tags[0]!.image = "missing";
    w.accounts[1]!.namespace = "Bad Name";
    let err: unknown;
    try {
      parseWorld(w);
    } catch (e) {
      err = e;
    }
    const msg = (err as Error).message;
    expect(msg).toContain('repositories[0].tags[0].image: tag "rocketco/a-svc:latest" points to unknown image "missing"');
    expect(msg).toContain("accounts[1].namespace: must be a Docker Hub namespace");
  });
});

// ---------------------------------------------------------------- the checked-in worlds:
// valid, regenerable byte-for-byte, and fully servable (every tag resolves, every blob hashes to its digest).
const root = path.resolve(__dirname, "../..");
const WORLDS = [
  { file: "lib/hubsim/worlds/acme-rockets.json", generator: "lib/hubsim/worlds/generate-acme.ts" },
  { file: "tests/fixtures/worlds/globex.json", generator: "tests/fixtures/worlds/generate-globex.ts" },
];
const ACCEPT_WORLD = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

for (const w of WORLDS) {
  describe(`world ${w.file}`, () => {
    let world: World;
    let sim: HubSim;
    beforeAll(async () => {
      world = await loadWorldFile(path.join(root, w.file));
      sim = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000 });
    });
    afterAll(() => sim?.close());

    it("matches its generator's output and its ground truth is consistent", () => {
      const out = execFileSync(process.execPath, ["--import", "tsx", path.join(root, w.generator), "--check", "--out", path.join(root, w.file)], { cwd: root, encoding: "utf8" });
      expect(out).toContain("is up to date");
      verifyGroundTruth(world);
      const exp = world.expected!;
      expect(exp.shadowAccounts.length).toBeGreaterThan(5);
      expect(exp.lookalikes.length).toBeGreaterThan(exp.shadowAccounts.length);
      const overlap = exp.shadowAccounts.filter((a) => exp.lookalikes.includes(a) || exp.sanctioned.includes(a));
      expect(overlap).toEqual([]);
    });

    it("serves every tag of every public repository with verifiable manifests and blobs", async () => {
      let blobs = 0;
      const seen = new Set<string>();
      for (const r of world.repositories.filter((x) => !x.is_private)) {
        const name = `${r.namespace}/${r.name}`;
        const tok = ((await (await fetch(`${sim.authUrl}?service=registry.docker.io&scope=repository:${name}:pull`)).json()) as { token: string }).token;
        const headers = { authorization: `Bearer ${tok}`, accept: ACCEPT_WORLD };
        const get = async (ref: string) => {
          const res = await fetch(`${sim.registryUrl}/v2/${name}/manifests/${ref}`, { headers });
          expect(res.status, `${name}:${ref}`).toBe(200);
          const body = Buffer.from(await res.arrayBuffer());
          expect(sha(body)).toBe(res.headers.get("docker-content-digest"));
          return JSON.parse(body.toString()) as { manifests?: Array<{ digest: string }>; config?: { digest: string }; layers?: Array<{ digest: string; size: number }> };
        };
        for (const t of r.tags) {
          const top = await get(t.name);
          const mans = top.manifests ? await Promise.all(top.manifests.map((m) => get(m.digest))) : [top];
          for (const m of mans) {
            for (const d of [m.config!, ...m.layers!]) {
              if (seen.has(d.digest)) continue;
              seen.add(d.digest);
              const loc = (await fetch(`${sim.registryUrl}/v2/${name}/blobs/${d.digest}`, { headers, redirect: "manual" })).headers.get("location")!;
              const blob = Buffer.from(await (await fetch(loc)).arrayBuffer());
              expect(sha(blob)).toBe(d.digest);
              blobs++;
            }
          }
        }
      }
      expect(blobs).toBeGreaterThan(world.images.length);
      expect(sim.stats.blobAuthHeaders).toBe(0);
    });

    it("finds the company through search and lists every account's repositories", async () => {
      const id = world.identity!;
      const q = id.sanctioned[0]!;
      const v4 = (await (await fetch(`${sim.hubApiUrl}/api/search/v4?query=${encodeURIComponent(q)}&size=100`)).json()) as { results: Array<{ name: string }> };
      expect(v4.results.some((x) => x.name.startsWith(`${q}/`))).toBe(true);
      for (const a of world.accounts) {
        const list = (await (await fetch(`${sim.hubApiUrl}/v2/namespaces/${a.namespace}/repositories?page_size=100`)).json()) as { count: number };
        expect(list.count).toBe(world.repositories.filter((r) => r.namespace === a.namespace && !r.is_private).length);
        const prof = await fetch(`${sim.hubApiUrl}/v2/${a.type === "organization" ? "orgs" : "users"}/${a.namespace}/`);
        expect(prof.status).toBe(200);
      }
    });
  });
}

// ---------------------------------------------------------------- the CLI, as a new user runs it
describe("stowaway hub-sim CLI", () => {
  const bin = path.join(root, "bin/stowaway.mjs");

  it("prints the URLs and env vars, serves the world, and stops on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [bin, "hub-sim", "--world", path.join(root, "lib/hubsim/worlds/acme-rockets.json"), "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /STOWAWAY_HUB_API_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on("exit", (code) => reject(new Error(`hub-sim exited early (${code}): ${out}`)));
      });
      expect(out).toContain('world "Acme Rockets"');
      expect(out).toMatch(/STOWAWAY_REGISTRY_URL=http:\/\/127\.0\.0\.1:\d+ STOWAWAY_SEARCH_URL=http:\/\/127\.0\.0\.1:\d+/);
      const org = (await (await fetch(`${url}/v2/orgs/acmerockets/`)).json()) as { type: string };
      expect(org.type).toBe("Organization");
      expect((await fetch(`${url}/v2/`)).status).toBe(401);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("explains a bad world file and exits 2", () => {
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [bin, "hub-sim", "--world", path.join(root, "package.json")], { cwd: root, stdio: "pipe" });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain("is not a valid world file");
    expect(stderr).toMatch(/accounts: /);
  });
});
