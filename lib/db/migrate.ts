// Applies prisma/migrations/<name>/migration.sql in order and records them in
// _prisma_migrations exactly as `prisma migrate deploy` does (id, sha256 checksum of the file,
// started/finished timestamps, applied_steps_count), so either tool can take over later.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DbHandle } from "./client";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

// Same key Prisma's schema engine uses for its advisory lock on PostgreSQL.
const PRISMA_ADVISORY_LOCK = 72707369;

export function defaultMigrationsDir(): string {
  return path.resolve(process.env.STOWAWAY_MIGRATIONS_DIR ?? path.join(process.cwd(), "prisma", "migrations"));
}

export function readMigrations(dir = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new Error(`No migrations directory at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const buf = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: buf.toString("utf8"), checksum: crypto.createHash("sha256").update(buf).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface Row {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(
  db: Pick<DbHandle, "execScript" | "query" | "kind">,
  migrations: MigrationFile[] = readMigrations(),
  log: (line: string) => void = () => {},
): Promise<MigrationResult> {
  if (db.kind === "postgres") await db.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK})`);
  try {
    await db.execScript(CREATE_TABLE);
    const rows = await db.query<Row>(
      `SELECT id, migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier and was not rolled back. ` +
          `Fix the database, then mark it with \`prisma migrate resolve\` before starting again.`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior) {
        // Prisma warns (not fails) on a modified applied migration; we do the same.
        if (prior.checksum !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
        continue;
      }
      const id = crypto.randomUUID();
      await db.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
        [id, m.checksum, m.name],
      );
      try {
        // One transaction per migration, so a failure leaves no half-applied schema.
        await db.execScript(`BEGIN;\n${m.sql}\n;COMMIT;`);
      } catch (e) {
        await db.execScript("ROLLBACK;").catch(() => {});
        const msg = e instanceof Error ? e.message : String(e);
        await db.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, msg]);
        throw new Error(`Migration ${m.name} failed: ${msg}`, { cause: e });
      }
      await db.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    if (db.kind === "postgres") await db.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK})`);
  }
}
