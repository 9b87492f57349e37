// The world file: everything the Docker Hub simulator serves (accounts, repositories, tags,
// images built from lists of files) plus ground truth for tests (`expected`) and the company's
// `identity`. Documented in docs/world-format.md. Parsing never throws a zod error at callers:
// `parseWorld` turns issues into one AppError with a readable path per problem.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const NAMESPACE_RE = /^[a-z0-9][a-z0-9_-]{1,254}$/;
const REPO_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const namespace = z.string().regex(NAMESPACE_RE, "must be a Docker Hub namespace: 2-255 chars of a-z, 0-9, '-', '_'");
const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time, e.g. 2024-05-02T08:11:09Z" });

export const AccountSchema = z.strictObject({
  namespace,
  type: z.enum(["user", "organization"]),
  full_name: z.string().default(""),
  company: z.string().default(""),
  location: z.string().default(""),
  profile_url: z.string().default(""),
  gravatar_email: z.string().default(""),
  date_joined: isoDate.optional(),
  /** organisations only */
  badge: z.enum(["verified_publisher", "open_source", ""]).default(""),
  /** free text for humans reading the world; never served */
  note: z.string().optional(),
});

export const FileEntrySchema: z.ZodType<FileEntry> = z.lazy(() =>
  z
    .strictObject({
      path: z.string().min(1).refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), {
        message: "must be relative (no leading '/', no '..')",
      }),
      type: z.enum(["file", "dir", "symlink"]).default("file"),
      content: z.string().optional(),
      contentBase64: z.string().optional(),
      /** build a nested archive (zip/jar/war/whl or tar.gz) from these files as this file's content */
      archive: z
        .strictObject({ format: z.enum(["zip", "tar.gz"]), files: z.array(FileEntrySchema) })
        .optional(),
      /** pad the content with this many deterministic filler bytes (binary-ish); for size tests */
      padBytes: z.number().int().min(0).max(64 * 1024 * 1024).optional(),
      linkname: z.string().optional(),
      mode: z.number().int().min(0).max(0o7777).optional(),
    })
    .superRefine((f, ctx) => {
      const sources = [f.content !== undefined, f.contentBase64 !== undefined, f.archive !== undefined].filter(Boolean).length;
      if (sources > 1) ctx.addIssue({ code: "custom", message: "give only one of content, contentBase64, archive" });
      if (f.type === "symlink" && !f.linkname) ctx.addIssue({ code: "custom", message: "a symlink needs linkname" });
      if (f.type !== "file" && sources > 0) ctx.addIssue({ code: "custom", message: `a ${f.type} cannot have content` });
    }),
) as z.ZodType<FileEntry>;

export interface FileEntry {
  path: string;
  type?: "file" | "dir" | "symlink";
  content?: string;
  contentBase64?: string;
  archive?: { format: "zip" | "tar.gz"; files: FileEntry[] };
  padBytes?: number;
  linkname?: string;
  mode?: number;
}

export const LayerSchema = z.strictObject({
  compression: z.enum(["gzip", "zstd", "none"]).default("gzip"),
  files: z.array(FileEntrySchema).default([]),
  /** paths deleted from lower layers: written as `<dir>/.wh.<name>` */
  delete: z.array(z.string().min(1)).default([]),
  /** directories whose lower-layer contents are hidden: written as `<dir>/.wh..wh..opq` */
  opaque: z.array(z.string().min(1)).default([]),
  /** the history line for this layer (default: "/bin/sh -c #(nop) ADD file:<diff> in / ") */
  created_by: z.string().optional(),
});

export const HistoryEntrySchema = z.strictObject({
  created_by: z.string(),
  created: isoDate.optional(),
  comment: z.string().optional(),
  author: z.string().optional(),
  /** true for metadata-only steps (ENV, ARG, LABEL, CMD) that produce no layer */
  empty_layer: z.boolean().default(true),
});

export const ImageConfigSchema = z.strictObject({
  Env: z.array(z.string()).default([]),
  Labels: z.record(z.string(), z.string()).default({}),
  Cmd: z.array(z.string()).optional(),
  Entrypoint: z.array(z.string()).optional(),
  WorkingDir: z.string().optional(),
  User: z.string().optional(),
  ExposedPorts: z.array(z.string()).optional(),
  author: z.string().optional(),
  created: isoDate.optional(),
  /**
   * Extra metadata-only history steps (ENV/ARG/RUN lines) placed *before* the layers'
   * own history lines, or at `index` (0-based position in the final history) when given.
   */
  history: z.array(HistoryEntrySchema.extend({ index: z.number().int().min(0).optional() })).default([]),
});

export const PlatformSchema = z.strictObject({
  os: z.string().default("linux"),
  architecture: z.string().default("amd64"),
  variant: z.string().optional(),
  config: ImageConfigSchema.default({ Env: [], Labels: {}, history: [] }),
  layers: z.array(LayerSchema).min(1, "an image platform needs at least one layer"),
});

