// GET /api/health - liveness and readiness: database (kind, migrations applied) and job runner.
// No authentication; reveals no tenant data. 200 when the database answers, 503 otherwise.
import { getDbHandle } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { json } from "@/lib/http/respond";
import { jobRunnerStatus } from "./job-runner";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const jobs = await jobRunnerStatus().catch(() => ({ mode: getEnv().jobsMode, state: "unknown" }));
  try {
    const h = await getDbHandle();
    const rows = await h.query<{ n: number | string }>(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return json({
      status: "ok",
      database: { status: "ok", kind: h.kind, migrationsApplied: Number(rows[0]?.n ?? 0) },
      jobs,
    });
  } catch (e) {
    console.error("[health] database check failed:", e instanceof Error ? e.message : String(e));
    return json({ status: "error", database: { status: "error", message: "Database is not reachable" }, jobs }, 503);
  }
}
