// The Docker Hub simulator: Hub REST API, v1 search, token service and a read-only registry v2
// on one port (routed by path), plus a second listener standing in for the blob CDN. Shapes,
// paging, status codes and headers follow ../shared/docs/dockerhub-api.md (§9 checklist).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildWorld, MT, type BuiltImage, type BuiltWorld } from "./blobs";
import { FaultPlan, type SimHost } from "./faults";
import type { Account, Fault, Repository, Tag, World } from "./world";

export interface HubSimOptions {
  world: World;
  /** 0 or undefined: any free port */
  port?: number;
  host?: string;
  /** port of the blob origin (default: any free port) */
  blobPort?: number;
  /** added after the world's own faults */
  faults?: Fault[];
  /** emit relative `next`/`previous` links (TruffleHog has seen them) */
  relativeNext?: boolean;
  seed?: number;
  pullLimit?: number;
  apiLimit?: number;
  /** username → access token accepted by /token (Basic) and POST /v2/auth/token; they see their own private repos */
  credentials?: Record<string, string>;
  /** "none": the registry asks for no token at all (public repositories only), like a plain registry */
  registryAuth?: "token" | "none";
}

export interface HubSimStats {
  requests: number;
  byHost: Record<SimHost, number>;
  manifestGets: number;
  manifestHeads: number;
  blobRedirects: number;
  blobGets: number;
  /** requests that reached the blob origin with an Authorization header (must stay 0) */
  blobAuthHeaders: number;
  tokensIssued: number;
  faultsInjected: number;
}

export interface HubSim {
  url: string;
  hubApiUrl: string;
  registryUrl: string;
  searchUrl: string;
  authUrl: string;
  blobUrl: string;
  stats: HubSimStats;
  close(): Promise<void>;
}

const PULL_WINDOW = 21600;
const API_WINDOW = 60;
const TOKEN_TTL = 300;
const ORDERINGS = new Set(["name", "-name", "last_updated", "-last_updated", "pull_count", "-pull_count"]);
const TAG_ORDERINGS = new Set(["name", "-name", "last_updated", "-last_updated"]);
const EPOCH = "2024-01-01T00:00:00.000000Z";

type Req = http.IncomingMessage;
type Res = http.ServerResponse;

interface Ctx {
  req: Req;
  res: Res;
  method: string;
  url: URL;
  host: SimHost;
  fault: Fault | null;
  /** identity for budgets: authenticated username or the client address */
  client: string;
}

interface TokenClaims {
  sub: string;
  access: Array<{ type: string; name: string; actions: string[] }>;
  exp: number;
  iat: number;
}

function hex32(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 32);
}

function num(s: string): number {
  return parseInt(createHash("sha256").update(s).digest("hex").slice(0, 8), 16) % 100_000_000;
}

function micro(d: string | undefined): string | null {
  if (!d) return null;
  const t = new Date(d);
  if (Number.isNaN(t.getTime())) return null;
  return t.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** "1.5K"-style display count used by the v4 search. */
export function displayCount(n: number): string {
  if (n < 1000) return String(n);
  const fmt = (v: number, unit: string) => `${v >= 100 ? Math.floor(v) : Math.floor(v * 10) / 10}${unit}`.replace(".0", "");
  if (n < 1_000_000) return fmt(n / 1000, "K");
  if (n < 1_000_000_000) return fmt(n / 1_000_000, "M");
  return "1B+";
}

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString("base64url");
}

