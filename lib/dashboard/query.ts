// Query-string contracts of the dashboard lists. Pages and API routes parse the same schema, so
// every overview number can link to `/accounts?…` or `/findings?…` with exactly these names.
import { z } from "zod";
import { invalidInput } from "@/lib/errors";
import { ACCOUNT_STATUSES, FINDING_STATUSES, RISK_TIERS, SEVERITIES } from "./tiers";

/** "a,b" or repeated ?x=a&x=b → ["a","b"]; empty → undefined. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === null || v === "") return undefined;
    const arr = Array.isArray(v) ? v : [v];
    const parts = arr.flatMap((x) => String(x).split(",")).map((s) => s.trim()).filter(Boolean);
    return parts.length ? [...new Set(parts)] : undefined;
  }, z.array(z.enum(values)).max(values.length).optional());

const emptyToUndef = (v: unknown) => (v === "" || v === null ? undefined : Array.isArray(v) ? v[0] : v);
const optInt = (min: number, max: number) => z.preprocess(emptyToUndef, z.coerce.number().int().min(min).max(max).optional());
const optNum = (min: number, max: number) => z.preprocess(emptyToUndef, z.coerce.number().min(min).max(max).optional());
const optDate = z.preprocess(emptyToUndef, z.coerce.date().optional());
const optStr = (max: number) => z.preprocess(emptyToUndef, z.string().trim().min(1).max(max).optional());
const optBool = z.preprocess(
  emptyToUndef,
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1").optional(),
);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");

export const MAX_PAGE_SIZE = 100;

export const AccountListQuery = z.object({
  status: list(ACCOUNT_STATUSES),
  tier: list(RISK_TIERS),
  riskMin: optInt(0, 100),
  riskMax: optInt(0, 100),
  confidenceMin: optNum(0, 1),
  pushedSince: optDate,
  discoveredSince: optDate,
  pullsMin: optInt(0, Number.MAX_SAFE_INTEGER),
  q: optStr(100),
  sort: z.preprocess(
    emptyToUndef,
    z.enum(["risk", "confidence", "lastPushAt", "pullCount", "namespace", "discoveredAt", "status"]).default("risk"),
  ),
  dir: z.preprocess(emptyToUndef, z.enum(["asc", "desc"]).default("desc")),
  page: z.preprocess(emptyToUndef, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyToUndef, z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25)),
});
export type AccountListQuery = z.infer<typeof AccountListQuery>;

export const FindingListQuery = z.object({
  severity: list(SEVERITIES),
  status: list(FINDING_STATUSES),
  detector: optStr(100),
  provider: optStr(100),
  liveness: list(["unknown", "live", "revoked"] as const),
  deleted: optBool,
  inLatest: optBool,
  accountId: z.preprocess(emptyToUndef, id.optional()),
  // a member's user id, "me" or "none"
  assignee: z.preprocess(emptyToUndef, z.union([z.literal("me"), z.literal("none"), id]).optional()),
  firstSeenSince: optDate,
  resolvedSince: optDate,
  resolvedUntil: optDate,
  q: optStr(100),
  // each order is served by an index (see the dashboard_rollups migration)
  sort: z.preprocess(emptyToUndef, z.enum(["severity", "firstSeenAt", "lastSeenAt"]).default("severity")),
  dir: z.preprocess(emptyToUndef, z.enum(["asc", "desc"]).optional()),
  page: z.preprocess(emptyToUndef, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyToUndef, z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25)),
});
export type FindingListQuery = z.infer<typeof FindingListQuery>;

export const OverviewQuery = z
  .object({
    from: optDate,
    to: optDate,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must be before to", path: ["from"] });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

/** Turns URLSearchParams or Next's searchParams object into a plain object (repeated keys → arrays). */
export function paramsToObject(params: Params): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string) => {
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  };
  if (params instanceof URLSearchParams) {
    params.forEach((v, k) => add(k, v));
  } else {
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      for (const x of Array.isArray(v) ? v : [v]) add(k, x);
    }
  }
  return out;
}

export function parseQuery<S extends z.ZodType>(schema: S, params: Params): z.infer<S> {
  const r = schema.safeParse(paramsToObject(params));
  if (!r.success) throw invalidInput(r.error.issues, "Some filters are invalid");
  return r.data;
}

/** Builds `?a=b&c=d` from a filter object, skipping empty values (for links between pages). */
export function toSearch(filters: Record<string, string | number | boolean | Date | readonly string[] | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(","));
    } else if (v instanceof Date) {
      sp.set(k, v.toISOString());
    } else {
      sp.set(k, String(v));
    }
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}
