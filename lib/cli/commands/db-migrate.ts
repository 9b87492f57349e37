import { openDb } from "../../db/client";
import { applyMigrations } from "../../db/migrate";
import { getEnv } from "../../env";

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write("usage: stowaway db-migrate\nApplies prisma/migrations to DATABASE_URL (or the embedded database).\n");
    return 0;
  }
  const env = getEnv();
  const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
  try {
    const r = await applyMigrations(db, undefined, (l) => process.stdout.write(`${l}\n`));
    process.stdout.write(
      `${db.kind === "postgres" ? "PostgreSQL" : `embedded database (${env.dataDir})`}: ` +
        `${r.applied.length} applied, ${r.alreadyApplied} already applied\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