export async function startHubSim(opts: HubSimOptions): Promise<HubSim> {
  const world = opts.world;
  const built: BuiltWorld = buildWorld(world);
  const host = opts.host ?? "127.0.0.1";
  const pullLimit = opts.pullLimit ?? world.pullLimit;
  const apiLimit = opts.apiLimit ?? world.apiLimit;
  const credentials = opts.credentials ?? {};
  const faults = new FaultPlan([...world.faults, ...(opts.faults ?? [])], opts.seed ?? world.seed);
  const key = randomBytes(32);

  const accounts = new Map<string, Account>(world.accounts.map((a) => [a.namespace, a]));
  const repos = new Map<string, Repository>(world.repositories.map((r) => [`${r.namespace}/${r.name}`, r]));
  const reposByNs = new Map<string, Repository[]>();
  for (const r of world.repositories) {
    const list = reposByNs.get(r.namespace) ?? [];
    list.push(r);
    reposByNs.set(r.namespace, list);
  }

  const stats: HubSimStats = {
    requests: 0,
    byHost: { hub: 0, search: 0, token: 0, registry: 0, blob: 0 },
    manifestGets: 0,
    manifestHeads: 0,
    blobRedirects: 0,
    blobGets: 0,
    blobAuthHeaders: 0,
    tokensIssued: 0,
    faultsInjected: 0,
  };
  const pullUsed = new Map<string, number>();
  const apiWindows = new Map<string, { start: number; used: number }>();

  let baseUrl = "";
  let blobBase = "";

  // ---------- helpers ----------

  function sign(payload: object): string {
    const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = b64url(JSON.stringify(payload));
    const sig = b64url(createHmac("sha256", key).update(`${head}.${body}`).digest());
    return `${head}.${body}.${sig}`;
  }

  function verify(token: string): TokenClaims | null {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const expect = createHmac("sha256", key).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2]!, "base64url");
    if (got.length !== expect.length || !timingSafeEqual(got, expect)) return null;
    try {
      const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as TokenClaims;
      if (claims.exp * 1000 < Date.now()) return null;
      return claims;
    } catch {
      return null;
    }
  }

  function basicUser(req: Req): { user: string; ok: boolean } | null {
    const h = req.headers.authorization;
    if (!h || !/^basic /i.test(h)) return null;
    const dec = Buffer.from(h.slice(6).trim(), "base64").toString("utf8");
    const i = dec.indexOf(":");
    const user = i < 0 ? dec : dec.slice(0, i);
    const pass = i < 0 ? "" : dec.slice(i + 1);
    const want = credentials[user];
    return { user, ok: want !== undefined && want === pass };
  }

  /** Hub API caller (Bearer/JWT from POST /v2/auth/token), or null for anonymous. */
  function hubUser(req: Req): string | null {
    const h = req.headers.authorization;
    const m = h ? /^(?:bearer|jwt) (.+)$/i.exec(h) : null;
    if (!m) return null;
    const c = verify(m[1]!.trim());
    return c && c.sub ? c.sub : null;
  }

  function visible(r: Repository, user: string | null): boolean {
    return !r.is_private || (user !== null && user === r.namespace);
  }

  function json(ctx: Ctx, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
    const buf = Buffer.from(JSON.stringify(body));
    send(ctx, status, { "content-type": "application/json", ...headers }, buf);
  }

  function send(ctx: Ctx, status: number, headers: Record<string, string | number>, body: Buffer): void {
    const { res } = ctx;
    const f = ctx.fault;
    let out = body;
    if (f?.kind === "wrong-digest" && body.length > 0) out = corrupt(body);
    res.writeHead(status, { ...headers, "content-length": out.length });
    if (ctx.method === "HEAD" || out.length === 0) {
      res.end();
      return;
    }
    if (f?.kind === "truncate") {
      const n = Math.min(f.truncateAt ?? Math.floor(out.length / 2), Math.max(out.length - 1, 0));
      res.write(out.subarray(0, n), () => res.destroy());
      return;
    }
    if (f?.kind === "slow") {
      const chunk = f.chunkBytes ?? 1024;
      const delay = f.delayMs ?? 50;
      let off = 0;
      const step = () => {
        if (res.destroyed) return;
        if (off >= out.length) {
          res.end();
          return;
        }
        const part = out.subarray(off, off + chunk);
        off += chunk;
        res.write(part);
        setTimeout(step, delay);
      };
      setTimeout(step, delay);
      return;
    }
    res.end(out);
  }

  /** Change one byte; in JSON change a hex digit so the body stays parseable. */
  function corrupt(body: Buffer): Buffer {
    const out = Buffer.from(body);
    const text = out.toString("latin1");
    const m = /sha256:[0-9a-f]{8}/.exec(text);
    if (body[0] === 0x7b && m) {
      const i = m.index + 7;
      out[i] = out[i] === 0x30 ? 0x31 : 0x30;
    } else {
      const i = Math.floor(out.length / 2);
      out[i] = out[i]! ^ 0xff;
    }
    return out;
  }

  function regError(ctx: Ctx, status: number, code: string, message: string, detail: unknown = null, headers: Record<string, string> = {}): void {
    json(ctx, status, { errors: [{ code, message, detail }] }, { "docker-distribution-api-version": "registry/2.0", ...headers });
  }

  function pageParams(ctx: Ctx, def = 10): { page: number; size: number } | null {
    const p = ctx.url.searchParams.get("page") ?? "1";
    const s = ctx.url.searchParams.get("page_size") ?? String(def);
    const page = /^\d+$/.test(p) ? parseInt(p, 10) : NaN;
    const size = /^\d+$/.test(s) ? parseInt(s, 10) : NaN;
    if (!(page >= 1) || !(size >= 1)) {
      json(ctx, 404, { detail: "Invalid page." });
      return null;
    }
    return { page, size: Math.min(size, 100) };
  }

  function linkFor(ctx: Ctx, page: number, size: number): string {
    const u = new URL(ctx.url.toString());
    u.searchParams.set("page", String(page));
    u.searchParams.set("page_size", String(size));
    const rel = `${u.pathname}?${u.searchParams.toString()}`;
    if (opts.relativeNext) return rel;
    const hostHeader = ctx.req.headers.host;
    return `${hostHeader ? `http://${hostHeader}` : baseUrl}${rel}`;
  }

  /** Page envelope; false (and 404 sent) when past the last page. */
  function paged<T>(ctx: Ctx, items: T[], def = 10): { count: number; next: string | null; previous: string | null; results: T[] } | null {
    const pp = pageParams(ctx, def);
    if (!pp) return null;
    const { page, size } = pp;
    const last = Math.max(1, Math.ceil(items.length / size));
    if (page > last) {
      json(ctx, 404, { message: "page not found", errinfo: { page: String(page) } });
      return null;
    }
    return {
      count: items.length,
      next: page < last ? linkFor(ctx, page + 1, size) : null,
      previous: page > 1 ? linkFor(ctx, page - 1, size) : null,
      results: items.slice((page - 1) * size, page * size),
    };
  }

  function sortBy<T extends { name: string; last_updated?: string; pull_count?: number }>(items: T[], ordering: string): T[] {
    const desc = ordering.startsWith("-");
    const field = ordering.replace(/^-/, "");
    const val = (x: T): string | number =>
      field === "name" ? x.name : field === "pull_count" ? (x.pull_count ?? 0) : (x.last_updated ?? "");
    return [...items].sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      const c = va < vb ? -1 : va > vb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      return desc ? -c : c;
    });
  }

  function repoLastUpdated(r: Repository): string | undefined {
    const pushed = r.tags.map((t) => t.pushed).filter((x): x is string => !!x).sort();
    return r.last_updated ?? pushed[pushed.length - 1] ?? r.date_registered;
  }

  function repoMediaTypes(r: Repository): string[] {
    const set = new Set<string>();
    for (const t of r.tags) {
      const img = built.images.get(t.image);
      if (img) set.add(img.mediaType);
    }
    return [...set];
  }

  function repoStorage(r: Repository): number {
    const seen = new Set<string>();
    let size = 0;
    for (const t of r.tags) {
      const img = built.images.get(t.image);
      if (!img || seen.has(img.id)) continue;
      seen.add(img.id);
      size += img.platforms.reduce((s, p) => s + p.size, 0);
    }
    return size;
  }

  function repoEntry(r: Repository, legacy: boolean): Record<string, unknown> {
    const base: Record<string, unknown> = {
      name: r.name,
      namespace: r.namespace,
      repository_type: "image",
      status: 1,
      status_description: "active",
      description: r.description,
      is_private: r.is_private,
      star_count: r.star_count,
      pull_count: r.pull_count,
      last_updated: micro(repoLastUpdated(r)),
      last_modified: micro(repoLastUpdated(r)),
      date_registered: micro(r.date_registered) ?? EPOCH,
      affiliation: "",
      media_types: repoMediaTypes(r),
      content_types: ["image"],
      categories: r.categories.map((c) => ({ name: c, slug: c.toLowerCase().replace(/[^a-z0-9]+/g, "-") })),
      storage_size: repoStorage(r),
    };
    if (legacy) Object.assign(base, { user: r.namespace, is_automated: false, can_edit: false, is_migrated: false });
    return base;
  }

  function repoInfo(r: Repository): Record<string, unknown> {
    return {
      user: r.namespace,
      name: r.name,
      namespace: r.namespace,
      repository_type: "image",
      status: 1,
      status_description: "active",
      description: r.description,
      is_private: r.is_private,
      is_automated: false,
      star_count: r.star_count,
      pull_count: r.pull_count,
      last_updated: micro(repoLastUpdated(r)),
      last_modified: micro(repoLastUpdated(r)),
      date_registered: micro(r.date_registered) ?? EPOCH,
      collaborator_count: 0,
      affiliation: null,
      hub_user: r.namespace,
      has_starred: false,
      full_description: r.full_description,
      permissions: { read: true, write: false, admin: false },
      media_types: repoMediaTypes(r),
      content_types: ["image"],
      categories: r.categories.map((c) => ({ name: c, slug: c.toLowerCase().replace(/[^a-z0-9]+/g, "-") })),
      immutable_tags_settings: { enabled: false, rules: [] },
      storage_size: repoStorage(r),
      source: null,
    };
  }

  function tagEntry(r: Repository, t: Tag): Record<string, unknown> {
    const img = built.images.get(t.image) as BuiltImage;
    const single = img.platforms.length === 1 && img.digest === img.platforms[0]!.manifestDigest;
    const pushed = micro(t.pushed) ?? micro(repoLastUpdated(r)) ?? EPOCH;
    const pulled = t.last_pulled === null ? null : (micro(t.last_pulled) ?? null);
    const creator = num(r.namespace);
    return {
      creator,
      id: num(`${r.namespace}/${r.name}:${t.name}`),
      images: img.platforms.map((p) => ({
        architecture: p.platform.architecture,
        features: "",
        variant: p.platform.variant ?? null,
        digest: p.manifestDigest,
        os: p.platform.os,
        os_features: "",
        os_version: null,
        size: p.size,
        status: "active",
        last_pulled: pulled,
        last_pushed: pushed,
      })),
      last_updated: pushed,
      last_updater: creator,
      last_updater_username: r.namespace,
      name: t.name,
      repository: num(`${r.namespace}/${r.name}`),
      full_size: img.platforms.reduce((s, p) => s + p.size, 0),
      v2: true,
      tag_status: "active",
      tag_last_pulled: pulled,
      tag_last_pushed: pushed,
      media_type: single && img.mediaType === MT.dockerManifest ? MT.dockerConfig : img.mediaType,
      content_type: "image",
      digest: img.digest,
    };
  }

  function accountBody(a: Account): Record<string, unknown> {
    const common = {
      id: hex32(a.namespace),
      full_name: a.full_name,
      location: a.location,
      company: a.company,
      profile_url: a.profile_url,
      date_joined: micro(a.date_joined) ?? EPOCH,
      gravatar_url: a.gravatar_email ? `https://www.gravatar.com/avatar/${createHash("md5").update(a.gravatar_email.trim().toLowerCase()).digest("hex")}?s=80&r=g&d=mm` : "",
      gravatar_email: a.gravatar_email,
    };
    if (a.type === "organization") return { ...common, orgname: a.namespace, type: "Organization", badge: a.badge };
    return { ...common, uuid: `${hex32(a.namespace).slice(0, 8)}-${hex32(a.namespace).slice(8, 12)}-${hex32(a.namespace).slice(12, 16)}-${hex32(a.namespace).slice(16, 20)}-${hex32(a.namespace).slice(20, 32)}`, username: a.namespace, type: "User" };
  }

  function searchMatches(query: string, user: string | null): Repository[] {
    const q = query.trim().toLowerCase();
    const terms = q.split(/\s+/).filter(Boolean);
    return world.repositories
      .filter((r) => repos.get(`${r.namespace}/${r.name}`) === r && (!r.is_private || visible(r, user)))
      .filter((r) => {
        const hay = `${r.namespace}/${r.name} ${r.description}`.toLowerCase();
        return terms.length === 0 || terms.every((t) => hay.includes(t));
      })
      .sort((a, b) => b.pull_count - a.pull_count || (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
  }

  function badgeOf(r: Repository): string {
    if (r.namespace === "library") return "official";
    return accounts.get(r.namespace)?.badge || "none";
  }

  // ---------- Hub API ----------

  function hubRateHeaders(ctx: Ctx): Record<string, string> | null {
    const now = Math.floor(Date.now() / 1000);
    let w = apiWindows.get(ctx.client);
    if (!w || now - w.start >= API_WINDOW) {
      w = { start: now, used: 0 };
      apiWindows.set(ctx.client, w);
    }
    const reset = w.start + API_WINDOW;
    if (w.used >= apiLimit) {
      json(ctx, 429, { detail: "Rate limit exceeded", error: false }, {
        "retry-after": String(Math.max(1, reset - now)),
        "x-ratelimit-limit": String(apiLimit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset),
      });
      return null;
    }
    w.used++;
    return { "x-ratelimit-limit": String(apiLimit), "x-ratelimit-remaining": String(apiLimit - w.used), "x-ratelimit-reset": String(reset) };
  }

  /**
   * `DELETE /v2/repositories/{ns}/{repo}/` (also on the namespaces path), as the real Hub offers
   * the repository's owner: 202 and the repository with its tags is gone from listings, search,
   * tokens and the registry. Lets a test play the owner who deletes leaked images.
   */
  function deleteRepository(ctx: Ctx, user: string | null): void {
    const m = /^\/v2\/(?:namespaces\/([^/]+)\/repositories|repositories\/([^/]+))\/([^/]+)\/?$/.exec(ctx.url.pathname);
    if (!m) return json(ctx, 405, { detail: `Method "DELETE" not allowed.` });
    const rl = hubRateHeaders(ctx);
    if (!rl) return;
    if (!user) return json(ctx, 401, { detail: "Authentication credentials were not provided." }, rl);
    const ns = decodeURIComponent(m[1] ?? m[2]!).toLowerCase();
    const key = `${ns}/${decodeURIComponent(m[3]!)}`;
    const r = repos.get(key);
    if (!r || !visible(r, user)) return json(ctx, 404, { message: "object not found", errinfo: {} }, rl);
    if (user !== ns) return json(ctx, 403, { detail: "You do not have permission to perform this action." }, rl);
    repos.delete(key);
    reposByNs.set(ns, (reposByNs.get(ns) ?? []).filter((x) => x !== r));
    send(ctx, 202, rl, Buffer.alloc(0));
  }

  async function handleHub(ctx: Ctx): Promise<void> {
    const path = ctx.url.pathname;
    const q = ctx.url.searchParams;
    const user = hubUser(ctx.req);

    if (path === "/v2/auth/token" || path === "/v2/users/login" || path === "/v2/users/login/") {
      if (ctx.method !== "POST") return json(ctx, 405, { detail: "Method not allowed." });
      const body = await readBody(ctx.req, 64 * 1024);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      } catch {
        return json(ctx, 400, { detail: "invalid JSON body" });
      }
      const id = String(parsed.identifier ?? parsed.username ?? "");
      const secret = String(parsed.secret ?? parsed.password ?? "");
      if (!id || credentials[id] === undefined || credentials[id] !== secret) {
        return json(ctx, 401, { detail: "Incorrect authentication credentials.", message: "Incorrect authentication credentials." });
      }
      const now = Math.floor(Date.now() / 1000);
      const jwt = sign({ sub: id, access: [], iat: now, exp: now + 600, "https://hub.docker.com": { username: id } });
      return json(ctx, 200, path === "/v2/auth/token" ? { access_token: jwt } : { token: jwt });
    }

    if (ctx.method === "DELETE") return deleteRepository(ctx, user);
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return json(ctx, 405, { detail: `Method "${ctx.method}" not allowed.` });
    const rl = hubRateHeaders(ctx);
    if (!rl) return;
    const ok = (body: unknown) => json(ctx, 200, body, rl);
    const notFound = () => json(ctx, 404, { message: "object not found", errinfo: {} }, rl);

    // search v4
    if (path === "/api/search/v4" || path === "/api/search/v4/") {
      const from = Math.max(0, parseInt(q.get("from") ?? "0", 10) || 0);
      const size = Math.min(100, Math.max(1, parseInt(q.get("size") ?? "25", 10) || 25));
      let hits = searchMatches(q.get("query") ?? "", user);
      const badges = q.get("badges");
      if (badges) {
        const want = new Set(badges.split(","));
        hits = hits.filter((r) => want.has(badgeOf(r)));
      }
      if (q.get("sort") === "updated_at") hits = sortBy(hits.map((r) => ({ ...r, last_updated: repoLastUpdated(r) })), q.get("order") === "asc" ? "last_updated" : "-last_updated");
      else if (q.get("sort") === "pull_count" && q.get("order") === "asc") hits = [...hits].reverse();
      return ok({
        total: hits.length,
        results: hits.slice(from, from + size).map((r) => {
          const img = r.tags[0] ? built.images.get(r.tags[0].image) : undefined;
          const arches = [...new Set((img?.platforms ?? []).map((p) => p.platform.architecture))];
          const name = r.namespace === "library" ? r.name : `${r.namespace}/${r.name}`;
          return {
            id: hex32(`repo:${r.namespace}/${r.name}`),
            name,
            slug: name,
            type: "image",
            publisher: { id: hex32(r.namespace), name: r.namespace === "library" ? "Docker Official Images" : r.namespace },
            created_at: micro(r.date_registered) ?? EPOCH,
            updated_at: micro(repoLastUpdated(r)) ?? EPOCH,
            short_description: r.description,
            badge: badgeOf(r),
            star_count: r.star_count,
            pull_count: displayCount(r.pull_count),
            operating_systems: [{ name: "linux", label: "Linux" }],
            architectures: arches.map((a) => ({ name: a, label: a === "amd64" ? "x86-64" : a === "arm64" ? "ARM 64" : a })),
            logo_url: { large: null, small: null },
            extension_reviewed: false,
            categories: r.categories.map((c) => ({ name: c, slug: c.toLowerCase().replace(/[^a-z0-9]+/g, "-") })),
            archived: false,
          };
        }),
      });
    }

    // older search
    if (path === "/v2/search/repositories" || path === "/v2/search/repositories/") {
      let hits = searchMatches(q.get("query") ?? "", user);
      if (q.get("is_official") === "true") hits = hits.filter((r) => r.namespace === "library");
      const env = paged(
        ctx,
        hits.map((r) => ({
          repo_name: r.namespace === "library" ? r.name : `${r.namespace}/${r.name}`,
          short_description: r.description,
          star_count: r.star_count,
          pull_count: r.pull_count,
          repo_owner: "",
          is_automated: false,
          is_official: r.namespace === "library",
        })),
        25,
      );
      if (env) ok(env);
      return;
    }

    // profiles with cross-redirects
    let m = /^\/v2\/(users|orgs)\/([^/]+)\/?$/.exec(path);
    if (m) {
      const kind = m[1]!;
      const a = accounts.get(decodeURIComponent(m[2]!).toLowerCase());
      if (!a) return notFound();
      const want = a.type === "organization" ? "orgs" : "users";
      if (want !== kind) {
        ctx.res.writeHead(308, { location: `/v2/${want}/${a.namespace}/`, "content-length": 0, ...rl });
        ctx.res.end();
        return;
      }
      return ok(accountBody(a));
    }

    // repository lists
    m = /^\/v2\/namespaces\/([^/]+)\/repositories\/?$/.exec(path) ?? /^\/v2\/repositories\/([^/]+)\/?$/.exec(path);
    if (m) {
      const legacy = path.startsWith("/v2/repositories/");
      const ordering = q.get("ordering");
      if (ordering !== null && !ORDERINGS.has(ordering)) {
        return json(ctx, 400, { fields: { ordering: [`Invalid ordering value: ${ordering}`] }, text: "Invalid ordering value" }, rl);
      }
      const ns = decodeURIComponent(m[1]!).toLowerCase();
      const nameFilter = (q.get("name") ?? "").toLowerCase();
      let list = (reposByNs.get(ns) ?? []).filter((r) => visible(r, user) && (!nameFilter || r.name.includes(nameFilter)));
      list = sortBy(
        list.map((r) => ({ r, name: r.name, pull_count: r.pull_count, last_updated: repoLastUpdated(r) })),
        ordering ?? "-last_updated",
      ).map((x) => x.r);
      const env = paged(ctx, list.map((r) => repoEntry(r, legacy)));
      if (env) ok(env);
      return;
    }

    // tags
    m =
      /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags(?:\/([^/]+))?\/?$/.exec(path) ??
      /^\/v2\/repositories\/([^/]+)\/([^/]+)\/tags(?:\/([^/]+))?\/?$/.exec(path);
    if (m) {
      const r = repos.get(`${decodeURIComponent(m[1]!).toLowerCase()}/${decodeURIComponent(m[2]!)}`);
      if (!r || !visible(r, user)) return notFound();
      if (m[3]) {
        const t = r.tags.find((x) => x.name === decodeURIComponent(m![3]!));
        return t ? ok(tagEntry(r, t)) : notFound();
      }
      const ordering = q.get("ordering");
      if (ordering !== null && !TAG_ORDERINGS.has(ordering)) {
        return json(ctx, 400, { fields: { ordering: [`Invalid ordering value: ${ordering}`] }, text: "Invalid ordering value" }, rl);
      }
      const nameFilter = q.get("name") ?? "";
      const tags = sortBy(
        r.tags.filter((t) => !nameFilter || t.name.includes(nameFilter)).map((t) => ({ t, name: t.name, last_updated: t.pushed ?? "" })),
        ordering ?? "-last_updated",
      ).map((x) => tagEntry(r, x.t));
      const env = paged(ctx, tags);
      if (env) ok(env);
      return;
    }

    // one repository
    m = /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/?$/.exec(path) ?? /^\/v2\/repositories\/([^/]+)\/([^/]+)\/?$/.exec(path);
    if (m) {
      const r = repos.get(`${decodeURIComponent(m[1]!).toLowerCase()}/${decodeURIComponent(m[2]!)}`);
      if (!r || !visible(r, user)) return notFound();
      return ok(repoInfo(r));
    }

    return notFound();
  }

  // ---------- v1 search ----------

  function handleV1Search(ctx: Ctx): void {
    const q = ctx.url.searchParams;
    const nRaw = q.get("n") ?? "25";
    const n = /^\d+$/.test(nRaw) ? parseInt(nRaw, 10) : NaN;
    if (!(n >= 1 && n <= 100)) return json(ctx, 400, { error: "Invalid n parameter: must be between 1 and 100" });
    const page = Math.max(1, parseInt(q.get("page") ?? "1", 10) || 1);
    const query = q.get("q") ?? "";
    const hits = searchMatches(query, null);
    json(ctx, 200, {
      query,
      num_results: hits.length,
      num_pages: Math.max(1, Math.ceil(hits.length / n)),
      page,
      page_size: n,
      results: hits.slice((page - 1) * n, page * n).map((r) => ({
        name: r.namespace === "library" ? r.name : `${r.namespace}/${r.name}`,
        description: r.description,
        star_count: r.star_count,
        is_official: r.namespace === "library",
        is_automated: false,
        is_trusted: false,
      })),
    });
  }

  // ---------- token service ----------

  function canPull(name: string, user: string | null): boolean {
    const r = repos.get(name);
    return !!r && visible(r, user);
  }

  function handleToken(ctx: Ctx): void {
    const basic = basicUser(ctx.req);
    if (basic && !basic.ok) return json(ctx, 401, { details: "incorrect username or password" });
    const user = basic?.ok ? basic.user : null;
    const scopes = ctx.url.searchParams.getAll("scope");
    const access: TokenClaims["access"] = [];
    for (const s of scopes.flatMap((x) => x.split(" "))) {
      const m = /^repository:([^:]+):(.*)$/.exec(s);
      if (!m) continue;
      const name = m[1]!.includes("/") ? m[1]! : `library/${m[1]!}`;
      const asked = m[2]!.split(",");
      access.push({ type: "repository", name, actions: asked.includes("pull") && canPull(name, user) ? ["pull"] : [] });
    }
    const now = Math.floor(Date.now() / 1000);
    const token = sign({ sub: user ?? "", access, iat: now, exp: now + TOKEN_TTL, iss: "hubsim" });
    stats.tokensIssued++;
    json(ctx, 200, { token, access_token: token, expires_in: TOKEN_TTL, issued_at: new Date(now * 1000).toISOString() });
  }

  // ---------- registry ----------

  function challenge(scope?: string, error?: string): string {
    let h = `Bearer realm="${baseUrl}/token",service="registry.docker.io"`;
    if (scope) h += `,scope="${scope}"`;
    if (error) h += `,error="${error}"`;
    return h;
  }

  function registryAuth(ctx: Ctx, name: string): TokenClaims | null {
    const h = ctx.req.headers.authorization;
    const m = h ? /^bearer (.+)$/i.exec(h) : null;
    const claims = m ? verify(m[1]!.trim()) : null;
    const scope = `repository:${name}:pull`;
    if (opts.registryAuth === "none" && !claims) {
      if (canPull(name, null)) return { sub: "", access: [{ type: "repository", name, actions: ["pull"] }], exp: 0, iat: 0 };
      regError(ctx, 404, "NAME_UNKNOWN", "repository name not known to registry", { name });
      return null;
    }
    if (!claims) {
      regError(ctx, 401, "UNAUTHORIZED", "authentication required", [{ Type: "repository", Class: "", Name: name, Action: "pull" }], {
        "www-authenticate": challenge(scope),
      });
      return null;
    }
    const granted = claims.access.some((a) => a.type === "repository" && a.name === name && a.actions.includes("pull"));
    if (!granted || !canPull(name, claims.sub || null)) {
      regError(ctx, 401, "UNAUTHORIZED", "authentication required", [{ Type: "repository", Class: "", Name: name, Action: "pull" }], {
        "www-authenticate": challenge(scope, "insufficient_scope"),
      });
      return null;
    }
    return claims;
  }

  function pullHeaders(client: string, spend: boolean): { headers: Record<string, string>; exhausted: boolean } {
    const used = pullUsed.get(client) ?? 0;
    if (spend && used >= pullLimit) {
      return { headers: { "ratelimit-limit": `${pullLimit};w=${PULL_WINDOW}`, "ratelimit-remaining": `0;w=${PULL_WINDOW}`, "docker-ratelimit-source": client }, exhausted: true };
    }
    const now = spend ? used + 1 : used;
    if (spend) pullUsed.set(client, now);
    return {
      headers: { "ratelimit-limit": `${pullLimit};w=${PULL_WINDOW}`, "ratelimit-remaining": `${pullLimit - now};w=${PULL_WINDOW}`, "docker-ratelimit-source": client },
      exhausted: false,
    };
  }

  function accepts(ctx: Ctx): Set<string> | "all" {
    const raw = ctx.req.headers.accept;
    const values = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").map((x) => x.split(";")[0]!.trim()).filter(Boolean);
    if (values.includes("*/*")) return "all";
    return new Set(values);
  }

  function handleRegistry(ctx: Ctx): void {
    const path = ctx.url.pathname;
    const base = { "docker-distribution-api-version": "registry/2.0" };
    if (path === "/v2/" || path === "/v2") {
      const h = ctx.req.headers.authorization;
      const m = h ? /^bearer (.+)$/i.exec(h) : null;
      if (opts.registryAuth === "none" || (m && verify(m[1]!.trim()))) return json(ctx, 200, {}, base);
      return regError(ctx, 401, "UNAUTHORIZED", "authentication required", null, { "www-authenticate": challenge() });
    }
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return regError(ctx, 405, "UNSUPPORTED", "The operation is unsupported.");
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path) ?? /^\/v2\/(.+)\/(tags)\/(list)$/.exec(path);
    if (!m) return regError(ctx, 404, "NAME_UNKNOWN", "repository name not known to registry");
    const name = decodeURIComponent(m[1]!);
    const kind = m[2]!;
    const ref = decodeURIComponent(m[3]!);
    const claims = registryAuth(ctx, name);
    if (!claims) return;
    const repo = repos.get(name)!;
    const digests = built.repoDigests.get(name) ?? new Set<string>();

    if (kind === "tags") {
      const env = { name, tags: repo.tags.map((t) => t.name).sort() };
      return json(ctx, 200, env, base);
    }

    if (kind === "manifests") {
      let digest: string | undefined;
      if (ref.startsWith("sha256:")) digest = digests.has(ref) && built.manifests.has(ref) ? ref : undefined;
      else {
        const t = repo.tags.find((x) => x.name === ref);
        digest = t ? built.images.get(t.image)?.digest : undefined;
      }
      if (!digest) return regError(ctx, 404, "MANIFEST_UNKNOWN", "manifest unknown", { Tag: ref }, base);
      let blob = built.manifests.get(digest)!;
      const acc = accepts(ctx);
      const ok = (t: string) => acc === "all" || acc.has(t);
      if (blob.mediaType === MT.ociIndex && !ok(MT.ociIndex)) {
        return regError(ctx, 404, "MANIFEST_UNKNOWN", "OCI index found, but accept header does not support OCI indexes", null, base);
      }
      if (blob.mediaType === MT.ociManifest && !ok(MT.ociManifest)) {
        return regError(ctx, 404, "MANIFEST_UNKNOWN", "OCI manifest found, but accept header does not support OCI manifests", null, base);
      }
      if (blob.mediaType === MT.dockerList && !ok(MT.dockerList) && !ref.startsWith("sha256:")) {
        // like distribution: a client that cannot read lists gets the linux/amd64 manifest
        const list = JSON.parse(blob.bytes.toString("utf8")) as { manifests: Array<{ digest: string; platform?: { os: string; architecture: string } }> };
        const d = list.manifests.find((x) => x.platform?.os === "linux" && x.platform.architecture === "amd64")?.digest;
        if (!d) return regError(ctx, 404, "MANIFEST_UNKNOWN", "manifest list found, but no linux/amd64 manifest", null, base);
        blob = built.manifests.get(d)!;
      }
      const spend = ctx.method === "GET";
      if (spend) stats.manifestGets++;
      else stats.manifestHeads++;
      const rl = pullHeaders(claims.sub || ctx.client, spend);
      if (rl.exhausted) {
        return regError(ctx, 429, "TOOMANYREQUESTS", "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit", null, { ...base, ...rl.headers });
      }
      return send(ctx, 200, { ...base, ...rl.headers, "content-type": blob.mediaType, "docker-content-digest": blob.digest, etag: `"${blob.digest}"` }, blob.bytes);
    }

    // blobs
    const blob = digests.has(ref) ? built.blobs.get(ref) : undefined;
    if (!blob) return regError(ctx, 404, "BLOB_UNKNOWN", "blob unknown to registry", { digest: ref }, base);
    if (ctx.method === "HEAD") {
      ctx.res.writeHead(200, { ...base, "content-type": "application/octet-stream", "content-length": blob.bytes.length, "docker-content-digest": blob.digest, etag: `"${blob.digest}"` });
      ctx.res.end();
      return;
    }
    stats.blobRedirects++;
    const expires = Math.floor(Date.now() / 1000) + 1200;
    const sig = createHmac("sha256", key).update(`${blob.digest}:${expires}`).digest("hex").slice(0, 32);
    const location = `${blobBase}/registry-v2/docker/registry/v2/blobs/sha256/${blob.digest.slice(7, 9)}/${blob.digest.slice(7)}/data?expires=${expires}&signature=${sig}`;
    ctx.res.writeHead(307, { ...base, location, "content-length": 0, "docker-content-digest": blob.digest });
    ctx.res.end();
  }

  // ---------- blob origin ----------

  function handleBlobOrigin(ctx: Ctx): void {
    if (ctx.req.headers.authorization !== undefined) {
      stats.blobAuthHeaders++;
      return json(ctx, 400, { error: "InvalidArgument", message: "Authorization header must not be sent to the blob origin" });
    }
    const m = /^\/registry-v2\/docker\/registry\/v2\/blobs\/sha256\/[0-9a-f]{2}\/([0-9a-f]{64})\/data$/.exec(ctx.url.pathname);
    const digest = m ? `sha256:${m[1]}` : "";
    const expires = parseInt(ctx.url.searchParams.get("expires") ?? "0", 10);
    const sig = ctx.url.searchParams.get("signature") ?? "";
    const want = createHmac("sha256", key).update(`${digest}:${expires}`).digest("hex").slice(0, 32);
    if (!m || sig !== want || expires * 1000 < Date.now()) {
      return send(ctx, 403, { "content-type": "application/xml" }, Buffer.from("<Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>"));
    }
    const blob = built.blobs.get(digest);
    if (!blob) return send(ctx, 404, { "content-type": "application/xml" }, Buffer.from("<Error><Code>NoSuchKey</Code></Error>"));
    stats.blobGets++;
    send(ctx, 200, { "content-type": "application/octet-stream", etag: `"${blob.digest.slice(7, 39)}"`, "accept-ranges": "bytes" }, blob.bytes);
  }

  // ---------- dispatch ----------

  function classify(pathname: string): SimHost {
    if (pathname === "/token" || pathname === "/token/") return "token";
    if (pathname.startsWith("/v1/search")) return "search";
    if (pathname === "/v2/" || pathname === "/v2") return "registry";
    if (/^\/v2\/.+\/(manifests|blobs)\/[^/]+$/.test(pathname) || /^\/v2\/.+\/tags\/list$/.test(pathname)) {
      // Hub API paths never contain /manifests/ or /blobs/; /v2/repositories/x/y/tags/list is a Hub tag named "list"
      if (!/^\/v2\/(repositories|namespaces)\//.test(pathname) || /\/(manifests|blobs)\//.test(pathname)) return "registry";
    }
    return "hub";
  }

  function faultResponse(ctx: Ctx, f: Fault): boolean {
    const retry = String(f.retryAfter ?? 1);
    if (f.kind === "hap429") {
      ctx.res.writeHead(429, { "content-type": "text/plain", "retry-after": retry });
      ctx.res.end(ctx.method === "HEAD" ? undefined : "Too Many Requests (HAP429).\n");
      return true;
    }
    if (f.kind === "rate-limit") {
      if (ctx.host === "hub") {
        json(ctx, 429, { detail: "Rate limit exceeded", error: false }, {
          "retry-after": retry,
          "x-ratelimit-limit": String(apiLimit),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + Number(retry)),
        });
      } else {
        regError(ctx, 429, "TOOMANYREQUESTS", "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit", null, {
          "retry-after": retry,
          "ratelimit-limit": `${pullLimit};w=${PULL_WINDOW}`,
          "ratelimit-remaining": `0;w=${PULL_WINDOW}`,
        });
      }
      return true;
    }
    if (f.kind === "server-error") {
      const status = f.status ?? 503;
      const html = `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? "Server Error"}</h1>\nThe server is temporarily unable to service your request.\n</body></html>\n`;
      send({ ...ctx, fault: null }, status, { "content-type": "text/html" }, Buffer.from(html));
      return true;
    }
    return false; // body faults are applied while sending
  }

  function makeHandler(origin: "main" | "blob") {
    return (req: Req, res: Res) => {
      stats.requests++;
      const method = (req.method ?? "GET").toUpperCase();
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://sim.invalid");
      } catch {
        res.writeHead(400).end();
        return;
      }
      const simHost: SimHost = origin === "blob" ? "blob" : classify(url.pathname);
      stats.byHost[simHost]++;
      const basic = basicUser(req);
      const client = hubUser(req) ?? (basic?.ok ? basic.user : null) ?? req.socket.remoteAddress ?? "unknown";
      const ctx: Ctx = { req, res, method, url, host: simHost, fault: null, client };
      const fault = faults.pick(simHost, method, `${url.pathname}${url.search}`);
      stats.faultsInjected = faults.injected;
      if (fault) {
        ctx.fault = fault;
        if (faultResponse(ctx, fault)) return;
      }
      const run = async () => {
        if (origin === "blob") return handleBlobOrigin(ctx);
        if (simHost === "token") return handleToken(ctx);
        if (simHost === "search") return handleV1Search(ctx);
        if (simHost === "registry") return handleRegistry(ctx);
        return handleHub(ctx);
      };
      run().catch((e: unknown) => {
        if (!res.headersSent) json({ ...ctx, fault: null }, 500, { detail: `hub-sim internal error: ${(e as Error).message}` });
        else res.destroy();
      });
    };
  }

  const main = http.createServer(makeHandler("main"));
  const blobs = http.createServer(makeHandler("blob"));
  const listen = (s: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
    });
  const port = await listen(main, opts.port ?? 0);
  let blobPort: number;
  try {
    blobPort = await listen(blobs, opts.blobPort ?? 0);
  } catch (e) {
    main.close();
    throw e;
  }
  const h = host.includes(":") ? `[${host}]` : host;
  baseUrl = `http://${h}:${port}`;
  blobBase = `http://${h}:${blobPort}`;

  const close = async () => {
    const c = (s: http.Server) =>
      new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    await Promise.all([c(main), c(blobs)]);
  };

  return {
    url: baseUrl,
    hubApiUrl: baseUrl,
    registryUrl: baseUrl,
    searchUrl: baseUrl,
    authUrl: `${baseUrl}/token`,
    blobUrl: blobBase,
    stats,
    close,
  };
}

function readBody(req: Req, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on("data", (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
