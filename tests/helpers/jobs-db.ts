// A fresh, migrated database for job tests: PGlite in a temp directory, or a new database on
// STOWAWAY_TEST_PG_URL when that is set (the suite runs on both).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type DbHandle } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

export const testDbKinds: Array<[string, string | undefined]> = [
  ["pglite", undefined],
  ...(process.env.STOWAWAY_TEST_PG_URL ? [["postgres", process.env.STOWAWAY_TEST_PG_URL] as [string, string]] : []),
];

export async function freshDb(pgUrl?: string, dataDir?: string): Promise<DbHandle & { dataDir: string; url: string | undefined }> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-jobs-"));
  const url = pgUrl ? await createDatabase(pgUrl) : undefined;
  const h = await openDb({ databaseUrl: url, dataDir: dir });
  await applyMigrations(h);
  return Object.assign(h, { dataDir: dir, url });
}

async function createDatabase(url: string): Promise<string> {
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const name = `stowaway_jobs_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
