// Registry v2 reader: bearer tokens per repository scope (realm from the challenge), manifests
// of the four media types with digest checks and size caps, platform selection, config blobs,
// and layer blobs as verified streams with Authorization dropped on cross-host redirects.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { AppError } from "@/lib/errors";
import { DigestVerifier, digestOf, isDigest, parseDigest, verifyDigest } from "./digest";
import { bearerChallenge, parseWwwAuthenticate, type AuthChallenge } from "./headers";
import { HttpClient, describeUrl, type HttpClientOptions, type HttpResponse } from "./http";
import { MANIFEST_ACCEPT, parseImageConfig, parseManifest, parseTokenResponse, type IndexEntry, type ParsedManifest } from "./registry-schemas";
import type {
  Descriptor,
  ImageConfig,
  OpenBlobOptions,
  Platform,
  PlatformImage,
  RegistryReader,
  ResolveOptions,
  ResolvedImage,
} from "./types";

export interface HubCredentials {
  username: string;
  /** personal or organisation access token (or password) */
  token: string;
}

export interface RegistryReaderOptions extends HttpClientOptions {
  /** default https://registry-1.docker.io */
  registryUrl?: string;
  credentials?: HubCredentials;
  /** default 4 MiB */
  maxManifestBytes?: number;
  /** default 8 MiB */
  maxConfigBytes?: number;
  /** share one HTTP layer (concurrency cap, rate-limit state) with other clients */
  http?: HttpClient;
}

const REPO_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DOCKER_HUB_HOSTS = new Set(["registry-1.docker.io", "index.docker.io", "registry.hub.docker.com", "docker.io"]);
const MAX_REDIRECTS = 5;

export function validateRepository(repository: string): void {
  if (repository.length > 255 || !REPO_RE.test(repository)) {
    throw new AppError("INVALID_INPUT", `invalid repository name: ${JSON.stringify(repository.slice(0, 100))}`);
  }
}

export function validateReference(reference: string): void {
  if (!TAG_RE.test(reference) && !isDigest(reference)) {
    throw new AppError("INVALID_INPUT", `invalid tag or digest: ${JSON.stringify(reference.slice(0, 140))}`);
  }
}