export const ImageSchema = z
  .strictObject({
    id: z.string().min(1),
    /** docker = Docker v2 schema 2 media types; oci = OCI image-spec */
    format: z.enum(["docker", "oci"]).default("oci"),
    /** serve an index/list even for one platform (default: only when >1 platform or attestation) */
    index: z.boolean().optional(),
    platforms: z.array(PlatformSchema).min(1, "an image needs at least one platform"),
    /** add a BuildKit attestation manifest per platform (in-toto provenance JSON; may carry build args) */
    attestation: z
      .strictObject({ buildArgs: z.record(z.string(), z.string()).default({}) })
      .optional(),
  })
  .superRefine((img, ctx) => {
    if (img.format === "docker" && img.attestation) {
      ctx.addIssue({ code: "custom", message: "attestation manifests need format \"oci\"", path: ["attestation"] });
    }
    if (img.index === false && (img.platforms.length > 1 || img.attestation)) {
      ctx.addIssue({ code: "custom", message: "index:false is only possible for one platform without attestation", path: ["index"] });
    }
  });

export const TagSchema = z.strictObject({
  name: z.string().regex(TAG_RE, "must be a valid tag (A-Z a-z 0-9 _ . -, max 128, not starting with . or -)"),
  /** id of an entry in `images` */
  image: z.string().min(1),
  pushed: isoDate.optional(),
  last_pulled: isoDate.nullable().optional(),
});

export const RepositorySchema = z.strictObject({
  namespace,
  name: z.string().regex(REPO_RE, "must be a Docker repository name: lowercase a-z 0-9 separated by . _ -"),
  description: z.string().default(""),
  /** the README */
  full_description: z.string().default(""),
  pull_count: z.number().int().min(0).default(0),
  star_count: z.number().int().min(0).default(0),
  date_registered: isoDate.optional(),
  last_updated: isoDate.optional(),
  is_private: z.boolean().default(false),
  categories: z.array(z.string()).default([]),
  tags: z.array(TagSchema).default([]),
});

const Match = z.strictObject({
  /** which surface: hub (Hub API incl. search), search (v1 search), token, registry, blob (the CDN origin) */
  host: z.enum(["hub", "search", "token", "registry", "blob", "any"]).default("any"),
  /** JavaScript regular expression tested against the request path + query */
  path: z.string().default(".*"),
  method: z.enum(["GET", "HEAD", "ANY"]).default("ANY"),
});

export const FaultSchema = z
  .strictObject({
    kind: z.enum(["rate-limit", "hap429", "server-error", "slow", "truncate", "wrong-digest"]),
    match: Match.default({ host: "any", path: ".*", method: "ANY" }),
    /** apply to the first N matching requests (default: all when no probability) */
    count: z.number().int().min(1).optional(),
    /** apply with this probability using the seeded RNG */
    probability: z.number().min(0).max(1).optional(),
    /** server-error status (default 503) */
    status: z.number().int().min(500).max(599).optional(),
    /** rate-limit / hap429: Retry-After seconds (default 1) */
    retryAfter: z.number().int().min(0).optional(),
    /** slow: delay before each chunk */
    delayMs: z.number().int().min(0).max(60_000).optional(),
    /** slow: chunk size in bytes (default 1024) */
    chunkBytes: z.number().int().min(1).optional(),
    /** truncate: bytes actually sent (default half the body); the connection is then destroyed */
    truncateAt: z.number().int().min(0).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.count !== undefined && f.probability !== undefined) {
      ctx.addIssue({ code: "custom", message: "give count or probability, not both" });
    }
    try {
      new RegExp(f.match.path);
    } catch {
      ctx.addIssue({ code: "custom", message: `match.path is not a valid regular expression: ${f.match.path}`, path: ["match", "path"] });
    }
  });

export const IdentitySchema = z.looseObject({
  name: z.string().optional(),
  domains: z.array(z.string()).default([]),
  emailPatterns: z.array(z.string()).default([]),
  knownNames: z.array(z.string()).default([]),
  sanctioned: z.array(z.string()).default([]),
  exclusions: z.array(z.string()).default([]),
  cloudAccountIds: z.array(z.string()).default([]),
  githubOrgs: z.array(z.string()).default([]),
  packageScopes: z.array(z.string()).default([]),
});

export const PlantedSecretSchema = z.strictObject({
  /** EXACTLY the secret as it appears (secret half of a pair; whole PEM block; password inside docker auth) */
  value: z.string().min(1),
  /** a detector family, e.g. aws, github, stripe, private-key, postgres-url (see docs/world-format.md) */
  kind: z.string().min(1),
  /** "namespace/repo:tag" */
  image: z.string().min(1),
  /** human description of where it is planted, e.g. "file /app/.env (layer 2)", "env", "readme" */
  where: z.string().min(1),
  source: z.enum(["file", "env", "label", "history", "cmd", "readme"]).optional(),
  path: z.string().optional(),
  deleted: z.boolean().default(false),
  platform: z.string().optional(),
});

