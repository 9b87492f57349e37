// Building blocks for world generators: a seeded RNG, generators of INVENTED secrets of the right
// shape (never real keys), and a builder that records ground truth (planted secrets, decoys) while
// images are assembled. Used by generate-acme.ts and tests/fixtures/worlds/generate-globex.ts.
import { crc32 } from "node:zlib";
import { seededRng } from "../faults";
import type { FileEntry, WorldInput } from "../world";

type LayerIn = NonNullable<NonNullable<WorldInput["images"]>[number]["platforms"][number]["layers"]>[number];
type PlatformIn = NonNullable<WorldInput["images"]>[number]["platforms"][number];
type ImageIn = NonNullable<WorldInput["images"]>[number];
type RepoIn = NonNullable<WorldInput["repositories"]>[number];
type AccountIn = WorldInput["accounts"][number];
export type { LayerIn, PlatformIn, ImageIn, RepoIn, AccountIn };

export const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE = `${ALNUM}_-`;
const B64 = `${ALNUM}+/`;
const UPPERNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX = "0123456789abcdef";

export class Rng {
  /** the simulator's one seeded generator (mulberry32), so worlds and faults draw alike */
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  str(n: number, alphabet: string): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)]!;
    return s;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }
  date(fromYear: number, toYear: number): string {
    const from = Date.UTC(fromYear, 0, 1);
    const to = Date.UTC(toYear, 11, 31);
    const t = from + Math.floor(this.next() * (to - from));
    return new Date(Math.floor(t / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }
}

function base62(n: number, width: number): string {
  let out = "";
  let v = n;
  while (v > 0) {
    out = B62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

function base32(buf: Buffer): string {
  const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  let bits = 0;
  let val = 0;
  for (const b of buf) {
    val = (val << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alpha[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
    val &= (1 << bits) - 1;
  }
  if (bits > 0) out += alpha[(val << (5 - bits)) & 31];
  return out;
}

function wrap(s: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += width) lines.push(s.slice(i, i + width));
  return lines.join("\n");
}

/** Invented secrets of real shapes. */
export class SecretFactory {
  constructor(private readonly rng: Rng) {}

  /** GitHub-style token: prefix + 30 base62 + base62(crc32(30 chars)) padded to 6 (valid checksum). */
  checksummed(prefix: string): string {
    const body = this.rng.str(30, B62);
    return `${prefix}${body}${base62(crc32(body), 6)}`;
  }
  /** Same shape with a WRONG checksum: a decoy. */
  badChecksum(prefix: string): string {
    const body = this.rng.str(30, B62);
    const good = base62(crc32(body), 6);
    const bad = good.slice(0, 5) + (good[5] === "0" ? "1" : "0");
    return `${prefix}${body}${bad}`;
  }
  ghp(): string {
    return this.checksummed("ghp_");
  }
  npm(): string {
    return this.checksummed("npm_");
  }
  stripe(): string {
    return `sk_live_${this.rng.str(40, ALNUM)}`;
  }
  openai(): string {
    return `sk-proj-${this.rng.str(74, URLSAFE)}T3BlbkFJ${this.rng.str(74, URLSAFE)}`;
  }
  anthropic(): string {
    return `sk-ant-api03-${this.rng.str(93, URLSAFE)}AA`;
  }
  huggingface(): string {
    return `hf_${this.rng.str(34, LETTERS)}`;
  }
  sendgrid(): string {
    return `SG.${this.rng.str(22, URLSAFE)}.${this.rng.str(43, URLSAFE)}`;
  }
  slackWebhook(): string {
    return `https://hooks.slack.com/services/T${this.rng.str(8, UPPERNUM)}/B${this.rng.str(10, UPPERNUM)}/${this.rng.str(24, ALNUM)}`;
  }
  slackBot(): string {
    return `xoxb-${this.rng.str(12, "0123456789")}-${this.rng.str(13, "0123456789")}-${this.rng.str(24, ALNUM)}`;
  }
  gitlab(): string {
    return `glpat-${this.rng.str(20, URLSAFE)}`;
  }
  dockerPat(): string {
    return `dckr_pat_${this.rng.str(27, URLSAFE)}`;
  }
  pypi(): string {
    return `pypi-AgEIcHlwaS5vcmc${this.rng.str(140, URLSAFE)}`;
  }
  password(n = 20): string {
    // high-entropy, URL-safe (no characters that need percent-encoding)
    return this.rng.str(n, ALNUM);
  }
  hex(n: number): string {
    return this.rng.str(n, HEX);
  }
  /** AWS access key id that encodes `accountId` (12 digits) + a 40-char secret key. */
  aws(accountId: string): { id: string; secret: string } {
    const z = (BigInt(accountId) << 7n) | BigInt(this.rng.int(0, 127));
    const head = Buffer.alloc(6);
    head.writeUIntBE(Number(z & 0xffffffffffffn), 0, 6);
    const id = `AKIA${base32(Buffer.concat([head, this.rng.bytes(4)]))}`;
    return { id, secret: this.rng.str(40, B64) };
  }
  jwt(payload: Record<string, unknown>): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${enc({ alg: "RS256", kid: this.rng.str(43, URLSAFE) })}.${enc(payload)}.${this.rng.bytes(256).toString("base64url")}`;
  }
  /** PKCS#1 RSA key-looking PEM (random DER-ish body). */
  rsaPem(): string {
    const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00]), this.rng.bytes(1180)]);
    return `-----BEGIN RSA PRIVATE KEY-----\n${wrap(der.toString("base64"), 64)}\n-----END RSA PRIVATE KEY-----`;
  }
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), as in GCP service-account files. */
  pkcs8Pem(): string {
    const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x04, 0xbe, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09]), this.rng.bytes(1200)]);
    return `-----BEGIN PRIVATE KEY-----\n${wrap(der.toString("base64"), 64)}\n-----END PRIVATE KEY-----`;
  }
  /** Unencrypted OpenSSH key-looking PEM (magic + cipher "none" + random). */
  opensshPem(): string {
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const none = Buffer.from("none");
    const body = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), u32(4), none, u32(4), none, u32(0), u32(1), this.rng.bytes(360)]);
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString("base64"), 70)}\n-----END OPENSSH PRIVATE KEY-----`;
  }
  /** GCP service-account JSON; the secret is the PEM inside private_key. */
  gcpServiceAccount(project: string, account: string): { json: string; pem: string } {
    const pem = this.pkcs8Pem();
    const json = JSON.stringify(
      {
        type: "service_account",
        project_id: project,
        private_key_id: this.hex(40),
        private_key: `${pem}\n`,
        client_email: `${account}@${project}.iam.gserviceaccount.com`,
        client_id: this.rng.str(21, "0123456789"),
        auth_uri: "https://accounts.google.com/o/oauth2/auth",
        token_uri: "https://oauth2.googleapis.com/token",
      },
      null,
      2,
    );
    return { json, pem };
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  sha256Hex(): string {
    return this.hex(64);
  }
  integrity(): string {
    return `sha512-${this.rng.bytes(64).toString("base64")}`;
  }
}

export interface PlantOpts {
  source: "file" | "env" | "label" | "history" | "cmd" | "readme";
  path?: string;
  deleted?: boolean;
  platform?: string;
}

/** Accumulates a world and its ground truth. */
export class WorldKit {
  readonly accounts: AccountIn[] = [];
  readonly repositories: RepoIn[] = [];
  readonly images: ImageIn[] = [];
  readonly planted: NonNullable<NonNullable<WorldInput["expected"]>["plantedSecrets"]> = [];
  readonly decoys: Array<{ value: string; why: string; image?: string }> = [];
  private readonly repoIndex = new Map<string, RepoIn>();

  constructor(readonly rng: Rng) {}

  account(a: AccountIn): AccountIn {
    this.accounts.push(a);
    return a;
  }

  repo(ns: string, name: string, meta: Partial<Omit<RepoIn, "namespace" | "name" | "tags">> = {}): RepoIn {
    const key = `${ns}/${name}`;
    let r = this.repoIndex.get(key);
    if (!r) {
      r = { namespace: ns, name, tags: [], ...meta };
      this.repoIndex.set(key, r);
      this.repositories.push(r);
    } else Object.assign(r, meta);
    return r;
  }

  /** Adds an image under ns/repo:tag (more tags may point to it); returns "ns/repo:tag". */
  image(ns: string, repo: string, tag: string, img: Omit<ImageIn, "id">, pushed?: string, moreTags: string[] = []): string {
    const id = `${ns}/${repo}:${tag}`;
    this.images.push({ id, ...img } as ImageIn);
    const r = this.repo(ns, repo);
    const when = pushed ?? this.rng.date(2023, 2025);
    r.tags = [...(r.tags ?? []), { name: tag, image: id, pushed: when }, ...moreTags.map((t) => ({ name: t, image: id, pushed: when }))];
    return id;
  }

  plant(ref: string, value: string, kind: string, where: string, o: PlantOpts): string {
    if (this.planted.some((p) => p.value === value)) throw new Error(`generator bug: secret planted twice (${kind} in ${ref})`);
    this.planted.push({ value, kind, image: ref, where, source: o.source, ...(o.path ? { path: o.path } : {}), deleted: o.deleted ?? false, ...(o.platform ? { platform: o.platform } : {}) });
    return value;
  }

  decoy(value: string, why: string, ref?: string): string {
    if (!this.decoys.some((d) => d.value === value)) this.decoys.push({ value, why, ...(ref ? { image: ref } : {}) });
    return value;
  }
}

// ---------- reusable, realistic layer content ----------

export function baseLayer(distro: "alpine" | "debian" | "distroless"): LayerIn {
  const osRelease =
    distro === "alpine"
      ? 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\nHOME_URL="https://alpinelinux.org/"\n'
      : distro === "debian"
        ? 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\nHOME_URL="https://www.debian.org/"\n'
        : 'PRETTY_NAME="Distroless"\nID=distroless\n';
  const files: FileEntry[] = [
    { path: "etc/os-release", content: osRelease },
    { path: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\napp:x:1000:1000::/home/app:/bin/sh\n" },
    { path: "etc/group", content: "root:x:0:\nnogroup:x:65534:\napp:x:1000:\n" },
    { path: "etc/hosts", content: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" },
    { path: "tmp", type: "dir", mode: 0o1777 },
    { path: "root", type: "dir", mode: 0o700 },
  ];
  if (distro !== "distroless") files.push({ path: "bin/sh", type: "symlink", linkname: distro === "alpine" ? "/bin/busybox" : "/bin/dash" });
  return { compression: "gzip", files, created_by: `/bin/sh -c #(nop) ADD file:${distro}-rootfs in / ` };
}

export function nodeAppFiles(name: string, scope: string | null, deps: Record<string, string>, integrity: string): FileEntry[] {
  const pkgName = scope ? `${scope}/${name}` : name;
  return [
    {
      path: "app/package.json",
      content: `${JSON.stringify({ name: pkgName, version: "1.4.2", private: true, main: "server.js", scripts: { start: "node server.js" }, dependencies: deps }, null, 2)}\n`,
    },
    {
      path: "app/package-lock.json",
      content: `${JSON.stringify(
        {
          name: pkgName,
          lockfileVersion: 3,
          packages: {
            "node_modules/express": { version: "4.19.2", resolved: "https://registry.npmjs.org/express/-/express-4.19.2.tgz", integrity },
          },
        },
        null,
        2,
      )}\n`,
    },
    { path: "app/server.js", content: `const express = require("express");\nconst app = express();\napp.get("/healthz", (_req, res) => res.send("ok"));\napp.listen(process.env.PORT || 8080);\n` },
  ];
}

// ---------- image shorthands ----------

export type Cfg = PlatformIn["config"];
export function single(layers: LayerIn[], config: Cfg = {}, opts: { format?: "docker" | "oci"; distro?: "alpine" | "debian" | "distroless"; arch?: string } = {}) {
  return {
    format: opts.format ?? "oci",
    platforms: [{ os: "linux", architecture: opts.arch ?? "amd64", config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], ...config }, layers: [baseLayer(opts.distro ?? "alpine"), ...layers] }],
  };
}
export function multi(perArch: (arch: string) => { layers: LayerIn[]; config?: Cfg }, opts: { attestation?: Record<string, string>; format?: "docker" | "oci" } = {}) {
  return {
    format: opts.format ?? ("oci" as const),
    ...(opts.attestation ? { attestation: { buildArgs: opts.attestation } } : {}),
    platforms: ["amd64", "arm64"].map((arch) => {
      const p = perArch(arch);
      return {
        os: "linux",
        architecture: arch,
        ...(arch === "arm64" ? { variant: "v8" } : {}),
        config: { Env: ["PATH=/usr/local/bin:/usr/bin:/bin"], ...(p.config ?? {}) },
        layers: [baseLayer("debian"), ...p.layers],
      };
    }),
  };
}
export const app = (files: LayerIn["files"], extra: Partial<LayerIn> = {}): LayerIn => ({ compression: "gzip", files, created_by: "COPY . /app # buildkit", ...extra });
export const noteFile = (p: string, text: string) => ({ path: p, content: text });

