// The one entry point the app uses to enqueue work and to run the runner. Mode comes from env:
// INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY → Inngest; otherwise the embedded database runner.
// Same definitions (jobs/definitions) and the same event names in both modes.
import { randomUUID } from "node:crypto";
import type { Inngest } from "inngest";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { AnyJobDefinition, JobEventInput } from "./define";
import { getJobDeps } from "./deps";
import { ALL_JOBS } from "./definitions";
import { EmbeddedRunner, enqueueEvents, type EmbeddedRunnerOptions, type RunnerStatus } from "./providers/embedded";

export { EVENTS } from "./definitions/events";
export type { JobEventInput } from "./define";

export type JobsMode = "inngest" | "embedded";

interface JobsState {
  runner?: EmbeddedRunner;
  inngest?: Inngest;
  modeOverride?: JobsMode;
}
// globalThis: Next dev reloads modules; one runner per process
const g = globalThis as unknown as { __stowawayJobs?: JobsState };
const state = (g.__stowawayJobs ??= {});

export async function getJobsMode(): Promise<JobsMode> {
  if (state.modeOverride) return state.modeOverride;
  const { getEnv } = await import("@/lib/env");
  return getEnv().jobsMode;
}

export async function getInngestClient(): Promise<Inngest> {
  if (!state.inngest) {
    const { getEnv } = await import("@/lib/env");
    const env = getEnv();
    if (!env.INNGEST_EVENT_KEY || !env.INNGEST_SIGNING_KEY) throw new Error("Inngest is not configured");
    const { createInngestClient } = await import("./providers/inngest");
    state.inngest = createInngestClient({ eventKey: env.INNGEST_EVENT_KEY, signingKey: env.INNGEST_SIGNING_KEY, baseUrl: env.INNGEST_BASE_URL });
  }
  return state.inngest;
}

/** The Inngest functions for `serve()` at /api/inngest. */
export async function getInngestFunctions() {
  const client = await getInngestClient();
  const { toInngestFunction } = await import("./providers/inngest");
  return { client, functions: ALL_JOBS.map((d) => toInngestFunction(client, d, getJobDeps, ALL_JOBS)) };
}

/**
 * Enqueues events (app routes call this: "Run discovery now", "Rescan account"). Returns the
 * event ids. Idempotent per event id.
 */
export async function sendEvents(events: JobEventInput[], db?: PrismaClient): Promise<string[]> {
  const withIds = events.map((e) => ({ ...e, id: e.id ?? randomUUID() }));
  const database = db ?? (await getJobDeps()).db;
  if ((await getJobsMode()) === "inngest") {
    const { sendToInngest } = await import("./providers/inngest");
    await sendToInngest(await getInngestClient(), database, ALL_JOBS, withIds);
  } else {
    await enqueueEvents(database, ALL_JOBS, withIds);
  }
  return withIds.map((e) => e.id);
}

export const triggerJob = (event: JobEventInput, db?: PrismaClient) => sendEvents([event], db).then((ids) => ids[0]!);

/**
 * Starts the in-process runner (embedded mode only; no-op under Inngest or when disabled).
 * Called from instrumentation.ts on the nodejs runtime, and by the demo/bench/tests.
 */
export async function startJobRunner(opts: Partial<EmbeddedRunnerOptions> = {}): Promise<EmbeddedRunner | null> {
  if ((await getJobsMode()) === "inngest") return null;
  if (state.runner) return state.runner;
  const deps = await getJobDeps();
  state.runner = new EmbeddedRunner({
    db: deps.db,
    definitions: ALL_JOBS as AnyJobDefinition[],
    deps: getJobDeps,
    log: (msg, extra) => console.warn(msg, extra ? JSON.stringify(extra) : ""),
    ...opts,
  });
  state.runner.start();
  return state.runner;
}

export async function stopJobRunner(): Promise<void> {
  const r = state.runner;
  state.runner = undefined;
  await r?.stop();
}

export type JobRunnerStatus = RunnerStatus | { mode: "inngest"; configured: true } | { mode: "embedded"; started: false; reason: string };

