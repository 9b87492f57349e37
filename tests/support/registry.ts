// Test support for the registry conformance suite: a real CNCF distribution registry
// (Debian's `docker-registry`) on 127.0.0.1 with token auth whose JWTs this process issues,
// a "CDN" for the registry's redirect middleware, and real OCI images built with umoci and
// pushed with skopeo. Nothing here mocks the registry.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, createPrivateKey, randomUUID, sign } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REGISTRY_BIN = "/usr/bin/docker-registry";

export function which(bin: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    const p = path.join(dir, bin);
    if (existsSync(p)) return p;
  }
  return null;
}

/** What the suite needs; missing tools make it skip with this message. */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!existsSync(REGISTRY_BIN) && !which("docker-registry")) missing.push("docker-registry");
  for (const b of ["skopeo", "umoci", "openssl"]) if (!which(b)) missing.push(b);
  return missing;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// --- token service ---------------------------------------------------------------------------

export interface TokenKeys {
  keyPath: string;
  certPath: string;
  certDerBase64: string;
}

/** An RSA key and a self-signed cert (the registry's rootcertbundle) via the openssl CLI. */
export async function generateTokenKeys(dir: string): Promise<TokenKeys> {
  const keyPath = path.join(dir, "token-key.pem");
  const certPath = path.join(dir, "token-cert.pem");
  await run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=stowaway-test-token-issuer"]);
  const pem = readFileSync(certPath, "utf8");
  const certDerBase64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return { keyPath, certPath, certDerBase64 };
}

export interface TokenRequestLog {
  account: string | null;
  scopes: string[];
  service: string | null;
}

export interface TokenServer {
  url: string;
  realm: string;
  requests: TokenRequestLog[];
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/**
 * Issues RS256 JWTs the registry trusts (x5c = our self-signed cert). Grants: the push user
 * gets what it asks for; anonymous callers get pull, except on repositories under `private/`.
 */
export async function startTokenServer(opts: {
  keys: TokenKeys;
  issuer: string;
  service: string;
  users: Record<string, string>;
  expiresIn?: number;
}): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(opts.keys.keyPath));
  const requests: TokenRequestLog[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/token") {
      res.writeHead(404).end();
      return;
    }
    let account: string | null = null;
    const authz = req.headers.authorization ?? "";
    if (authz.startsWith("Basic ")) {
      const [u, ...rest] = Buffer.from(authz.slice(6), "base64").toString("utf8").split(":");
      if (!u || opts.users[u] !== rest.join(":")) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ details: "incorrect username or password" }));
        return;
      }
      account = u;
    }
    const scopes = url.searchParams.getAll("scope");
    requests.push({ account, scopes, service: url.searchParams.get("service") });
    const access = scopes.flatMap((s) => {
      const m = /^repository:([^:]+):(.+)$/.exec(s);
      if (!m) return [];
      const [, name, actions] = m as unknown as [string, string, string];
      const asked = actions.split(",");
      const granted = account ? asked : name.startsWith("private/") ? [] : asked.filter((a) => a === "pull");
      return [{ type: "repository", name, actions: granted }];
    });
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = opts.expiresIn ?? 300;
    const header = { typ: "JWT", alg: "RS256", x5c: [opts.keys.certDerBase64] };
    const claims = { iss: opts.issuer, sub: account ?? "", aud: opts.service, exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${b64url(sign("sha256", Buffer.from(input), key))}`;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({ token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// --- registry --------------------------------------------------------------------------------

export interface RunningRegistry {
  url: string;
  host: string; // "127.0.0.1:PORT" for skopeo
  process: ChildProcess;
  logs: () => string;
  stop(): Promise<void>;
}

export async function startRegistry(opts: {
  dir: string;
  name: string;
  storageDir: string;
  /** token auth; null = an open registry that never asks for a token */
  realm: string | null;
  service: string;
  issuer: string;
  certPath: string;
  /** enables distribution's `redirect` storage middleware: blob GETs 307 to baseurl + storage path */
  redirectBaseUrl?: string;
}): Promise<RunningRegistry> {
  const port = await freePort();
  const configPath = path.join(opts.dir, `${opts.name}.yml`);
  const middleware = opts.redirectBaseUrl
    ? `middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: ${opts.redirectBaseUrl}\n`
    : "";
  writeFileSync(
    configPath,
    `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${opts.storageDir}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
  secret: stowaway-conformance-${opts.name}
${
      opts.realm
        ? `auth:
  token:
    realm: ${opts.realm}
    service: ${opts.service}
    issuer: ${opts.issuer}
    rootcertbundle: ${opts.certPath}
`
        : ""
    }${middleware}`,
  );
  const bin = existsSync(REGISTRY_BIN) ? REGISTRY_BIN : "docker-registry";
  const child = spawn(bin, ["serve", configPath], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  // ready when /v2/ answers (401 with the challenge)
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${url}/v2/`);
      if (r.status === 401 || r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 200) throw new Error(`docker-registry did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    process: child,
    logs: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Serves the registry's storage files (what a CDN behind the redirect middleware would). */
export interface BlobCdn {
  url: string;
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

export async function startBlobCdn(storageDir: string, host = "127.0.0.2"): Promise<BlobCdn> {
  const requests: BlobCdn["requests"] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ path: url.pathname, authorization: req.headers.authorization });
    const file = path.join(storageDir, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(storageDir)) {
      res.writeHead(400).end();
      return;
    }
    stat(file).then(
      (st) => {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(st.size) });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  let bound = host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, host, () => resolve());
    });
  } catch {
    // no 127.0.0.2 on this machine: "localhost" is still a different origin from 127.0.0.1
    bound = "localhost";
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  }
  return {
    url: `http://${bound}:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// --- images ----------------------------------------------------------------------------------

export async function umoci(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("umoci", args, { cwd });
  return stdout;
}

export async function skopeoCopy(
  src: string,
  dest: string,
  opts: { creds: string; format?: "v2s2" | "oci"; all?: boolean; compress?: "gzip" | "zstd"; /** isolates skopeo's blob-info cache */ home?: string },
): Promise<void> {
  const args = ["copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", opts.creds];
  if (opts.format) args.push("--format", opts.format);
  if (opts.compress) args.push("--dest-compress", "--dest-compress-format", opts.compress);
  if (opts.all) args.push("--all");
  args.push(src, dest);
  try {
    await run("skopeo", args, { env: { ...process.env, HOME: opts.home ?? process.env.HOME ?? "/tmp" } });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`skopeo ${args.filter((a) => !a.includes(":") || a.startsWith("oci:") || a.startsWith("docker:")).join(" ")} failed: ${err.stderr ?? err.message}`);
  }
}

