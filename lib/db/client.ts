// The one place that builds the Prisma client.
// DATABASE_URL=postgres://… → @prisma/adapter-pg; unset → embedded PGlite in <dataDir>/pglite.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

export interface DbConfig {
  /** postgres:// URL; undefined selects the embedded database. */
  databaseUrl?: string | undefined;
  /** Embedded database directory (PGlite files go in <dataDir>/pglite). */
  dataDir: string;
}

export interface DbHandle {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  /** Runs a multi-statement SQL script outside Prisma (used by the migration applier). */
  execScript(sql: string): Promise<void>;
  /** Parameterised query returning rows (used by the migration applier and health checks). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openDb(config: DbConfig): Promise<DbHandle> {
  if (config.databaseUrl) {
    const pg = await import("pg");
    const pool = new pg.default.Pool({ connectionString: config.databaseUrl, max: 10 });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      prisma,
      kind: "postgres",
      async execScript(sql) {
        const c = await pool.connect();
        try {
          await c.query(sql);
        } finally {
          c.release();
        }
      },
      async query(sql, params = []) {
        const r = await pool.query(sql, params);
        return r.rows;
      },
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const dir = path.join(config.dataDir, "pglite");
  fs.mkdirSync(dir, { recursive: true });
  // pg_trgm: trigram indexes for the findings text search (migration 20261127231500)
  const lite = await PGlite.create(dir, { extensions: { pg_trgm } });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return {
    prisma,
    kind: "pglite",
    async execScript(sql) {
      await lite.exec(sql);
    },
    async query(sql, params = []) {
      const r = await lite.query(sql, params);
      return r.rows as never[];
    },
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

// Process-wide handle for the app and jobs; kept on globalThis so Next's dev reloads reuse it
// (PGlite allows one open instance per data directory).
const g = globalThis as unknown as { __stowawayDb?: Promise<DbHandle> };

export function setGlobalDb(handle: Promise<DbHandle>): void {
  g.__stowawayDb = handle;
}

export async function getDbHandle(): Promise<DbHandle> {
  if (!g.__stowawayDb) {
    const { getEnv } = await import("../env");
    const env = getEnv();
    g.__stowawayDb = (async () => {
      const h = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
      const { applyMigrations } = await import("./migrate");
      await applyMigrations(h);
      return h;
    })();
    g.__stowawayDb.catch(() => {
      g.__stowawayDb = undefined;
    });
  }
  return g.__stowawayDb;
}

export async function getDb(): Promise<PrismaClient> {
  return (await getDbHandle()).prisma;
}
