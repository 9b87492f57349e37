import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "./client";
import { applyMigrations, readMigrations } from "./migrate";

const pgUrl = process.env.STOWAWAY_TEST_PG_URL;

const targets: Array<[string, string | undefined]> = [["pglite", undefined]];
if (pgUrl) targets.push(["postgres", pgUrl]);

describe.each(targets)("migrations on %s", (_kind, url) => {
  let h: DbHandle | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("applies every migration once and records them as Prisma does", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-mig-"));
    h = await openDb({ databaseUrl: url ? await freshDatabase(url) : undefined, dataDir: dir });
    const files = readMigrations();
    const first = await applyMigrations(h, files);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await applyMigrations(h, files);
    expect(second.applied).toEqual([]);
    const rows = await h.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }>(
      `SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      files.map((f) => [f.name, f.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    // the schema is usable through Prisma
    const org = await h.prisma.organization.create({ data: { slug: `t-${Date.now()}`, name: "T" } });
    expect(org.id).toBeTruthy();
  });

  it("records a failed migration and refuses to continue past it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-mig-"));
    h = await openDb({ databaseUrl: url ? await freshDatabase(url) : undefined, dataDir: dir });
    const bad = [{ name: "20990101000000_bad", sql: "CREATE TABLE ok_table (id int); SELECT no_such_fn();", checksum: "x".repeat(64) }];
    await expect(applyMigrations(h, bad)).rejects.toThrow(/20990101000000_bad failed/);
    // the transaction rolled back: nothing half-applied
    const t = await h.query(`SELECT to_regclass('ok_table') AS t`);
    expect((t[0] as { t: unknown }).t).toBeNull();
    await expect(applyMigrations(h, bad)).rejects.toThrow(/failed earlier/);
  });
});

async function freshDatabase(url: string): Promise<string> {
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const name = `stowaway_mig_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
