// Contracts of the Docker Hub / registry client (lib/hub). lib/scan and lib/discovery depend
// only on these interfaces, so tests can plug in the simulator or a real registry.
import type { Readable } from "node:stream";

export type AccountType = "user" | "organization";

export interface HubAccountProfile {
  namespace: string;
  type: AccountType;
  id: string | null;
  fullName: string | null;
  company: string | null;
  location: string | null;
  profileUrl: string | null;
  gravatarEmail: string | null;
  gravatarUrl: string | null;
  dateJoined: string | null;
  /** organisations only: verified_publisher | open_source | "" */
  badge: string | null;
}

export interface HubSearchResult {
  /** "namespace/repo" (official images: "library/name") */
  repoName: string;
  namespace: string;
  description: string | null;
  pullCount: number | null;
  starCount: number | null;
  isOfficial: boolean;
  /** official | verified_publisher | open_source | none | null */
  badge: string | null;
}

export interface HubRepositorySummary {
  namespace: string;
  name: string;
  description: string | null;
  isPrivate: boolean;
  pullCount: number;
  starCount: number;
  lastUpdated: string | null;
  dateRegistered: string | null;
  repositoryType: string | null;
  mediaTypes: string[];
}

export interface HubRepositoryDetails extends HubRepositorySummary {
  /** the README (≤25,000 chars on the real Hub) */
  fullDescription: string | null;
}

export interface HubTagImage {
  os: string | null;
  architecture: string | null;
  variant: string | null;
  digest: string | null;
  size: number | null;
}

export interface HubTag {
  name: string;
  digest: string | null;
  mediaType: string | null;
  fullSize: number | null;
  lastPushed: string | null;
  lastUpdated: string | null;
  images: HubTagImage[];
}

export interface RateLimitState {
  /** registry pull budget from ratelimit-limit / ratelimit-remaining (null = not reported) */
  pullLimit: number | null;
  pullRemaining: number | null;
  pullWindowSeconds: number | null;
  /** Hub API budget from X-RateLimit-* */
  apiLimit: number | null;
  apiRemaining: number | null;
  apiResetAt: number | null; // unix seconds
  updatedAt: number; // epoch ms of the last observation
}

export interface SearchOptions {
  /** max results to return (the client pages until reached) */
  limit?: number;
  signal?: AbortSignal;
}

/** Hub REST API (hub.docker.com): search, profiles, repositories, tags. */
export interface HubApi {
  search(query: string, opts?: SearchOptions): Promise<HubSearchResult[]>;
  /** null for an unknown account (404) */
  getAccount(namespace: string, opts?: { signal?: AbortSignal }): Promise<HubAccountProfile | null>;
  /** all public repositories of a namespace (all pages); [] for an unknown namespace */
  listRepositories(namespace: string, opts?: { signal?: AbortSignal }): Promise<HubRepositorySummary[]>;
  /** null for a missing repository */
  getRepository(namespace: string, repo: string, opts?: { signal?: AbortSignal }): Promise<HubRepositoryDetails | null>;
  /** all tags (all pages) */
  listTags(namespace: string, repo: string, opts?: { signal?: AbortSignal; limit?: number }): Promise<HubTag[]>;
  rateLimit(): RateLimitState;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  /** foreign / non-distributable layer (lives off-registry, may carry urls[]): scanners skip it */
  nondistributable?: boolean;
}

export interface PlatformImage {
  platform: Platform;
  /** digest of this platform's image manifest */
  manifestDigest: string;
  manifestMediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ResolvedImage {
  repository: string; // "namespace/repo"
  reference: string; // tag or digest as asked
  /** digest of the top-level manifest (index or single manifest) */
  digest: string;
  mediaType: string;
  /** selected platforms; attestation manifests are skipped */
  platforms: PlatformImage[];
}

/** Image config (docker or OCI), parsed; fields the scanner reads. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    Env?: string[] | null;
    Entrypoint?: string[] | string | null;
    Cmd?: string[] | string | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
  } | null;
  rootfs?: { type: string; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean }>;
}

export interface ResolveOptions {
  /** "all" (default) or "os/arch[/variant]" */
  platform?: string;
  signal?: AbortSignal;
}

export interface OpenBlobOptions {
  signal?: AbortSignal;
  /** the descriptor's size: a longer or shorter blob fails the stream */
  expectedSize?: number;
  /** hard cap on bytes read (a hostile registry may send an endless body) */
  maxBytes?: number;
}

/** Registry v2 (registry-1.docker.io): tokens, manifests, blobs. */
export interface RegistryReader {
  /** HEAD the manifest: learns the digest without spending a pull. null when missing/unauthorised. */
  headManifest(repository: string, reference: string, opts?: { signal?: AbortSignal }): Promise<{ digest: string; mediaType: string; size: number } | null>;
  /** GET and verify manifests; index → the selected platforms' manifests. */
  resolveImage(repository: string, reference: string, opts?: ResolveOptions): Promise<ResolvedImage>;
  /** GET, verify against its digest (size-capped) and parse the config blob. */
  getConfig(repository: string, config: Descriptor, opts?: { signal?: AbortSignal }): Promise<ImageConfig>;
  /**
   * A layer blob as a stream, never buffered whole. The stream errors (after the last byte)
   * if the content does not match `digest`. Redirects are followed without Authorization.
   */
  openBlob(repository: string, digest: string, opts?: OpenBlobOptions): Promise<Readable>;
  rateLimit(): RateLimitState;
}