/** For /api/health. */
export async function getJobRunnerStatus(): Promise<JobRunnerStatus> {
  if ((await getJobsMode()) === "inngest") return { mode: "inngest", configured: true };
  if (state.runner) return state.runner.status();
  return { mode: "embedded", started: false, reason: "runner not started in this process" };
}

/** Tests: force a mode without touching env. */
export function setJobsModeForTests(mode: JobsMode | undefined): void {
  state.modeOverride = mode;
}

// ─── Requests from the app (authorised by the caller; scoped here) ──────────────────────────

interface RequestCtx {
  orgId: string;
  userId: string;
  userEmail: string;
}

async function audit(db: PrismaClient, ctx: RequestCtx, action: string, targetType: string, targetId: string | null, details: Record<string, unknown>) {
  const { recordAudit } = await import("@/lib/audit");
  await recordAudit(db, ctx, { action, targetType, targetId, details });
}

/** "Run discovery now". One pending discovery per organisation: a second click joins the first. */
export async function requestDiscovery(ctx: RequestCtx, db?: PrismaClient): Promise<{ eventId: string; alreadyQueued: boolean }> {
  const database = db ?? (await getJobDeps()).db;
  const pending = await database.jobRun.findFirst({
    where: { orgId: ctx.orgId, functionId: "org-discovery", status: { in: ["queued", "running"] } },
    select: { eventId: true },
  });
  if (pending) return { eventId: pending.eventId, alreadyQueued: true };
  const { EVENTS } = await import("./definitions/events");
  const eventId = await triggerJob({ name: EVENTS.discoveryRequested, data: { orgId: ctx.orgId, requestedBy: ctx.userId, reason: "manual" } }, database);
  await audit(database, ctx, "jobs.discovery_requested", "organization", ctx.orgId, { eventId });
  return { eventId, alreadyQueued: false };
}

/** "Rescan account": re-lists tags; only new or changed digests (or failed ones) are scanned. */
export async function requestAccountScan(ctx: RequestCtx, accountId: string, db?: PrismaClient): Promise<{ eventId: string }> {
  const database = db ?? (await getJobDeps()).db;
  const account = await database.hubAccount.findFirst({ where: { id: accountId, orgId: ctx.orgId }, select: { id: true, namespace: true } });
  if (!account) {
    const { AppError } = await import("@/lib/errors");
    throw new AppError("NOT_FOUND", "Account not found");
  }
  const { EVENTS } = await import("./definitions/events");
  const eventId = await triggerJob(
    { name: EVENTS.accountScanRequested, data: { orgId: ctx.orgId, accountId, requestedBy: ctx.userId, reason: "manual" } },
    database,
  );
  await audit(database, ctx, "jobs.account_scan_requested", "account", accountId, { eventId, namespace: account.namespace });
  return { eventId };
}

/** "Retry": embedded mode resumes the run (completed steps stay done); Inngest mode re-sends its event. */
export async function retryJob(ctx: RequestCtx, runId: string, db?: PrismaClient): Promise<{ retried: true }> {
  const database = db ?? (await getJobDeps()).db;
  const { AppError } = await import("@/lib/errors");
  const run = await database.jobRun.findFirst({ where: { id: runId, orgId: ctx.orgId }, select: { id: true, status: true, eventName: true, payload: true, functionId: true } });
  if (!run) throw new AppError("NOT_FOUND", "Job run not found");
  if (run.status !== "failed" && run.status !== "cancelled") throw new AppError("CONFLICT", "Only failed runs can be retried");
  if ((await getJobsMode()) === "inngest") {
    await sendEvents([{ name: run.eventName, data: run.payload as Record<string, unknown> }], database);
  } else {
    const { retryRun } = await import("./providers/embedded");
    if (!(await retryRun(database, ctx, runId))) throw new AppError("CONFLICT", "This run is no longer failed");
  }
  await audit(database, ctx, "jobs.retried", "job_run", runId, { functionId: run.functionId });
  return { retried: true };
}
