// Job-runner state for /api/health, normalised to { mode, state, ...details } from the jobs slice's
// getJobRunnerStatus() (jobs/client.ts). Imported lazily so that a problem loading the jobs code
// degrades the health answer to state "unknown" instead of breaking the health route itself.
export interface JobRunnerHealth {
  mode: "embedded" | "inngest";
  state: string;
  [k: string]: unknown;
}

export async function jobRunnerStatus(): Promise<JobRunnerHealth> {
  const { getJobRunnerStatus } = await import("@/jobs/client");
  const s = (await getJobRunnerStatus()) as unknown as Record<string, unknown> & { mode: "embedded" | "inngest" };
  if (s.mode === "inngest") return { ...s, mode: "inngest", state: "configured" };
  const started = s.started === true;
  const state = !started ? "not started" : s.lastError ? "degraded" : "running";
  // lastError is an internal message; health is unauthenticated, so only say whether there is one.
  const { lastError, ...rest } = s;
  return { ...rest, mode: "embedded", state, hasError: Boolean(lastError) };
}
