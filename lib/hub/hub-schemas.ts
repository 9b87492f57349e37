// zod parsers for Docker Hub REST API bodies (docs/dockerhub-api.md §1–4, §7). Every field
// the reference marks uncertain is optional/nullable; items that lack their identity (name)
// are dropped rather than failing the whole page.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { AccountType, HubAccountProfile, HubRepositoryDetails, HubRepositorySummary, HubSearchResult, HubTag, HubTagImage } from "./types";

const str = z.string().nullish().catch(null);
const num = z.number().nullish().catch(null);
const bool = z.boolean().nullish().catch(null);
const strArr = z
  .array(z.unknown())
  .nullish()
  .catch(null)
  .transform((v) => (v ?? []).filter((x): x is string => typeof x === "string"));

export const pageSchema = z.object({
  count: num,
  next: str,
  previous: str,
  results: z.array(z.unknown()),
});
export type Page = z.infer<typeof pageSchema>;

function fail(what: string, kind: string, err: z.ZodError): AppError {
  const first = err.issues[0];
  const detail = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid";
  return new AppError("UPSTREAM_FAILED", `${what}: unexpected ${kind} (${detail})`);
}

export function parsePage(body: unknown, what: string): Page {
  const r = pageSchema.safeParse(body);
  if (!r.success) throw fail(what, "page", r.error);
  return r.data;
}

/** Items that do not parse are skipped: one odd repository must not hide the others. */
function parseItems<T>(items: unknown[], schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  for (const it of items) {
    const r = schema.safeParse(it);
    if (r.success) out.push(r.data);
  }
  return out;
}

/** v4 search shows pull counts as display strings: "10K+", "1.5K", "2M+", "532". Best effort. */
export function parsePullCount(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? Math.trunc(v) : null;
  if (typeof v !== "string") return null;
  const m = /^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([kmb])?\s*\+?\s*$/i.exec(v);
  if (!m) return null;
  const base = Number(m[1]!.replace(/,/g, ""));
  const mult = { k: 1e3, m: 1e6, b: 1e9 }[(m[2] ?? "").toLowerCase() as "k" | "m" | "b"] ?? 1;
  const n = Math.round(base * mult);
  return Number.isFinite(n) ? n : null;
}

function repoFullName(name: string): { repoName: string; namespace: string } {
  const repoName = name.includes("/") ? name : `library/${name}`;
  return { repoName, namespace: repoName.split("/")[0]! };
}

// --- search ------------------------------------------------------------------------------

const v4Item = z.object({
  name: z.string().min(1),
  slug: str,
  type: str,
  publisher: z.object({ name: str }).nullish().catch(null),
  short_description: str,
  badge: str,
  star_count: num,
  pull_count: z.unknown(),
});
const v4Body = z.object({ total: num, results: z.array(z.unknown()).nullish() });

export function parseSearchV4(body: unknown, what: string): { total: number | null; results: HubSearchResult[] } {
  const r = v4Body.safeParse(body);
  if (!r.success) throw fail(what, "search response", r.error);
  const results = parseItems(r.data.results ?? [], v4Item)
    .filter((i) => !i.type || i.type === "image")
    .map((i): HubSearchResult => ({
      ...repoFullName(i.name),
      description: i.short_description ?? null,
      pullCount: parsePullCount(i.pull_count),
      starCount: i.star_count ?? null,
      isOfficial: i.badge === "official",
      badge: i.badge ?? null,
    }));
  return { total: r.data.total ?? null, results };
}

const v2SearchItem = z.object({
  repo_name: z.string().min(1),
  short_description: str,
  star_count: num,
  pull_count: z.unknown(),
  repo_owner: str,
  is_official: bool,
  is_automated: bool,
});

export function parseSearchV2Items(items: unknown[]): HubSearchResult[] {
  return parseItems(items, v2SearchItem).map((i) => ({
    ...repoFullName(i.repo_name),
    description: i.short_description ?? null,
    pullCount: parsePullCount(i.pull_count),
    starCount: i.star_count ?? null,
    isOfficial: i.is_official ?? false,
    badge: i.is_official ? "official" : null,
  }));
}

const v1Item = z.object({
  name: z.string().min(1),
  description: str,
  star_count: num,
  is_official: bool,
  is_automated: bool,
  is_trusted: bool,
});
const v1Body = z.object({
  query: str,
  num_results: num,
  num_pages: num,
  page: num,
  page_size: num,
  results: z.array(z.unknown()).nullish(),
});

export function parseSearchV1(body: unknown, what: string): { numPages: number | null; numResults: number | null; results: HubSearchResult[] } {
  const r = v1Body.safeParse(body);
  if (!r.success) throw fail(what, "search response", r.error);
  return {
    numPages: r.data.num_pages ?? null,
    numResults: r.data.num_results ?? null,
    results: parseItems(r.data.results ?? [], v1Item).map((i) => ({
      ...repoFullName(i.name),
      description: i.description ?? null,
      pullCount: null, // v1 search does not report pulls
      starCount: i.star_count ?? null,
      isOfficial: i.is_official ?? false,
      badge: i.is_official ? "official" : null,
    })),
  };
}

// --- repositories --------------------------------------------------------------------------

