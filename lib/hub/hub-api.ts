// Docker Hub REST API client: search (v4 → v2 → v1 fallback), namespace repositories,
// profiles, repository details and tags. All pages are followed through `next` (absolute or
// relative, same origin only); the documented endpoint is tried first, the legacy one on 404.
import { AppError } from "@/lib/errors";
import { HttpClient, describeUrl, type HttpClientOptions, type HttpResponse } from "./http";
import {
  errorDetail,
  parseAccount,
  parseLogin,
  parsePage,
  parseRepositoryDetails,
  parseRepositoryItems,
  parseSearchV1,
  parseSearchV2Items,
  parseSearchV4,
  parseTagItems,
} from "./hub-schemas";
import type { HubCredentials } from "./registry";
import type { HubAccountProfile, HubApi, HubRepositoryDetails, HubRepositorySummary, HubSearchResult, HubTag, SearchOptions } from "./types";

export interface HubApiOptions extends HttpClientOptions {
  /** default https://hub.docker.com */
  hubApiUrl?: string;
  /** v1 search host, default https://index.docker.io */
  searchUrl?: string;
  credentials?: HubCredentials;
  /** page size asked for (Hub caps at 100) */
  pageSize?: number;
  /** safety stop for runaway paging */
  maxPages?: number;
  http?: HttpClient;
}

const MAX_JSON = 16 * 1024 * 1024;
const NAMESPACE_RE = /^[a-z0-9](?:[a-z0-9._-]{0,253}[a-z0-9])?$/;
const REPO_RE = /^[a-z0-9](?:[a-z0-9._-]{0,253}[a-z0-9])?$/;
const REDIRECTS = [301, 302, 303, 307, 308];

export function validateNamespace(ns: string): string {
  const n = ns.trim().toLowerCase();
  if (!NAMESPACE_RE.test(n)) throw new AppError("INVALID_INPUT", `invalid Docker Hub namespace: ${JSON.stringify(ns.slice(0, 80))}`);
  return n;
}

function validateRepoName(repo: string): string {
  const r = repo.trim().toLowerCase();
  if (!REPO_RE.test(r)) throw new AppError("INVALID_INPUT", `invalid Docker Hub repository name: ${JSON.stringify(repo.slice(0, 80))}`);
  return r;
}

/** Errors worth falling back from (endpoint gone, broken, not JSON); rate limits and aborts are not. */
function isFallbackable(e: unknown): boolean {
  return e instanceof AppError && (e.code === "UPSTREAM_FAILED" || e.code === "NOT_FOUND");
}

export class HubApiClient implements HubApi {
  readonly http: HttpClient;
  private readonly base: string;
  private readonly origin: string;
  private readonly searchBase: string;
  private readonly credentials: HubCredentials | undefined;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private jwt: { token: string; expiresAt: number } | null = null;
  private loginInFlight: Promise<string> | null = null;

  constructor(opts: HubApiOptions = {}) {
    this.http = opts.http ?? new HttpClient(opts);
    this.base = (opts.hubApiUrl ?? "https://hub.docker.com").replace(/\/+$/, "");
    this.origin = new URL(this.base).origin;
    this.searchBase = (opts.searchUrl ?? "https://index.docker.io").replace(/\/+$/, "");
    this.credentials = opts.credentials;
    this.pageSize = Math.min(100, Math.max(1, opts.pageSize ?? 100));
    this.maxPages = opts.maxPages ?? 1000;
  }

  rateLimit() {
    return this.http.rateLimit();
  }

  // --- auth --------------------------------------------------------------------------------

