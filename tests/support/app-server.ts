// Starts the real, built Stowaway app (`next start`) for integration and browser tests.
// - Builds once (`next build`) when .next is missing or older than any source file; a lock
//   directory keeps concurrent test processes from building twice.
// - Each server gets a random port on 127.0.0.1, a fresh temporary STOWAWAY_DATA_DIR (embedded
//   PGlite) or, with { backend: "postgres" }, a fresh database on STOWAWAY_TEST_PG_URL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const BUILD_ID = path.join(ROOT, ".next", "BUILD_ID");
const LOCK_DIR = path.join(ROOT, ".next-build.lock");
const SOURCE_ROOTS = ["app", "lib", "jobs", "public", "prisma", "next.config.ts", "instrumentation.ts", "package.json", "tsconfig.json"];

export type Backend = "pglite" | "postgres";

/** Backends the integration suite runs on: PGlite always, PostgreSQL when STOWAWAY_TEST_PG_URL is set. */
export function testBackends(): Backend[] {
  return process.env.STOWAWAY_TEST_PG_URL ? ["pglite", "postgres"] : ["pglite"];
}

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      const base = path.basename(p);
      if (base === "node_modules" || base === "generated" || base.startsWith(".")) return;
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
      return;
    }
    if (/\.(test|spec|integration\.test)\.tsx?$/.test(p) || /\.md$/.test(p)) return;
    newest = Math.max(newest, st.mtimeMs);
  };
  for (const r of SOURCE_ROOTS) walk(path.join(ROOT, r));
  return newest;
}

function buildIsFresh(): boolean {
  try {
    return fs.statSync(BUILD_ID).mtimeMs >= newestSourceMtime();
  } catch {
    return false;
  }
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** `next build` once if needed. Safe to call from several test files/processes. */
export async function ensureBuilt(): Promise<void> {
  if (process.env.STOWAWAY_TEST_SKIP_BUILD === "1" && fs.existsSync(BUILD_ID)) return;
  if (buildIsFresh()) return;
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      break;
    } catch {
      // Another process is building; a lock older than 20 minutes is stale.
      try {
        if (Date.now() - fs.statSync(LOCK_DIR).mtimeMs > 20 * 60_000) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch {
        /* removed meanwhile */
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another `next build`");
      await sleep(2000);
      if (buildIsFresh()) return;
    }
  }
  try {
    if (buildIsFresh()) return;
    const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      throw new Error(`next build failed (exit ${r.status}):\n${(r.stdout ?? "").slice(-4000)}\n${(r.stderr ?? "").slice(-4000)}`);
    }
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function createPgDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const pg = (await import("pg")).default;
  const name = `stowaway_t_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface AppServer {
  baseUrl: string;
  port: number;
  backend: Backend;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Server output so far (for assertions/diagnostics). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  backend?: Backend;
  env?: Record<string, string>;
  /** Fixed port (OIDC clients need the redirect URI before the app starts). */
  port?: number;
}

export async function startApp(opts: StartOptions = {}): Promise<AppServer> {
  await ensureBuilt();
  const backend = opts.backend ?? "pglite";
  const port = opts.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-app-"));
  let pgdb: { url: string; drop: () => Promise<void> } | undefined;
  if (backend === "postgres") {
    const admin = process.env.STOWAWAY_TEST_PG_URL;
    if (!admin) throw new Error("backend postgres needs STOWAWAY_TEST_PG_URL");
    pgdb = await createPgDatabase(admin);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    STOWAWAY_DATA_DIR: dataDir,
    NEXTAUTH_URL: baseUrl,
    PORT: String(port),
    STOWAWAY_JOBS_DISABLED: "1",
    ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
    ...opts.env,
  };
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += String(d)));
  child.stderr?.on("data", (d) => (output += String(d)));
  let exited = false;
  child.on("exit", () => (exited = true));

  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await new Promise<void>((r) => (exited ? r() : child.once("exit", () => r())));
      clearTimeout(t);
    }
    await pgdb?.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`next start exited early:\n${output.slice(-4000)}`);
    }
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`app did not become healthy within 90s:\n${output.slice(-4000)}`);
    }
    await sleep(300);
  }
  return { baseUrl, port, backend, dataDir, databaseUrl: pgdb?.url, logs: () => output, stop };
}
