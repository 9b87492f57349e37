// Next.js calls register() once per server process. Background services start here: only in the
// Node.js runtime and never during `next build` (the build must not open the database).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // Jobs: the embedded database runner (no-op in Inngest mode or with STOWAWAY_JOBS_DISABLED=1).
  if (!/^(1|true|yes)$/.test(process.env.STOWAWAY_JOBS_DISABLED ?? "")) {
    const { startJobRunner } = await import("./jobs/client");
    await startJobRunner().catch((e: unknown) => console.error("[jobs] runner did not start:", e instanceof Error ? e.message : e));
  }
}