export interface OciLayout {
  dir: string;
  /** writes a blob into the layout, returns its descriptor fields */
  putBlob(data: Buffer | string): { digest: string; size: number };
  readBlob(digest: string): Buffer;
  /** adds (or replaces) a named entry of index.json */
  tag(name: string, desc: { mediaType: string; digest: string; size: number }): void;
  /** the descriptor index.json holds for `name` */
  ref(name: string): { mediaType: string; digest: string; size: number };
}

export function ociLayout(dir: string): OciLayout {
  const blobPath = (digest: string) => path.join(dir, "blobs", "sha256", digest.replace(/^sha256:/, ""));
  const readIndex = () => JSON.parse(readFileSync(path.join(dir, "index.json"), "utf8")) as { schemaVersion: 2; manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }> };
  return {
    dir,
    putBlob(data) {
      const b = Buffer.from(data);
      const digest = `sha256:${createHash("sha256").update(b).digest("hex")}`;
      mkdirSync(path.join(dir, "blobs", "sha256"), { recursive: true });
      writeFileSync(blobPath(digest), b);
      return { digest, size: b.length };
    },
    readBlob(digest) {
      return readFileSync(blobPath(digest));
    },
    tag(name, desc) {
      const idx = readIndex();
      idx.manifests = idx.manifests.filter((m) => m.annotations?.["org.opencontainers.image.ref.name"] !== name);
      idx.manifests.push({ ...desc, annotations: { "org.opencontainers.image.ref.name": name } });
      writeFileSync(path.join(dir, "index.json"), JSON.stringify(idx));
    },
    ref(name) {
      const m = readIndex().manifests.find((x) => x.annotations?.["org.opencontainers.image.ref.name"] === name);
      if (!m) throw new Error(`no ${name} in ${dir}`);
      return { mediaType: m.mediaType, digest: m.digest, size: m.size };
    },
  };
}
