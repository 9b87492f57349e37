// zod parsers for registry JSON: token responses, manifests, indexes, image configs.
// Tolerant by design (optional/nullable fields; unknown fields ignored) but strict where a
// wrong value would be unsafe: digests and sizes.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Descriptor, ImageConfig, Platform } from "./types";

export const MEDIA_TYPES = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerSchema1: "application/vnd.docker.distribution.manifest.v1+prettyjws",
  dockerSchema1Plain: "application/vnd.docker.distribution.manifest.v1+json",
} as const;

export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
].join(", ");

const NONDISTRIBUTABLE = new Set([
  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  "application/vnd.oci.image.layer.nondistributable.v1.tar",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
]);

/** Foreign (Windows base) and OCI non-distributable layers live off-registry: skip them. */
export function isNondistributable(mediaType: string): boolean {
  return NONDISTRIBUTABLE.has(mediaType);
}

const digestString = z.string().regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/, "invalid digest");
const nonNegInt = z.number().int().nonnegative();

const platformSchema = z.object({
  os: z.string().nullish(),
  architecture: z.string().nullish(),
  variant: z.string().nullish(),
});

const descriptorSchema = z.object({
  mediaType: z.string().nullish(),
  digest: digestString,
  size: nonNegInt,
  urls: z.array(z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  platform: platformSchema.nullish(),
});
type RawDescriptor = z.infer<typeof descriptorSchema>;

const manifestSchema = z.object({
  schemaVersion: z.number().nullish(),
  mediaType: z.string().nullish(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).nullish(),
});

const indexSchema = z.object({
  schemaVersion: z.number().nullish(),
  mediaType: z.string().nullish(),
  manifests: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).nullish(),
});

export interface IndexEntry extends Descriptor {
  platform: Platform | null;
  attestation: boolean;
}

export type ParsedManifest =
  | { kind: "index"; mediaType: string; manifests: IndexEntry[] }
  | { kind: "manifest"; mediaType: string; config: Descriptor; layers: Descriptor[] };

function toDescriptor(d: RawDescriptor, fallbackType: string): Descriptor {
  const mediaType = d.mediaType ?? fallbackType;
  const out: Descriptor = { mediaType, digest: d.digest, size: d.size };
  if (d.urls && d.urls.length) out.urls = d.urls;
  if (d.annotations) out.annotations = d.annotations;
  if (isNondistributable(mediaType)) out.nondistributable = true;
  return out;
}

