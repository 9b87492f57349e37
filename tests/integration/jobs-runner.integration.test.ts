// The embedded runner's durable semantics on a real database: memoised steps across retries,
// idempotent events and fan-out, sleeps, concurrency limits, final failure + retry, and
// resuming a run whose lease expired (a crashed worker).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, NonRetriableJobError, type AnyJobDefinition } from "@/jobs/define";
import type { JobDeps } from "@/jobs/deps";
import { EmbeddedRunner, enqueueEvents, retryRun } from "@/jobs/providers/embedded";
import { freshDb, testDbKinds } from "../helpers/jobs-db";

describe.each(testDbKinds)("embedded runner on %s", (_kind, pgUrl) => {
  // one database for the file (distinct function ids per test): creating one per test is slow
  let h: Awaited<ReturnType<typeof freshDb>>;
  const runners: EmbeddedRunner[] = [];
  beforeAll(async () => {
    h = await freshDb(pgUrl);
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await h.close();
  });

  async function setup(defs: AnyJobDefinition[], opts: { maxParallel?: number } = {}) {
    const runner = new EmbeddedRunner({
      db: h.prisma,
      definitions: defs,
      deps: async () => ({ db: h.prisma }) as unknown as JobDeps,
      pollMs: 50,
      leaseMs: 2000,
      retryBaseMs: 20,
      schedule: false,
      maxParallel: opts.maxParallel ?? 4,
    });
    runners.push(runner);
    return { h, db: h.prisma, runner };
  }

  it("memoises completed steps: a retried run does not repeat them", async () => {
    const calls = { a: 0, b: 0 };
    const job = defineJob({
      id: "memo",
      name: "memo",
      trigger: { event: "t/memo" },
      schema: z.object({ orgId: z.string() }),
      retries: 3,
      async handler({ step }) {
        const a = await step.run("a", () => ++calls.a * 10);
        const b = await step.run("b", () => {
          calls.b++;
          if (calls.b < 3) throw new Error(`flaky ${calls.b}`);
          return a + 1;
        });
        return { a, b };
      },
    });
    const { db, runner } = await setup([job as AnyJobDefinition]);
    await enqueueEvents(db, [job as AnyJobDefinition], [{ name: "t/memo", id: "e1", data: { orgId: "o1" } }]);
    await runner.drain();
    const run = await db.jobRun.findFirstOrThrow({ where: { functionId: "memo" }, include: { steps: true } });
    expect(run.status).toBe("completed");
    expect(run.attempt).toBe(3);
    expect(calls).toEqual({ a: 1, b: 3 });
    expect(run.steps.map((s) => s.stepId).sort()).toEqual(["a", "b"]);
    expect((run.progress as { result: unknown }).result).toEqual({ a: 10, b: 11 });
  });

  it("accepts an event id once and fans out exactly once per step", async () => {
    const child = defineJob({
      id: "child",
      name: "child",
      trigger: { event: "t/child" },
      schema: z.object({ orgId: z.string(), n: z.number() }),
      retries: 0,
      async handler({ event }) {
        return event.data.n;
      },
    });
    let parentCalls = 0;
    const parent = defineJob({
      id: "parent",
      name: "parent",
      trigger: { event: "t/parent" },
      schema: z.object({ orgId: z.string() }),
      retries: 2,
      async handler({ event, step }) {
        await step.sendEvent("fan", [1, 2, 3].map((n) => ({ name: "t/child", data: { orgId: event.data.orgId, n } })));
        // fail after sending once: the retry must not send again
        if (++parentCalls === 1) throw new Error("crash after fan-out");
        return "ok";
      },
    });
    const defs = [child, parent] as AnyJobDefinition[];
    const { db, runner } = await setup(defs);
    await enqueueEvents(db, defs, [{ name: "t/parent", id: "p1", data: { orgId: "o1" } }]);
    await enqueueEvents(db, defs, [{ name: "t/parent", id: "p1", data: { orgId: "o1" } }]);
    await runner.drain();
    const parents = await db.jobRun.findMany({ where: { functionId: "parent" } });
    expect(parents).toHaveLength(1);
    expect(parents[0]!.status).toBe("completed");
    const children = await db.jobRun.findMany({ where: { functionId: "child" } });
    expect(children).toHaveLength(3);
    expect(children.every((c) => c.status === "completed" && c.parentRunId === parents[0]!.id && c.orgId === "o1")).toBe(true);
    expect(await db.jobEvent.count({ where: { name: { in: ["t/parent", "t/child"] } } })).toBe(4);
  });

  it("rejects an event with invalid data before storing it", async () => {
    const job = defineJob({
      id: "strict",
      name: "strict",
      trigger: { event: "t/strict" },
      schema: z.object({ orgId: z.string().min(1) }),
      retries: 0,
      async handler() {
        return null;
      },
    });
    const { db } = await setup([job as AnyJobDefinition]);
    await expect(enqueueEvents(db, [job as AnyJobDefinition], [{ name: "t/strict", data: { orgId: 5 } }])).rejects.toThrow(/invalid data/);
    expect(await db.jobRun.count({ where: { functionId: "strict" } })).toBe(0);
  });

  it("parks a sleeping run and resumes it after the delay", async () => {
    let before = 0;
    const job = defineJob({
      id: "sleeper",
      name: "sleeper",
      trigger: { event: "t/sleep" },
      schema: z.object({ orgId: z.string() }),
      retries: 0,
      async handler({ step }) {
        await step.run("before", () => ++before);
        await step.sleep("nap", 3_600_000);
        return "woke";
      },
    });
    const { db, runner } = await setup([job as AnyJobDefinition]);
    await enqueueEvents(db, [job as AnyJobDefinition], [{ name: "t/sleep", data: { orgId: "o" } }]);
    await runner.poll();
    let parked = await db.jobRun.findFirstOrThrow({ where: { functionId: "sleeper" } });
    while (parked.status === "running" || (await db.jobStep.count({ where: { runId: parked.id } })) < 2) {
      await new Promise((r) => setTimeout(r, 20));
      parked = await db.jobRun.findFirstOrThrow({ where: { functionId: "sleeper" } });
    }
    expect(parked.status).toBe("queued");
    const nap = await db.jobStep.findFirstOrThrow({ where: { runId: parked.id, stepId: "nap" } });
    expect(new Date((nap.output as { v: { until: string } }).v.until).getTime()).toBe(parked.runAfter.getTime());
    // the hour passes: the stored wake-up time is moved into the past, as a clock would
    await db.jobStep.update({ where: { id: nap.id }, data: { output: { v: { until: new Date(0).toISOString() } } } });
    await db.jobRun.update({ where: { id: parked.id }, data: { runAfter: new Date(0) } });
    await runner.drain();
    const done = await db.jobRun.findFirstOrThrow({ where: { functionId: "sleeper" } });
    expect(done.status).toBe("completed");
    expect(done.attempt).toBe(1);
    expect(before).toBe(1);
  });

  it("holds the per-key concurrency limit", async () => {
    let running = 0;
    const peak = new Map<string, number>();
    const live = new Map<string, number>();
    const job = defineJob({
      id: "limited",
      name: "limited",
      trigger: { event: "t/limited" },
      schema: z.object({ orgId: z.string() }),
      concurrency: [{ key: "event.data.orgId", limit: 1 }],
      retries: 0,
      async handler({ event, step }) {
        const k = event.data.orgId;
        live.set(k, (live.get(k) ?? 0) + 1);
        running++;
        peak.set(k, Math.max(peak.get(k) ?? 0, live.get(k)!));
        await step.run("work", () => new Promise((r) => setTimeout(r, 30)));
        live.set(k, live.get(k)! - 1);
        running--;
        return null;
      },
    });
    const { db, runner } = await setup([job as AnyJobDefinition], { maxParallel: 4 });
    const events = ["a", "b"].flatMap((org) => Array.from({ length: 4 }, () => ({ name: "t/limited", data: { orgId: org } })));
    await enqueueEvents(db, [job as AnyJobDefinition], events);
    await runner.drain();
    expect(await db.jobRun.count({ where: { functionId: "limited", status: "completed" } })).toBe(8);
    expect(peak.get("a")).toBe(1);
    expect(peak.get("b")).toBe(1);
    expect(running).toBe(0);
  });

  it("fails after the last retry, calls onFailure, and a retry re-runs only what failed", async () => {
    let failures: string[] = [];
    let okSteps = 0;
    let broken = true;
    const job = defineJob({
      id: "doomed",
      name: "doomed",
      trigger: { event: "t/doomed" },
      schema: z.object({ orgId: z.string() }),
      retries: 1,
      async handler({ step }) {
        await step.run("ok", () => ++okSteps);
        await step.run("bad", () => {
          if (broken) throw new Error("upstream 503");
          return "fixed";
        });
        return null;
      },
      async onFailure({ error }) {
        failures.push(error);
      },
    });
    const { db, runner } = await setup([job as AnyJobDefinition]);
    await enqueueEvents(db, [job as AnyJobDefinition], [{ name: "t/doomed", data: { orgId: "o9" } }]);
    await runner.drain();
    const run = await db.jobRun.findFirstOrThrow({ where: { functionId: "doomed" } });
    expect(run.status).toBe("failed");
    expect(run.attempt).toBe(2);
    expect(run.error).toContain("upstream 503");
    expect(failures).toEqual(["upstream 503"]);
    // another organisation cannot retry it
    expect(await retryRun(db, { orgId: "other" }, run.id)).toBe(false);
    broken = false;
    failures = [];
    expect(await retryRun(db, { orgId: "o9" }, run.id)).toBe(true);
    await runner.drain();
    const again = await db.jobRun.findFirstOrThrow({ where: { functionId: "doomed" } });
    expect(again.status).toBe("completed");
    expect(okSteps).toBe(1);
  });

  it("stops retrying on a non-retriable error", async () => {
    let calls = 0;
    const job = defineJob({
      id: "nonretry",
      name: "nonretry",
      trigger: { event: "t/nonretry" },
      schema: z.object({ orgId: z.string() }),
      retries: 5,
      async handler() {
        calls++;
        throw new NonRetriableJobError("account deleted");
      },
    });
    const { db, runner } = await setup([job as AnyJobDefinition]);
    await enqueueEvents(db, [job as AnyJobDefinition], [{ name: "t/nonretry", data: { orgId: "o" } }]);
    await runner.drain();
    expect(calls).toBe(1);
    expect((await db.jobRun.findFirstOrThrow({ where: { functionId: "nonretry" } })).status).toBe("failed");
  });

  it("resumes a run whose worker died (expired lease), keeping its completed steps", async () => {
    let first = 0;
    let second = 0;
    const job = defineJob({
      id: "resume",
      name: "resume",
      trigger: { event: "t/resume" },
      schema: z.object({ orgId: z.string() }),
      retries: 0,
      async handler({ step }) {
        await step.run("first", () => ++first);
        await step.run("second", () => ++second);
        return null;
      },
    });
    const { db, runner } = await setup([job as AnyJobDefinition]);
    await enqueueEvents(db, [job as AnyJobDefinition], [{ name: "t/resume", id: "r1", data: { orgId: "o" } }]);
    // simulate a worker that completed "first" and then died holding the lease
    const run = await db.jobRun.findFirstOrThrow({ where: { functionId: "resume" } });
    await db.jobStep.create({ data: { runId: run.id, stepId: "first", output: { v: 1 } } });
    await db.jobRun.update({
      where: { id: run.id },
      data: { status: "running", lockedBy: "dead-worker", lockedUntil: new Date(Date.now() - 1000), attempt: 1 },
    });
    await runner.drain();
    const done = await db.jobRun.findFirstOrThrow({ where: { id: run.id } });
    expect(done.status).toBe("completed");
    expect(first).toBe(0);
    expect(second).toBe(1);
  });
});
