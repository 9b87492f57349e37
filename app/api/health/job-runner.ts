// Job-runner state for /api/health, from jobs/client (embedded runner status or Inngest mode).
import { getJobRunnerStatus } from "@/jobs/client";

export interface JobRunnerStatus {
  mode: "embedded" | "inngest";
  state: string;
  [k: string]: unknown;
}

export async function jobRunnerStatus(): Promise<JobRunnerStatus> {
  const s = await getJobRunnerStatus();
  if (s.mode === "inngest") return { mode: "inngest", state: "configured" };
  if ("workerId" in s) return { ...s, state: s.started ? (s.lastError ? "degraded" : "running") : "stopped" };
  return { mode: "embedded", state: "not started", reason: s.reason };
}