  private async login(signal?: AbortSignal): Promise<string> {
    if (!this.credentials) throw new Error("no credentials");
    if (this.jwt && this.http.now() < this.jwt.expiresAt) return this.jwt.token;
    this.loginInFlight ??= (async () => {
      const url = new URL(`${this.base}/v2/auth/token`);
      const res = await this.http.send(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ identifier: this.credentials!.username, secret: this.credentials!.token }),
        signal,
      });
      if (res.status === 401 || res.status === 403) {
        await res.discard();
        throw new AppError("UNAUTHENTICATED", `Docker Hub rejected the credentials for ${this.credentials!.username} (HTTP ${res.status})`);
      }
      if (!res.ok) return this.fail(res);
      const token = parseLogin(await res.json(64 * 1024), `POST ${describeUrl(url)}`);
      this.jwt = { token, expiresAt: this.http.now() + jwtLifetimeMs(token, this.http.now()) };
      return token;
    })().finally(() => {
      this.loginInFlight = null;
    });
    return this.loginInFlight;
  }

  /** GET with the Hub JWT when configured; a 401 with a JWT means it expired: log in again once. */
  private async get(url: URL, signal?: AbortSignal): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.credentials) headers.authorization = `Bearer ${await this.login(signal)}`;
    const res = await this.http.send(url, { headers, signal });
    if (res.status === 401 && this.credentials) {
      await res.discard();
      this.jwt = null;
      headers.authorization = `Bearer ${await this.login(signal)}`;
      return this.http.send(url, { headers, signal });
    }
    return res;
  }

  private async fail(res: HttpResponse): Promise<never> {
    const detail = errorDetail(await res.jsonOrNull());
    throw new AppError("UPSTREAM_FAILED", `${describeUrl(res.url)} answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`);
  }

  /** Resolves a `next` link (absolute or relative) and refuses to leave the Hub's origin. */
  private nextUrl(next: string | null | undefined, current: URL): URL | null {
    if (!next) return null;
    let u: URL;
    try {
      u = new URL(next, current);
    } catch {
      throw new AppError("UPSTREAM_FAILED", `${describeUrl(current)}: unusable next link`);
    }
    if (u.origin !== current.origin) {
      throw new AppError("UPSTREAM_FAILED", `${describeUrl(current)}: next link points to another host (${u.host})`);
    }
    return u;
  }

  /**
   * Collects every page from `first`. Returns null when the *first* page is 404 (the endpoint
   * or the object is missing); a 404 on a later page means we went past the last one.
   */
  private async collect<T>(
    first: URL,
    parse: (items: unknown[]) => T[],
    opts: { signal?: AbortSignal; limit?: number } = {},
  ): Promise<T[] | null> {
    const out: T[] = [];
    const seen = new Set<string>();
    let url: URL | null = first;
    for (let page = 0; url && page < this.maxPages; page++) {
      seen.add(url.href);
      const res = await this.get(url, opts.signal);
      if (res.status === 404) {
        await res.discard();
        if (page === 0) return null;
        break;
      }
      if (!res.ok) return this.fail(res);
      const body = parsePage(await res.json(MAX_JSON), `GET ${describeUrl(url)}`);
      out.push(...parse(body.results));
      if (opts.limit !== undefined && out.length >= opts.limit) return out.slice(0, opts.limit);
      if (body.results.length === 0) break;
      const next = this.nextUrl(body.next, url);
      if (next && seen.has(next.href)) break; // a server looping its own next link
      url = next;
    }
    return out;
  }

  // --- search ------------------------------------------------------------------------------

  async search(query: string, opts: SearchOptions = {}): Promise<HubSearchResult[]> {
    const q = query.trim();
    if (!q || q.length > 255) throw new AppError("INVALID_INPUT", "search query must be 1–255 characters");
    const limit = Math.max(1, Math.min(opts.limit ?? 100, 10_000));
    const attempts: Array<() => Promise<HubSearchResult[]>> = [
      () => this.searchV4(q, limit, opts.signal),
      () => this.searchV2(q, limit, opts.signal),
      () => this.searchV1(q, limit, opts.signal),
    ];
    let lastError: unknown = null;
    for (const attempt of attempts) {
      try {
        return dedupe(await attempt()).slice(0, limit);
      } catch (e) {
        if (!isFallbackable(e)) throw e;
        lastError = e;
      }
    }
    throw new AppError("UPSTREAM_FAILED", `Docker Hub search failed on every endpoint (last: ${(lastError as Error).message})`, { cause: lastError });
  }

  private async searchV4(q: string, limit: number, signal?: AbortSignal): Promise<HubSearchResult[]> {
    const out: HubSearchResult[] = [];
    let from = 0;
    for (let page = 0; page < this.maxPages && out.length < limit; page++) {
      const url = new URL(`${this.base}/api/search/v4`);
      url.searchParams.set("query", q);
      url.searchParams.set("from", String(from));
      url.searchParams.set("size", String(Math.min(this.pageSize, limit - out.length)));
      url.searchParams.set("type", "image");
      const res = await this.get(url, signal);
      if (res.status === 404 || res.status === 410) {
        await res.discard();
        if (page === 0) throw new AppError("NOT_FOUND", `${describeUrl(url)} is gone (HTTP ${res.status})`);
        break;
      }
      if (!res.ok) return this.fail(res);
      const body = parseSearchV4(await res.json(MAX_JSON), `GET ${describeUrl(url)}`);
      out.push(...body.results);
      if (body.results.length === 0) break;
      from += body.results.length;
      if (body.total !== null && from >= body.total) break;
    }
    return out;
  }

  private async searchV2(q: string, limit: number, signal?: AbortSignal): Promise<HubSearchResult[]> {
    const url = new URL(`${this.base}/v2/search/repositories/`);
    url.searchParams.set("query", q);
    url.searchParams.set("page_size", String(this.pageSize));
    const r = await this.collect(url, parseSearchV2Items, { signal, limit });
    if (r === null) throw new AppError("NOT_FOUND", `${describeUrl(url)} is gone (HTTP 404)`);
    return r;
  }

  /** v1 (what `docker search` uses): n ≤ 100, page-numbered. */
  private async searchV1(q: string, limit: number, signal?: AbortSignal): Promise<HubSearchResult[]> {
    const out: HubSearchResult[] = [];
    for (let page = 1; page <= this.maxPages && out.length < limit; page++) {
      const url = new URL(`${this.searchBase}/v1/search`);
      url.searchParams.set("q", q);
      url.searchParams.set("n", String(Math.min(100, this.pageSize)));
      url.searchParams.set("page", String(page));
      const res = await this.http.send(url, { headers: { accept: "application/json" }, signal });
      if (res.status === 404) {
        await res.discard();
        if (page === 1) throw new AppError("NOT_FOUND", `${describeUrl(url)} is gone (HTTP 404)`);
        break;
      }
      if (!res.ok) {
        if (page > 1 && res.status >= 500) break; // deep v1 pages are known to 500: keep what we have
        return this.fail(res);
      }
      const body = parseSearchV1(await res.json(MAX_JSON), `GET ${describeUrl(url)}`);
      out.push(...body.results);
      if (body.results.length === 0 || body.numPages === null || page >= body.numPages) break;
    }
    return out;
  }

  // --- accounts ------------------------------------------------------------------------------

  async getAccount(namespace: string, opts: { signal?: AbortSignal } = {}): Promise<HubAccountProfile | null> {
    const ns = validateNamespace(namespace);
    const viaUsers = await this.getProfile(new URL(`${this.base}/v2/users/${ns}/`), ns, opts.signal);
    if (viaUsers) return viaUsers;
    // Not every deployment cross-redirects: ask the org path before calling it unknown.
    return this.getProfile(new URL(`${this.base}/v2/orgs/${ns}/`), ns, opts.signal);
  }

  private async getProfile(start: URL, ns: string, signal?: AbortSignal): Promise<HubAccountProfile | null> {
    let url = start;
    for (let hop = 0; hop <= 3; hop++) {
      const res = await this.get(url, signal);
      if (REDIRECTS.includes(res.status)) {
        const loc = res.headers.get("location");
        await res.discard();
        // the users ↔ orgs cross-redirect; the target must stay on the Hub's origin
        const next = this.nextUrl(loc, url);
        if (!next) throw new AppError("UPSTREAM_FAILED", `${describeUrl(url)}: redirect without Location`);
        url = next;
        continue;
      }
      if (res.status === 404) {
        await res.discard();
        return null;
      }
      if (!res.ok) return this.fail(res);
      return parseAccount(await res.json(MAX_JSON), ns, url.pathname.includes("/orgs/"), `GET ${describeUrl(url)}`);
    }
    throw new AppError("UPSTREAM_FAILED", `${describeUrl(start)}: too many redirects`);
  }

  // --- repositories --------------------------------------------------------------------------

  async listRepositories(namespace: string, opts: { signal?: AbortSignal } = {}): Promise<HubRepositorySummary[]> {
    const ns = validateNamespace(namespace);
    const parse = (items: unknown[]) => parseRepositoryItems(items, ns);
    const current = new URL(`${this.base}/v2/namespaces/${ns}/repositories`);
    current.searchParams.set("page_size", String(this.pageSize));
    let repos = await this.collect(current, parse, opts);
    if (repos === null) {
      // 404 on page 1 = the documented endpoint itself is missing (unknown namespaces get 200 [])
      const legacy = new URL(`${this.base}/v2/repositories/${ns}/`);
      legacy.searchParams.set("page_size", String(this.pageSize));
      repos = (await this.collect(legacy, parse, opts)) ?? [];
    }
    const seen = new Set<string>();
    return repos.filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)));
  }

  async getRepository(namespace: string, repo: string, opts: { signal?: AbortSignal } = {}): Promise<HubRepositoryDetails | null> {
    const ns = validateNamespace(namespace);
    const name = validateRepoName(repo);
    for (const url of [new URL(`${this.base}/v2/namespaces/${ns}/repositories/${name}`), new URL(`${this.base}/v2/repositories/${ns}/${name}/`)]) {
      const res = await this.get(url, opts.signal);
      if (res.status === 404) {
        await res.discard();
        continue;
      }
      if (!res.ok) return this.fail(res);
      return parseRepositoryDetails(await res.json(MAX_JSON), ns, `GET ${describeUrl(url)}`);
    }
    return null;
  }

  async listTags(namespace: string, repo: string, opts: { signal?: AbortSignal; limit?: number } = {}): Promise<HubTag[]> {
    const ns = validateNamespace(namespace);
    const name = validateRepoName(repo);
    const current = new URL(`${this.base}/v2/namespaces/${ns}/repositories/${name}/tags`);
    current.searchParams.set("page_size", String(this.pageSize));
    const tags = await this.collect(current, parseTagItems, opts);
    if (tags !== null) return tags;
    const legacy = new URL(`${this.base}/v2/repositories/${ns}/${name}/tags/`);
    legacy.searchParams.set("page_size", String(this.pageSize));
    // both 404: the repository does not exist (or is private): no tags
    return (await this.collect(legacy, parseTagItems, opts)) ?? [];
  }
}

function dedupe(results: HubSearchResult[]): HubSearchResult[] {
  const seen = new Set<string>();
  return results.filter((r) => (seen.has(r.repoName) ? false : (seen.add(r.repoName), true)));
}

/** Lifetime from the JWT's exp claim (minus a minute), else 9 minutes (Hub JWTs last ~10). */
export function jwtLifetimeMs(jwt: string, nowMs: number): number {
  const fallback = 9 * 60_000;
  const payload = jwt.split(".")[1];
  if (!payload) return fallback;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    if (typeof exp !== "number") return fallback;
    return Math.max(0, Math.min(exp * 1000 - nowMs - 60_000, 24 * 3600_000));
  } catch {
    return fallback;
  }
}

export function createHubApi(opts: HubApiOptions = {}): HubApiClient {
  return new HubApiClient(opts);
}
