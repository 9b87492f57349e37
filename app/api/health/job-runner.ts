// Job-runner state for /api/health. The jobs slice provides getJobRunnerStatus() in jobs/client.ts;
// until it is wired here the health check reports the configured mode as "not started".
import { getEnv } from "@/lib/env";

export interface JobRunnerStatus {
  mode: "embedded" | "inngest";
  state: string;
  [k: string]: unknown;
}

export async function jobRunnerStatus(): Promise<JobRunnerStatus> {
  return { mode: getEnv().jobsMode, state: "not started" };
}