function isAttestation(d: RawDescriptor): boolean {
  if (d.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") return true;
  return d.platform?.os === "unknown" && d.platform?.architecture === "unknown";
}

/**
 * Parses a manifest body. The type comes from the body's own mediaType, then the
 * Content-Type header, then the shape (OCI allows omitting mediaType).
 */
export function parseManifest(body: unknown, contentType: string | null, what: string): ParsedManifest {
  const declared =
    (typeof body === "object" && body && typeof (body as { mediaType?: unknown }).mediaType === "string"
      ? (body as { mediaType: string }).mediaType
      : null) ?? (contentType ? contentType.split(";")[0]!.trim() : null);
  const schemaVersion = typeof body === "object" && body ? (body as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (schemaVersion === 1 || declared === MEDIA_TYPES.dockerSchema1 || declared === MEDIA_TYPES.dockerSchema1Plain) {
    throw new AppError("UPSTREAM_FAILED", `${what}: Docker schema 1 manifests are not supported`);
  }
  const looksLikeIndex =
    declared === MEDIA_TYPES.dockerList ||
    declared === MEDIA_TYPES.ociIndex ||
    (typeof body === "object" && body !== null && Array.isArray((body as { manifests?: unknown }).manifests));
  if (looksLikeIndex) {
    const r = indexSchema.safeParse(body);
    if (!r.success) throw invalid(what, "image index", r.error);
    const mediaType = declared && declared !== "application/json" ? declared : MEDIA_TYPES.ociIndex;
    return {
      kind: "index",
      mediaType,
      manifests: r.data.manifests.map((m) => ({
        ...toDescriptor(m, MEDIA_TYPES.ociManifest),
        platform: m.platform?.os && m.platform.architecture
          ? { os: m.platform.os, architecture: m.platform.architecture, ...(m.platform.variant ? { variant: m.platform.variant } : {}) }
          : null,
        attestation: isAttestation(m),
      })),
    };
  }
  const r = manifestSchema.safeParse(body);
  if (!r.success) throw invalid(what, "image manifest", r.error);
  const mediaType = declared && declared !== "application/json" ? declared : MEDIA_TYPES.ociManifest;
  const docker = mediaType === MEDIA_TYPES.dockerManifest;
  return {
    kind: "manifest",
    mediaType,
    config: toDescriptor(r.data.config, docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json"),
    layers: r.data.layers.map((l) =>
      toDescriptor(l, docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip"),
    ),
  };
}

function invalid(what: string, kind: string, err: z.ZodError): AppError {
  const first = err.issues[0];
  const detail = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid";
  return new AppError("UPSTREAM_FAILED", `${what}: not a valid ${kind} (${detail})`);
}

// --- token service -------------------------------------------------------------------------

const tokenSchema = z.object({
  token: z.string().min(1).nullish(),
  access_token: z.string().min(1).nullish(),
  expires_in: z.number().positive().nullish(),
  issued_at: z.string().nullish(),
});

/** `token` and `access_token` are equivalent (distribution token spec); expires_in defaults to 60 s. */
export function parseTokenResponse(body: unknown, what: string): { token: string; expiresInSeconds: number } {
  const r = tokenSchema.safeParse(body);
  if (!r.success) throw invalid(what, "token response", r.error);
  const token = r.data.token ?? r.data.access_token;
  if (!token) throw new AppError("UPSTREAM_FAILED", `${what}: token response carries no token`);
  return { token, expiresInSeconds: r.data.expires_in ?? 60 };
}

// --- image config ----------------------------------------------------------------------------

// Hostile configs may put anything anywhere: keep strings, drop the rest instead of failing.
const strOpt = z.unknown().transform((v) => (typeof v === "string" ? v : undefined));
const strList = z
  .unknown()
  .transform((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : v === null ? null : undefined));
const strOrList = z
  .unknown()
  .transform((v) =>
    typeof v === "string" ? v : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : v === null ? null : undefined,
  );
const labels = z.unknown().transform((v) => {
  if (v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val === "string") out[k] = val;
    else if (typeof val === "number" || typeof val === "boolean") out[k] = String(val);
  }
  return out;
});

const containerConfig = z
  .object({
    User: strOpt,
    Env: strList,
    Entrypoint: strOrList,
    Cmd: strOrList,
    WorkingDir: strOpt,
    Labels: labels,
  })
  .partial();

const historyEntry = z
  .object({
    created: strOpt,
    created_by: strOpt,
    author: strOpt,
    comment: strOpt,
    empty_layer: z.unknown().transform((v) => (typeof v === "boolean" ? v : undefined)),
  })
  .partial();

const configSchema = z
  .object({
    architecture: strOpt,
    os: strOpt,
    variant: strOpt,
    created: strOpt,
    author: strOpt,
    config: z.union([containerConfig, z.null()]).optional().catch(undefined),
    container_config: z.union([containerConfig, z.null()]).optional().catch(undefined),
    rootfs: z.object({ type: z.string(), diff_ids: z.array(z.string()) }).optional().catch(undefined),
    history: z.array(historyEntry.catch({})).optional().catch(undefined),
  })
  .partial();

function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function parseImageConfig(body: unknown, what: string): ImageConfig & { container_config?: ImageConfig["config"] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("UPSTREAM_FAILED", `${what}: image config is not a JSON object`);
  }
  const r = configSchema.safeParse(body);
  if (!r.success) throw invalid(what, "image config", r.error);
  const d = r.data;
  const out = compact({ ...d }) as ImageConfig & { container_config?: ImageConfig["config"] };
  if (out.config) out.config = compact({ ...out.config });
  if (out.container_config) out.container_config = compact({ ...out.container_config });
  if (out.history) out.history = out.history.map((h) => compact({ ...h }));
  return out;
}
