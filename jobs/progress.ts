// Run progress shown on the Jobs page. Keyed by (functionId, eventId), which identifies a run in
// both modes (the Inngest provider mirrors its runs into JobRun under the same key).
import type { PrismaClient } from "@/lib/db/generated/client";

export async function setRunProgress(
  db: PrismaClient,
  run: { functionId: string; eventId: string },
  progress: Record<string, unknown>,
): Promise<void> {
  const row = await db.jobRun.findUnique({ where: { functionId_eventId: run }, select: { id: true, progress: true } });
  if (!row) return;
  const prev = row.progress && typeof row.progress === "object" ? (row.progress as Record<string, unknown>) : {};
  await db.jobRun.update({ where: { id: row.id }, data: { progress: { ...prev, ...progress } as never } });
}