/** "os/arch[/variant]" → Platform; "all" → null. */
export function parsePlatform(spec: string | undefined): Platform | null {
  if (!spec || spec === "all") return null;
  const parts = spec.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/i.test(p))) {
    throw new AppError("INVALID_INPUT", `platform must be "all" or "os/arch[/variant]", got ${JSON.stringify(spec.slice(0, 60))}`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function platformMatches(want: Platform, have: Platform): boolean {
  if (want.os !== have.os || want.architecture !== have.architecture) return false;
  return !want.variant || want.variant === have.variant;
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

function isLoopback(u: URL): boolean {
  return u.hostname === "localhost" || u.hostname.startsWith("127.") || u.hostname === "[::1]";
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class RegistryClient implements RegistryReader {
  readonly http: HttpClient;
  private readonly base: string;
  private readonly baseUrl: URL;
  private readonly credentials: HubCredentials | undefined;
  private readonly maxManifestBytes: number;
  private readonly maxConfigBytes: number;
  /** what the registry asked for last: null = no auth seen yet */
  private challenge: AuthChallenge | null = null;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflightTokens = new Map<string, Promise<string>>();
  private readonly configCache = new Map<string, ImageConfig>();

  constructor(opts: RegistryReaderOptions = {}) {
    this.http = opts.http ?? new HttpClient(opts);
    this.base = (opts.registryUrl ?? "https://registry-1.docker.io").replace(/\/+$/, "");
    this.baseUrl = new URL(this.base);
    if (!/^https?:$/.test(this.baseUrl.protocol)) throw new AppError("INVALID_INPUT", "registry URL must be http(s)");
    this.credentials = opts.credentials;
    this.maxManifestBytes = opts.maxManifestBytes ?? 4 * 1024 * 1024;
    this.maxConfigBytes = opts.maxConfigBytes ?? 8 * 1024 * 1024;
  }

  rateLimit() {
    return this.http.rateLimit();
  }

  /** Docker Hub's official images live under library/. */
  normalizeRepository(repository: string): string {
    const r = repository.trim();
    validateRepository(r);
    if (!r.includes("/") && DOCKER_HUB_HOSTS.has(this.baseUrl.hostname)) return `library/${r}`;
    return r;
  }

  // --- auth --------------------------------------------------------------------------------

  private scopeFor(repository: string): string {
    return `repository:${repository}:pull`;
  }

  private cachedToken(scope: string): string | null {
    const t = this.tokens.get(scope);
    if (!t) return null;
    if (this.http.now() >= t.expiresAt) {
      this.tokens.delete(scope);
      return null;
    }
    return t.token;
  }

  /** Fetches (or joins an in-flight fetch of) a token for `scope` from the challenge's realm. */
  private async fetchToken(ch: AuthChallenge, scope: string, signal?: AbortSignal): Promise<string> {
    const key = scope;
    const running = this.inflightTokens.get(key);
    if (running) return running;
    const p = (async () => {
      const realm = new URL(ch.params.realm!);
      if (!/^https?:$/.test(realm.protocol)) throw new AppError("UPSTREAM_FAILED", "registry token realm is not an http(s) URL");
      if (ch.params.service) realm.searchParams.set("service", ch.params.service);
      // The challenge's scope wins when it names this repository (it may add actions we need);
      // our own scope covers requests made before any challenge.
      const scopes = new Set<string>([scope]);
      for (const s of (ch.params.scope ?? "").split(" ")) if (s && s.startsWith(`${scope.split(":").slice(0, 2).join(":")}:`)) scopes.add(s);
      if (scopes.size > 1) scopes.delete(scope);
      for (const s of scopes) realm.searchParams.append("scope", s);
      const headers: Record<string, string> = { accept: "application/json" };
      // Credentials only travel over TLS (or to a loopback test server).
      if (this.credentials && (realm.protocol === "https:" || isLoopback(realm))) {
        headers.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.token}`).toString("base64")}`;
      }
      const res = await this.http.send(realm, { headers, signal });
      if (res.status === 401 || res.status === 403) {
        await res.discard();
        throw new AppError("UNAUTHENTICATED", `registry token service ${describeUrl(realm)} rejected the ${this.credentials ? "Docker Hub credentials" : "anonymous request"} (HTTP ${res.status})`);
      }
      if (!res.ok) {
        await res.discard();
        throw new AppError("UPSTREAM_FAILED", `registry token service ${describeUrl(realm)} answered HTTP ${res.status}`);
      }
      const parsed = parseTokenResponse(await res.json(256 * 1024), `token service ${describeUrl(realm)}`);
      // Expire by our clock (issued_at is the server's, which may be skewed), a little early.
      const margin = Math.min(10, parsed.expiresInSeconds / 6) * 1000;
      this.tokens.set(key, { token: parsed.token, expiresAt: this.http.now() + parsed.expiresInSeconds * 1000 - margin });
      return parsed.token;
    })();
    this.inflightTokens.set(key, p);
    try {
      return await p;
    } finally {
      this.inflightTokens.delete(key);
    }
  }

  private basicHeader(): string | null {
    if (!this.credentials) return null;
    if (this.baseUrl.protocol !== "https:" && !isLoopback(this.baseUrl)) return null;
    return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.token}`).toString("base64")}`;
  }

  /** Authorization for a request before any 401: cached token, or a fresh one when we know the realm. */
  private async preAuth(scope: string, signal?: AbortSignal): Promise<string | null> {
    const cached = this.cachedToken(scope);
    if (cached) return `Bearer ${cached}`;
    if (this.challenge?.scheme === "bearer") return `Bearer ${await this.fetchToken(this.challenge, scope, signal)}`;
    if (this.challenge?.scheme === "basic") return this.basicHeader();
    return null;
  }

  /**
   * Sends a registry request for `repository` with auth: on 401 it reads the challenge, gets a
   * token (or uses Basic) and retries once. A registry that never says 401 gets no token at all.
   */
  private async authedSend(
    repository: string,
    path: string,
    opts: { method?: "GET" | "HEAD"; accept?: string; signal?: AbortSignal },
  ): Promise<{ res: HttpResponse; auth: string | null }> {
    const url = new URL(this.base + path);
    const scope = this.scopeFor(repository);
    const headers = (auth: string | null): Record<string, string> => ({
      ...(opts.accept ? { accept: opts.accept } : {}),
      ...(auth ? { authorization: auth } : {}),
    });
    let auth = await this.preAuth(scope, opts.signal);
    let res = await this.http.send(url, { method: opts.method, headers: headers(auth), signal: opts.signal });
    if (res.status !== 401) return { res, auth };
    const header = res.headers.get("www-authenticate");
    const bearer = bearerChallenge(header);
    if (bearer) {
      await res.discard();
      this.challenge = bearer;
      this.tokens.delete(scope);
      auth = `Bearer ${await this.fetchToken(bearer, scope, opts.signal)}`;
    } else if (parseWwwAuthenticate(header).some((c) => c.scheme === "basic") && this.basicHeader() && auth !== this.basicHeader()) {
      await res.discard();
      this.challenge = { scheme: "basic", params: {} };
      auth = this.basicHeader();
    } else {
      return { res, auth }; // nothing we can answer: the caller sees the 401
    }
    res = await this.http.send(url, { method: opts.method, headers: headers(auth), signal: opts.signal });
    return { res, auth };
  }

  private async failFor(res: HttpResponse, what: string): Promise<never> {
    const body = await res.jsonOrNull();
    const code = registryErrorCode(body);
    if (res.status === 404 || res.status === 401 || res.status === 403) {
      throw new AppError("NOT_FOUND", `${what} not found or not public (HTTP ${res.status}${code ? ` ${code}` : ""})`);
    }
    throw new AppError("UPSTREAM_FAILED", `${what}: ${describeUrl(res.url)} answered HTTP ${res.status}${code ? ` ${code}` : ""}`);
  }

  // --- manifests ---------------------------------------------------------------------------

  async headManifest(repository: string, reference: string, opts: { signal?: AbortSignal } = {}) {
    const repo = this.normalizeRepository(repository);
    validateReference(reference);
    const { res } = await this.authedSend(repo, `/v2/${repo}/manifests/${reference}`, {
      method: "HEAD",
      accept: MANIFEST_ACCEPT,
      signal: opts.signal,
    });
    await res.discard();
    if (res.status === 404 || res.status === 401 || res.status === 403) return null;
    if (!res.ok) throw new AppError("UPSTREAM_FAILED", `HEAD ${describeUrl(res.url)} answered HTTP ${res.status}`);
    const digest = res.headers.get("docker-content-digest") ?? (isDigest(reference) ? reference : null);
    if (!digest || !isDigest(digest)) {
      throw new AppError("UPSTREAM_FAILED", `HEAD ${describeUrl(res.url)} did not report a content digest`);
    }
    if (isDigest(reference) && digest !== reference) {
      throw new AppError("UPSTREAM_FAILED", `HEAD ${describeUrl(res.url)} reported digest ${digest} for ${reference}`);
    }
    const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const size = Number(res.headers.get("content-length") ?? "NaN");
    return { digest, mediaType, size: Number.isFinite(size) ? size : -1 };
  }

  /** GETs one manifest and verifies it: against the digest asked for, else the header's. */
  async getManifest(
    repository: string,
    reference: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ digest: string; manifest: ParsedManifest; raw: Buffer }> {
    const repo = this.normalizeRepository(repository);
    validateReference(reference);
    const what = `manifest ${repo}@${reference}`;
    const { res } = await this.authedSend(repo, `/v2/${repo}/manifests/${reference}`, { accept: MANIFEST_ACCEPT, signal: opts.signal });
    if (!res.ok) return this.failFor(res, what);
    const raw = await res.bytes(this.maxManifestBytes);
    const headerDigest = res.headers.get("docker-content-digest");
    let digest: string;
    if (isDigest(reference)) {
      verifyDigest(raw, reference, what);
      digest = reference;
    } else if (headerDigest && isDigest(headerDigest)) {
      verifyDigest(raw, headerDigest, what);
      digest = headerDigest;
    } else {
      digest = digestOf(raw);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new AppError("UPSTREAM_FAILED", `${what}: ${describeUrl(res.url)} answered HTTP ${res.status} with a body that is not JSON`);
    }
    return { digest, manifest: parseManifest(body, res.headers.get("content-type"), what), raw };
  }

  async resolveImage(repository: string, reference: string, opts: ResolveOptions = {}): Promise<ResolvedImage> {
    const repo = this.normalizeRepository(repository);
    const want = parsePlatform(opts.platform);
    const top = await this.getManifest(repo, reference, { signal: opts.signal });
    const result: ResolvedImage = {
      repository: repo,
      reference,
      digest: top.digest,
      mediaType: top.manifest.mediaType,
      platforms: [],
    };
    if (top.manifest.kind === "manifest") {
      // Single-platform image: the platform lives in the config.
      const config = await this.getConfig(repo, top.manifest.config, { signal: opts.signal });
      const platform: Platform = {
        os: config.os ?? "unknown",
        architecture: config.architecture ?? "unknown",
        ...(config.variant ? { variant: config.variant } : {}),
      };
      if (want && !platformMatches(want, platform)) {
        throw new AppError("NOT_FOUND", `${repo}:${reference} has no ${formatPlatform(want)} image (it is ${formatPlatform(platform)})`);
      }
      result.platforms.push({
        platform,
        manifestDigest: top.digest,
        manifestMediaType: top.manifest.mediaType,
        config: top.manifest.config,
        layers: top.manifest.layers,
      });
      return result;
    }
    const entries = selectIndexEntries(top.manifest.manifests, want);
    const children = await Promise.all(
      entries.map(async (e): Promise<PlatformImage | null> => {
        const child = await this.getManifest(repo, e.digest, { signal: opts.signal });
        if (child.manifest.kind !== "manifest") return null; // nested indexes: not followed
        let platform = e.platform;
        if (!platform) {
          // OCI allows index entries without platform: the config says what it is
          const cfg = await this.getConfig(repo, child.manifest.config, { signal: opts.signal });
          if (!cfg.os || !cfg.architecture || cfg.os === "unknown") return null;
          platform = { os: cfg.os, architecture: cfg.architecture, ...(cfg.variant ? { variant: cfg.variant } : {}) };
          if (want && !platformMatches(want, platform)) return null;
        }
        return {
          platform,
          manifestDigest: e.digest,
          manifestMediaType: child.manifest.mediaType,
          config: child.manifest.config,
          layers: child.manifest.layers,
        };
      }),
    );
    result.platforms = children.filter((c): c is PlatformImage => c !== null);
    if (want && result.platforms.length === 0) {
      throw new AppError("NOT_FOUND", `${repo}:${reference} has no ${formatPlatform(want)} image`);
    }
    return result;
  }

  // --- blobs -------------------------------------------------------------------------------

  /**
   * GETs a blob, following redirects by hand: Authorization only ever goes to the registry's
   * own origin, never to the CDN (or any other host) a 3xx points at.
   */
  private async blobResponse(repo: string, digest: string, signal?: AbortSignal): Promise<HttpResponse> {
    const { res: first, auth } = await this.authedSend(repo, `/v2/${repo}/blobs/${digest}`, { signal });
    let res = first;
    for (let hop = 0; hop < MAX_REDIRECTS && [301, 302, 303, 307, 308].includes(res.status); hop++) {
      const location = res.headers.get("location");
      await res.discard();
      if (!location) throw new AppError("UPSTREAM_FAILED", `blob ${digest}: redirect without a Location header`);
      const next = new URL(location, res.url);
      if (!/^https?:$/.test(next.protocol)) throw new AppError("UPSTREAM_FAILED", `blob ${digest}: redirect to a non-http URL`);
      const sameOrigin = next.origin === this.baseUrl.origin;
      res = await this.http.send(next, { headers: sameOrigin && auth ? { authorization: auth } : {}, signal });
    }
    if ([301, 302, 303, 307, 308].includes(res.status)) {
      await res.discard();
      throw new AppError("UPSTREAM_FAILED", `blob ${digest}: too many redirects`);
    }
    if (!res.ok) return this.failFor(res, `blob ${repo}@${digest}`);
    return res;
  }

  async getConfig(repository: string, config: Descriptor, opts: { signal?: AbortSignal } = {}): Promise<ImageConfig> {
    const repo = this.normalizeRepository(repository);
    parseDigest(config.digest);
    const hit = this.configCache.get(config.digest);
    if (hit) return hit;
    if (config.size > this.maxConfigBytes) {
      throw new AppError("UPSTREAM_FAILED", `config ${config.digest} is ${config.size} bytes, more than the ${this.maxConfigBytes}-byte limit`);
    }
    const what = `config ${repo}@${config.digest}`;
    const res = await this.blobResponse(repo, config.digest, opts.signal);
    const raw = await res.bytes(this.maxConfigBytes);
    verifyDigest(raw, config.digest, what);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new AppError("UPSTREAM_FAILED", `${what}: image config is not JSON`);
    }
    const parsed = parseImageConfig(body, what);
    if (this.configCache.size >= 64) this.configCache.delete(this.configCache.keys().next().value!);
    this.configCache.set(config.digest, parsed);
    return parsed;
  }

  async openBlob(repository: string, digest: string, opts: OpenBlobOptions = {}): Promise<Readable> {
    const repo = this.normalizeRepository(repository);
    parseDigest(digest);
    const res = await this.blobResponse(repo, digest, opts.signal);
    const declared = Number(res.headers.get("content-length"));
    if (opts.maxBytes !== undefined && Number.isFinite(declared) && declared > opts.maxBytes) {
      await res.discard();
      throw new AppError("UPSTREAM_FAILED", `blob ${digest} is ${declared} bytes, more than the ${opts.maxBytes}-byte limit`);
    }
    const verifier = new DigestVerifier(digest, `blob ${repo}@${digest}`, {
      ...(opts.expectedSize !== undefined ? { expectedSize: opts.expectedSize } : {}),
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    });
    const source = res.stream();
    // pipeline propagates errors both ways and destroys the source if the consumer stops early
    return pipeline(source, verifier, () => undefined) as unknown as Readable;
  }
}

/**
 * Index entries to fetch: attestations out, duplicates out, the platform filter applied to
 * entries that declare a platform (platform-less entries are kept: their config decides).
 */
export function selectIndexEntries(entries: IndexEntry[], want: Platform | null): IndexEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (e.attestation) return false;
    if (want && e.platform && !platformMatches(want, e.platform)) return false;
    if (seen.has(e.digest)) return false;
    seen.add(e.digest);
    return true;
  });
}

function registryErrorCode(body: unknown): string | null {
  const errors = (body as { errors?: Array<{ code?: unknown }> } | null)?.errors;
  const code = Array.isArray(errors) ? errors[0]?.code : undefined;
  return typeof code === "string" && /^[A-Z_]{1,40}$/.test(code) ? code : null;
}

export function createRegistryReader(opts: RegistryReaderOptions = {}): RegistryClient {
  return new RegistryClient(opts);
}
