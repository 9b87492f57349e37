// The embedded runner: the same job definitions as Inngest, executed in-process on a database
// queue. Events are JobEvent rows (idempotent by event id), runs are JobRun rows (unique per
// function + event id), and every completed step is a JobStep row, so a resumed run replays
// memoised outputs instead of repeating side effects. A run is leased (`lockedUntil`, renewed
// while it works); a crashed process's runs are picked up again once the lease expires.
// Concurrency and throttle limits are enforced inside this process (one worker per
// installation is the supported shape; the lease keeps two workers from running the same run).
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { PrismaClient } from "@/lib/db/generated/client";
import {
  evalKey,
  NonRetriableJobError,
  type AnyJobDefinition,
  type JobEventInput,
  type StepTools,
} from "../define";
import type { JobDeps } from "../deps";

const wake = new EventEmitter();
wake.setMaxListeners(50);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const toJson = (v: unknown): Json => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json));

export interface EnqueueOptions {
  parentRunId?: string | null;
}

/**
 * Stores events and creates one run per matching definition. Idempotent: re-sending an event
 * with the same id creates nothing new (a crash between the two inserts is repaired by resending).
 */
export async function enqueueEvents(
  db: PrismaClient,
  definitions: readonly AnyJobDefinition[],
  events: JobEventInput[],
  opts: EnqueueOptions = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (const e of events) {
    const eventId = e.id ?? randomUUID();
    ids.push(eventId);
    const orgId = typeof e.data.orgId === "string" ? e.data.orgId : null;
    const matching = definitions.filter((d) => "event" in d.trigger && d.trigger.event === e.name);
    for (const d of matching) {
      const parsed = d.schema.safeParse(e.data);
      if (!parsed.success) {
        throw new NonRetriableJobError(`event ${e.name} has invalid data for ${d.id}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      }
    }
    await db.jobEvent.createMany({
      data: [{ eventId, name: e.name, orgId, data: toJson(e.data) as never }],
      skipDuplicates: true,
    });
    if (matching.length) {
      await db.jobRun.createMany({
        data: matching.map((d) => ({
          orgId,
          functionId: d.id,
          eventName: e.name,
          eventId,
          payload: toJson(e.data) as never,
          maxAttempts: d.retries + 1,
          parentRunId: opts.parentRunId ?? null,
        })),
        skipDuplicates: true,
      });
    }
  }
  wake.emit("wake");
  return ids;
}

class SleepSignal {
  constructor(readonly until: Date) {}
}

export interface EmbeddedRunnerOptions {
  db: PrismaClient;
  definitions: readonly AnyJobDefinition[];
  deps: () => Promise<JobDeps>;
  workerId?: string;
  pollMs?: number;
  leaseMs?: number;
  /** runs executing at once in this process */
  maxParallel?: number;
  /** base retry delay; attempt n waits base·2^(n-1) (capped at 10 min) */
  retryBaseMs?: number;
  /** false: cron triggers are not scheduled (tests) */
  schedule?: boolean;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface RunnerStatus {
  mode: "embedded";
  workerId: string;
  started: boolean;
  running: number;
  lastPollAt: string | null;
  lastError: string | null;
}

interface ActiveRun {
  id: string;
  keys: string[];
}

export class EmbeddedRunner {
  readonly workerId: string;
  private readonly db: PrismaClient;
  private readonly defs: Map<string, AnyJobDefinition>;
  private readonly opts: Required<Omit<EmbeddedRunnerOptions, "db" | "definitions" | "deps" | "workerId" | "log">>;
  private readonly depsFn: () => Promise<JobDeps>;
  private readonly log: (msg: string, extra?: Record<string, unknown>) => void;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private polling = false;
  private repoll = false;
  private active = new Map<string, ActiveRun>();
  private inflight = new Set<Promise<void>>();
  private throttleLog = new Map<string, number[]>();
  private lastPollAt: Date | null = null;
  private lastError: string | null = null;
  private readonly onWake = () => this.kick();

  constructor(o: EmbeddedRunnerOptions) {
    this.db = o.db;
    this.defs = new Map(o.definitions.map((d) => [d.id, d]));
    this.depsFn = o.deps;
    this.workerId = o.workerId ?? `w-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.opts = {
      pollMs: o.pollMs ?? 1000,
      leaseMs: o.leaseMs ?? 60_000,
      maxParallel: o.maxParallel ?? 4,
      retryBaseMs: o.retryBaseMs ?? 2000,
      schedule: o.schedule ?? true,
    };
    this.log = o.log ?? (() => {});
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    wake.on("wake", this.onWake);
    const loop = () => {
      if (!this.started) return;
      this.kick();
      this.timer = setTimeout(loop, this.opts.pollMs);
      this.timer.unref?.();
    };
    loop();
  }

  /** Stops polling and waits for in-flight runs to finish (their leases are released). */
  async stop(): Promise<void> {
    this.started = false;
    wake.off("wake", this.onWake);
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inflight]);
  }

  status(): RunnerStatus {
    return {
      mode: "embedded",
      workerId: this.workerId,
      started: this.started,
      running: this.active.size,
      lastPollAt: this.lastPollAt?.toISOString() ?? null,
      lastError: this.lastError,
    };
  }

  /** Resolves when nothing is queued, runnable or running (tests, demo, bench). */
  async drain(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.poll();
      await Promise.allSettled([...this.inflight]);
      const pending = await this.db.jobRun.count({
        where: { functionId: { in: [...this.defs.keys()] }, status: { in: ["queued", "running"] } },
      });
      if (pending === 0 && this.inflight.size === 0) return;
      if (Date.now() > deadline) throw new Error(`jobs did not drain within ${timeoutMs} ms (${pending} pending)`);
      const next = await this.db.jobRun.findFirst({
        where: { functionId: { in: [...this.defs.keys()] }, status: "queued" },
        orderBy: { runAfter: "asc" },
        select: { runAfter: true },
      });
      const wait = next ? Math.min(Math.max(next.runAfter.getTime() - Date.now(), 20), 1000) : 50;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private kick(): void {
    void this.poll().catch((e: unknown) => {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.log("jobs: poll failed", { error: this.lastError });
    });
  }

  /** One scheduling pass: enqueue due cron ticks, claim runnable runs within the limits. */
  async poll(): Promise<void> {
    if (this.polling) {
      this.repoll = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.repoll = false;
        this.lastPollAt = new Date();
        if (this.opts.schedule) await this.scheduleCron();
        await this.claimRunnable();
      } while (this.repoll);
    } finally {
      this.polling = false;
    }
  }

  private async scheduleCron(): Promise<void> {
    const now = Date.now();
    for (const d of this.defs.values()) {
      if (!("cron" in d.trigger)) continue;
      const slot = Math.floor(now / d.trigger.everyMs);
      const eventId = `cron:${d.id}:${slot}`;
      await this.db.jobEvent.createMany({ data: [{ eventId, name: `cron/${d.id}`, data: {} }], skipDuplicates: true });
      await this.db.jobRun.createMany({
        data: [{ functionId: d.id, eventName: `cron/${d.id}`, eventId, payload: {}, maxAttempts: d.retries + 1 }],
        skipDuplicates: true,
      });
    }
  }

  private concurrencyKeys(d: AnyJobDefinition, data: Record<string, unknown>): Array<{ key: string; limit: number }> {
    return (d.concurrency ?? []).map((c) => ({
      key: `${c.scope === "env" ? "env" : d.id}|${c.key ? evalKey(c.key, data) : ""}`,
      limit: c.limit,
    }));
  }

  private async claimRunnable(): Promise<void> {
    const free = this.opts.maxParallel - this.active.size;
    if (free <= 0) return;
    const now = new Date();
    const runnable = {
      functionId: { in: [...this.defs.keys()] },
      OR: [
        { status: "queued", runAfter: { lte: now } },
        { status: "running", lockedUntil: { lt: now } },
      ],
    };
    // Candidates per function: a long backlog of one function (1,000 queued account scans) must
    // not hide the runnable runs of another behind its concurrency limit (head-of-line blocking).
    const perFunction = await Promise.all(
      [...this.defs.keys()].map((functionId) =>
        this.db.jobRun.findMany({
          where: { ...runnable, functionId },
          orderBy: [{ runAfter: "asc" }, { createdAt: "asc" }],
          take: Math.max(20, free * 5),
          select: { id: true, functionId: true, payload: true, runAfter: true },
        }),
      ),
    );
    const candidates = perFunction.flat().sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime());
    let started = 0;
    for (const c of candidates) {
      if (started >= free) break;
      if (this.active.has(c.id)) continue;
      const d = this.defs.get(c.functionId);
      if (!d) continue;
      const data = (c.payload ?? {}) as Record<string, unknown>;
      const keys = this.concurrencyKeys(d, data);
      if (keys.some((k) => this.countActive(k.key) >= k.limit)) continue;
      if (!this.throttleAllows(d, data)) continue;
      const claimed = await this.db.jobRun.updateMany({
        where: { id: c.id, ...runnable },
        data: {
          status: "running",
          lockedBy: this.workerId,
          lockedUntil: new Date(Date.now() + this.opts.leaseMs),
          attempt: { increment: 1 },
          startedAt: now,
        },
      });
      if (claimed.count !== 1) continue;
      started++;
      this.noteThrottle(d, data);
      const entry: ActiveRun = { id: c.id, keys: keys.map((k) => k.key) };
      this.active.set(c.id, entry);
      const p = this.execute(c.id, d)
        .catch((e: unknown) => {
          this.lastError = e instanceof Error ? e.message : String(e);
          this.log("jobs: run bookkeeping failed", { runId: c.id, error: this.lastError });
        })
        .finally(() => {
          this.active.delete(c.id);
          this.inflight.delete(p);
          if (this.started) this.kick();
        });
      this.inflight.add(p);
    }
  }

  private countActive(key: string): number {
    let n = 0;
    for (const a of this.active.values()) if (a.keys.includes(key)) n++;
    return n;
  }

  private throttleKey(d: AnyJobDefinition, data: Record<string, unknown>): string {
    return `${d.id}|${d.throttle?.key ? evalKey(d.throttle.key, data) : ""}`;
  }

  private throttleAllows(d: AnyJobDefinition, data: Record<string, unknown>): boolean {
    if (!d.throttle) return true;
    const k = this.throttleKey(d, data);
    const since = Date.now() - d.throttle.periodMs;
    const starts = (this.throttleLog.get(k) ?? []).filter((t) => t > since);
    this.throttleLog.set(k, starts);
    return starts.length < d.throttle.limit;
  }

  private noteThrottle(d: AnyJobDefinition, data: Record<string, unknown>): void {
    if (!d.throttle) return;
    const k = this.throttleKey(d, data);
    this.throttleLog.set(k, [...(this.throttleLog.get(k) ?? []), Date.now()]);
  }

  private async execute(runId: string, d: AnyJobDefinition): Promise<void> {
    const run = await this.db.jobRun.findUnique({ where: { id: runId }, include: { steps: true } });
    if (!run) return;
    const memo = new Map(run.steps.map((s) => [s.stepId, s.output as { v: unknown } | null]));
    const seen = new Map<string, number>();
    const db = this.db;
    const leaseMs = this.opts.leaseMs;
    const workerId = this.workerId;
    let lost = false;

    const heartbeat = setInterval(() => {
      void db.jobRun
        .updateMany({ where: { id: runId, lockedBy: workerId, status: "running" }, data: { lockedUntil: new Date(Date.now() + leaseMs) } })
        .then((r) => {
          if (r.count === 0) lost = true;
        })
        .catch(() => {});
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();

    // Step ids repeat in loops; like Inngest, later uses get a ":n" suffix.
    const uniqueId = (id: string): string => {
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return n === 0 ? id : `${id}:${n}`;
    };
    const persist = async (stepId: string, value: unknown) => {
      if (lost) throw new Error("lease lost: another worker owns this run");
      const output = { v: toJson(value) };
      await db.jobStep.createMany({ data: [{ runId, stepId, output: output as never }], skipDuplicates: true });
      memo.set(stepId, output);
    };

    const step: StepTools = {
      run: async <T>(id: string, fn: () => Promise<T> | T): Promise<T> => {
        const sid = uniqueId(id);
        const m = memo.get(sid);
        if (m) return m.v as T;
        const value = await fn();
        await persist(sid, value);
        // Return the JSON round-trip so a fresh run and a resumed run see identical values.
        return toJson(value) as T;
      },
      sendEvent: async (id, events) => {
        const sid = uniqueId(id);
        if (memo.get(sid)) return;
        const list = Array.isArray(events) ? events : [events];
        // Derived ids make a re-sent step (crash before memoising) a no-op.
        const withIds = list.map((e, i) => ({ ...e, id: e.id ?? `${runId}:${sid}:${i}` }));
        await enqueueEvents(db, [...this.defs.values()], withIds, { parentRunId: runId });
        await persist(sid, { ids: withIds.map((e) => e.id) });
      },
      sleep: async (id, ms) => {
        const sid = uniqueId(id);
        const m = memo.get(sid) as { v: { until: string } } | undefined;
        if (m) {
          const until = new Date(m.v.until);
          if (until.getTime() > Date.now()) throw new SleepSignal(until);
          return;
        }
        const until = new Date(Date.now() + ms);
        await persist(sid, { until: until.toISOString() });
        throw new SleepSignal(until);
      },
    };

    const payload = (run.payload ?? {}) as Record<string, unknown>;
    try {
      const parsed = d.schema.safeParse(payload);
      if (!parsed.success) throw new NonRetriableJobError(`invalid event data: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
      const deps = await this.depsFn();
      const result = await d.handler({
        event: { name: run.eventName, id: run.eventId, data: parsed.data },
        step,
        runId,
        attempt: Math.max(0, run.attempt - 1),
        deps,
      });
      await db.jobRun.updateMany({
        where: { id: runId, lockedBy: workerId },
        data: {
          status: "completed",
          finishedAt: new Date(),
          lockedBy: null,
          lockedUntil: null,
          error: null,
          progress: mergeProgress(run.progress, { result: toJson(result) }) as never,
        },
      });
    } catch (e) {
      if (e instanceof SleepSignal) {
        await db.jobRun.updateMany({
          where: { id: runId, lockedBy: workerId },
          // a sleep is not a failed attempt
          data: { status: "queued", runAfter: e.until, lockedBy: null, lockedUntil: null, attempt: { decrement: 1 } },
        });
        return;
      }
      const message = errorMessage(e);
      const final = e instanceof NonRetriableJobError || run.attempt >= run.maxAttempts;
      if (final) {
        await db.jobRun.updateMany({
          where: { id: runId, lockedBy: workerId },
          data: { status: "failed", finishedAt: new Date(), lockedBy: null, lockedUntil: null, error: message },
        });
        if (d.onFailure) {
          try {
            await d.onFailure({ event: { name: run.eventName, id: run.eventId, data: payload as never }, error: message, deps: await this.depsFn() });
          } catch (err) {
            this.log("jobs: onFailure failed", { runId, error: errorMessage(err) });
          }
        }
      } else {
        const delay = Math.min(this.opts.retryBaseMs * 2 ** Math.max(0, run.attempt - 1), 600_000);
        const jitter = Math.floor(Math.random() * Math.min(1000, delay / 4));
        await db.jobRun.updateMany({
          where: { id: runId, lockedBy: workerId },
          data: { status: "queued", runAfter: new Date(Date.now() + delay + jitter), lockedBy: null, lockedUntil: null, error: message },
        });
      }
      this.log("jobs: run failed", { runId, functionId: d.id, attempt: run.attempt, final, error: message });
    } finally {
      clearInterval(heartbeat);
    }
  }
}

function mergeProgress(prev: unknown, extra: Record<string, unknown>): Record<string, unknown> {
  return { ...(prev && typeof prev === "object" ? (prev as Record<string, unknown>) : {}), ...extra };
}

/** Error text for run rows: bounded, single line (scanner errors never carry secret values). */
export function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\s+/g, " ").slice(0, 500);
}

/** Re-queues a failed or cancelled run (the Jobs page "Retry"): completed steps stay memoised. */
export async function retryRun(db: PrismaClient, scope: { orgId: string }, runId: string): Promise<boolean> {
  if (!scope.orgId) throw new Error("tenant scope missing");
  const r = await db.jobRun.updateMany({
    where: { id: runId, orgId: scope.orgId, status: { in: ["failed", "cancelled"] } },
    data: { status: "queued", attempt: 0, runAfter: new Date(), error: null, finishedAt: null },
  });
  wake.emit("wake");
  return r.count === 1;
}