const repoItem = z.object({
  name: z.string().min(1),
  namespace: str,
  user: str,
  description: str,
  is_private: bool,
  star_count: num,
  pull_count: z.unknown(),
  last_updated: str,
  date_registered: str,
  repository_type: str,
  media_types: strArr,
  full_description: str,
});

function toSummary(i: z.infer<typeof repoItem>, fallbackNs: string): HubRepositorySummary {
  return {
    namespace: i.namespace ?? i.user ?? fallbackNs,
    name: i.name,
    description: i.description ?? null,
    isPrivate: i.is_private ?? false,
    pullCount: parsePullCount(i.pull_count) ?? 0,
    starCount: i.star_count ?? 0,
    lastUpdated: i.last_updated ?? null,
    dateRegistered: i.date_registered ?? null,
    repositoryType: i.repository_type ?? null,
    mediaTypes: i.media_types,
  };
}

export function parseRepositoryItems(items: unknown[], namespace: string): HubRepositorySummary[] {
  return parseItems(items, repoItem).map((i) => toSummary(i, namespace));
}

export function parseRepositoryDetails(body: unknown, namespace: string, what: string): HubRepositoryDetails {
  const r = repoItem.safeParse(body);
  if (!r.success) throw fail(what, "repository", r.error);
  return { ...toSummary(r.data, namespace), fullDescription: r.data.full_description ?? null };
}

// --- accounts ------------------------------------------------------------------------------

const accountBody = z.object({
  id: z.union([z.string(), z.number()]).nullish().catch(null),
  uuid: str,
  username: str,
  orgname: str,
  full_name: str,
  location: str,
  company: str,
  profile_url: str,
  date_joined: str,
  gravatar_url: str,
  gravatar_email: str,
  type: str,
  badge: str,
});

/**
 * `type` tells users from organisations ("User" vs "Organization"; the docs' enum says "Org").
 * Without it, an `orgname` field or the path that answered decides.
 */
export function parseAccount(body: unknown, namespace: string, servedFromOrgPath: boolean, what: string): HubAccountProfile {
  const r = accountBody.safeParse(body);
  if (!r.success || (typeof body !== "object" || body === null)) throw new AppError("UPSTREAM_FAILED", `${what}: unexpected account profile`);
  const a = r.data;
  const t = (a.type ?? "").toLowerCase();
  const type: AccountType =
    t === "user" ? "user" : t === "organization" || t === "org" ? "organization" : a.orgname ? "organization" : servedFromOrgPath ? "organization" : "user";
  const blank = (v: string | null | undefined) => (v == null || v === "" ? null : v);
  return {
    namespace: (a.username ?? a.orgname ?? namespace).toLowerCase(),
    type,
    id: a.id == null ? null : String(a.id),
    fullName: blank(a.full_name),
    company: blank(a.company),
    location: blank(a.location),
    profileUrl: blank(a.profile_url),
    gravatarEmail: blank(a.gravatar_email),
    gravatarUrl: blank(a.gravatar_url),
    dateJoined: blank(a.date_joined),
    badge: type === "organization" ? (a.badge ?? null) : null,
  };
}

// --- tags ----------------------------------------------------------------------------------

const tagImage = z.object({
  architecture: str,
  os: str,
  variant: str,
  digest: str,
  size: num,
});
const tagItem = z.object({
  name: z.string().min(1),
  digest: str,
  media_type: str,
  full_size: num,
  tag_last_pushed: str,
  last_updated: str,
  // real bodies: an array; the published schema: an object. Accept both.
  images: z.unknown(),
});

export function parseTagItems(items: unknown[]): HubTag[] {
  return parseItems(items, tagItem).map((t) => {
    const rawImages = Array.isArray(t.images) ? t.images : t.images && typeof t.images === "object" ? [t.images] : [];
    const images: HubTagImage[] = parseItems(rawImages, tagImage).map((i) => ({
      os: i.os ?? null,
      architecture: i.architecture ?? null,
      variant: i.variant || null,
      digest: i.digest ?? null,
      size: i.size ?? null,
    }));
    return {
      name: t.name,
      digest: t.digest ?? null,
      mediaType: t.media_type ?? null,
      fullSize: t.full_size ?? null,
      lastPushed: t.tag_last_pushed ?? null,
      lastUpdated: t.last_updated ?? null,
      images,
    };
  });
}

// --- login ---------------------------------------------------------------------------------

const loginBody = z.object({ access_token: str, token: str });

export function parseLogin(body: unknown, what: string): string {
  const r = loginBody.safeParse(body);
  const t = r.success ? (r.data.access_token ?? r.data.token) : null;
  if (!t) throw new AppError("UPSTREAM_FAILED", `${what}: login response carries no token`);
  return t;
}

/** A short, safe error detail from a Hub JSON error body ({detail} | {message} | {errors[]}). */
export function errorDetail(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as { detail?: unknown; message?: unknown; text?: unknown; errors?: Array<{ message?: unknown }> };
  const v = [b.detail, b.message, b.text, Array.isArray(b.errors) ? b.errors[0]?.message : undefined].find((x) => typeof x === "string");
  return typeof v === "string" ? v.replace(/[^\x20-\x7e]/g, " ").slice(0, 200) : null;
}
