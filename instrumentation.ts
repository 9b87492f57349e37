// Next.js calls register() once per server process. Background services start here: only in the
// Node.js runtime and never during `next build` (the build must not open the database).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // JOBS HOOK: the jobs slice starts the embedded runner here, e.g.
  //   const { startEmbeddedRunner } = await import("./jobs/embedded-start");
  //   await startEmbeddedRunner();
}