export const ExpectedSchema = z.strictObject({
  shadowAccounts: z.array(z.string()).default([]),
  /** accounts whose evidence is partial: discovery should put them in review (0.5-0.8) or above */
  reviewAccounts: z.array(z.string()).default([]),
  lookalikes: z.array(z.string()).default([]),
  sanctioned: z.array(z.string()).default([]),
  /** why each shadow account is the company's (evidence type → matched value), for humans and tests */
  evidence: z.record(z.string(), z.array(z.strictObject({ type: z.string(), value: z.string() }))).default({}),
  plantedSecrets: z.array(PlantedSecretSchema).default([]),
  decoys: z.array(z.strictObject({ value: z.string().min(1), why: z.string(), image: z.string().optional() })).default([]),
});

export const WorldSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    name: z.string().min(1),
    description: z.string().default(""),
    /** seed of the fault RNG (probability faults) */
    seed: z.number().int().default(1),
    /** registry pull budget per client (ratelimit-limit), window 21600 s */
    pullLimit: z.number().int().min(1).default(100),
    /** Hub API budget per client per minute (X-RateLimit-Limit) */
    apiLimit: z.number().int().min(1).default(180),
    identity: IdentitySchema.optional(),
    accounts: z.array(AccountSchema),
    repositories: z.array(RepositorySchema).default([]),
    images: z.array(ImageSchema).default([]),
    faults: z.array(FaultSchema).default([]),
    expected: ExpectedSchema.optional(),
  })
  .superRefine((w, ctx) => {
    const accounts = new Set<string>();
    w.accounts.forEach((a, i) => {
      if (accounts.has(a.namespace)) ctx.addIssue({ code: "custom", message: `duplicate account "${a.namespace}"`, path: ["accounts", i, "namespace"] });
      accounts.add(a.namespace);
    });
    const images = new Set<string>();
    w.images.forEach((img, i) => {
      if (images.has(img.id)) ctx.addIssue({ code: "custom", message: `duplicate image id "${img.id}"`, path: ["images", i, "id"] });
      images.add(img.id);
    });
    const repos = new Set<string>();
    w.repositories.forEach((r, i) => {
      const full = `${r.namespace}/${r.name}`;
      if (!accounts.has(r.namespace) && r.namespace !== "library") {
        ctx.addIssue({ code: "custom", message: `repository "${full}" belongs to unknown account "${r.namespace}"`, path: ["repositories", i, "namespace"] });
      }
      if (repos.has(full)) ctx.addIssue({ code: "custom", message: `duplicate repository "${full}"`, path: ["repositories", i, "name"] });
      repos.add(full);
      const tags = new Set<string>();
      r.tags.forEach((t, j) => {
        if (!images.has(t.image)) ctx.addIssue({ code: "custom", message: `tag "${full}:${t.name}" points to unknown image "${t.image}"`, path: ["repositories", i, "tags", j, "image"] });
        if (tags.has(t.name)) ctx.addIssue({ code: "custom", message: `duplicate tag "${full}:${t.name}"`, path: ["repositories", i, "tags", j, "name"] });
        tags.add(t.name);
      });
    });
    w.images.forEach((img, i) =>
      img.platforms.forEach((p, j) => {
        const nonEmpty = p.config.history.filter((h) => !h.empty_layer).length;
        if (nonEmpty > 0) {
          ctx.addIssue({
            code: "custom",
            message: "config.history entries must be metadata-only (empty_layer: true); set a layer's own line with layers[].created_by",
            path: ["images", i, "platforms", j, "config", "history"],
          });
        }
      }),
    );
  });

export type World = z.infer<typeof WorldSchema>;
export type WorldInput = z.input<typeof WorldSchema>;
export type Account = z.infer<typeof AccountSchema>;
export type Repository = z.infer<typeof RepositorySchema>;
export type Tag = z.infer<typeof TagSchema>;
export type Image = z.infer<typeof ImageSchema>;
export type PlatformSpec = z.infer<typeof PlatformSchema>;
export type Layer = z.infer<typeof LayerSchema>;
export type Fault = z.infer<typeof FaultSchema>;
export type Identity = z.infer<typeof IdentitySchema>;
export type Expected = z.infer<typeof ExpectedSchema>;
export type PlantedSecret = z.infer<typeof PlantedSecretSchema>;

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(root)";
}

/** Validate a parsed JSON value as a world; throws AppError INVALID_INPUT listing every problem. */
export function parseWorld(input: unknown, source = "world"): World {
  const r = WorldSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const shown = issues.slice(0, 20).map((i) => `  ${i.path}: ${i.message}`).join("\n");
  const more = issues.length > 20 ? `\n  … and ${issues.length - 20} more` : "";
  throw new AppError("INVALID_INPUT", `${source} is not a valid world file:\n${shown}${more}`, { issues });
}

/** Read and validate a world file from disk. */
export async function loadWorldFile(file: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new AppError("INVALID_INPUT", `cannot read world file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError("INVALID_INPUT", `world file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseWorld(json, `world file ${file}`);
}
