// Inngest provider: registers the same definitions as real Inngest functions (served at
// /api/inngest). Step semantics map one to one (step.run / sendEvent / sleep). Runs are mirrored
// into JobRun (keyed by function id + event id) so the Jobs page reads one table in both modes.
import { Inngest, NonRetriableError } from "inngest";
import type { PrismaClient } from "@/lib/db/generated/client";
import { NonRetriableJobError, toTimeStr, type AnyJobDefinition, type JobEventInput, type StepTools } from "../define";
import type { JobDeps } from "../deps";
import { errorMessage } from "./embedded";

export interface InngestConfig {
  eventKey: string;
  signingKey: string;
  baseUrl?: string | undefined;
}

export function createInngestClient(cfg: InngestConfig): Inngest {
  return new Inngest({
    id: "stowaway",
    eventKey: cfg.eventKey,
    signingKey: cfg.signingKey,
    ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}),
  });
}

async function mirror(db: PrismaClient, def: AnyJobDefinition, eventName: string, eventId: string, data: Record<string, unknown>, patch: Record<string, unknown>) {
  const orgId = typeof data.orgId === "string" ? data.orgId : null;
  await db.jobRun.upsert({
    where: { functionId_eventId: { functionId: def.id, eventId } },
    create: { functionId: def.id, eventName, eventId, orgId, payload: data as never, maxAttempts: def.retries + 1, ...patch },
    update: patch,
  });
}

/** Mirrors events about to be sent as queued runs of every function they trigger. */
async function mirrorQueued(
  db: PrismaClient,
  definitions: readonly AnyJobDefinition[],
  events: ReadonlyArray<{ name: string; id: string; data: Record<string, unknown> }>,
  patch: Record<string, unknown> = {},
): Promise<void> {
  for (const e of events) {
    for (const d of definitions) {
      if ("event" in d.trigger && d.trigger.event === e.name) await mirror(db, d, e.name, e.id, e.data, patch);
    }
  }
}

/**
 * Mirrors the events a run is about to send as queued runs linked to that run (parentRunId), so
 * progress rolls up parent → children as in embedded mode.
 */
async function mirrorChildren(
  db: PrismaClient,
  definitions: readonly AnyJobDefinition[],
  parent: { functionId: string; eventId: string },
  events: ReadonlyArray<{ name: string; id: string; data: Record<string, unknown> }>,
): Promise<void> {
  const row = await db.jobRun.findUnique({ where: { functionId_eventId: parent }, select: { id: true } });
  await mirrorQueued(db, definitions, events, { parentRunId: row?.id ?? null });
}

/** `definitions`: every registered function, to mirror the runs this one's events start. */
export function toInngestFunction(client: Inngest, def: AnyJobDefinition, getDeps: () => Promise<JobDeps>, definitions: readonly AnyJobDefinition[] = [def]) {
  const triggers = "event" in def.trigger ? [{ event: def.trigger.event }] : [{ cron: def.trigger.cron }];
  const concurrency = def.concurrency?.map((c) => ({
    limit: c.limit,
    ...(c.key ? { key: c.key } : {}),
    ...(c.scope === "env" ? { scope: "env" as const } : {}),
  }));
  return client.createFunction(
    {
      id: def.id,
      name: def.name,
      triggers,
      ...(concurrency?.length ? { concurrency: concurrency as never } : {}),
      ...(def.throttle
        ? { throttle: { limit: def.throttle.limit, period: toTimeStr(def.throttle.periodMs) as never, ...(def.throttle.key ? { key: def.throttle.key } : {}) } }
        : {}),
      retries: Math.min(20, def.retries) as never,
      onFailure: async ({ event, error }: { event: { data: { event: { name: string; id?: string; data: Record<string, unknown> } } }; error: Error }) => {
        const original = event.data.event;
        const deps = await getDeps();
        const message = errorMessage(error);
        await mirror(deps.db, def, original.name, original.id ?? "unknown", original.data ?? {}, {
          status: "failed",
          error: message,
          finishedAt: new Date(),
        });
        if (def.onFailure) {
          await def.onFailure({ event: { name: original.name, id: original.id ?? "unknown", data: original.data as never }, error: message, deps });
        }
      },
    } as never,
    async ({ event, step, runId, attempt }: { event: { name: string; id?: string; data: Record<string, unknown> }; step: InngestStep; runId: string; attempt: number }) => {
      const deps = await getDeps();
      const eventId = event.id ?? runId;
      const data = (event.data ?? {}) as Record<string, unknown>;
      await mirror(deps.db, def, event.name, eventId, data, { status: "running", attempt: attempt + 1, startedAt: new Date() });
      const parsed = def.schema.safeParse(data);
      if (!parsed.success) throw new NonRetriableError("invalid event data");
      const tools: StepTools = {
        run: (id, fn) => step.run(id, fn) as never,
        sendEvent: async (id, events) => {
          // Derived ids (as in embedded mode) make a retried send a no-op on Inngest's side and
          // let the child runs be mirrored before they start.
          const list = (Array.isArray(events) ? events : [events]).map((e: JobEventInput, i) => ({ name: e.name, data: e.data, id: e.id ?? `${eventId}:${id}:${i}` }));
          await mirrorChildren(deps.db, definitions, { functionId: def.id, eventId }, list);
          await step.sendEvent(id, list);
        },
        sleep: async (id, ms) => {
          await step.sleep(id, ms);
        },
      };
      try {
        const result = await def.handler({ event: { name: event.name, id: eventId, data: parsed.data }, step: tools, runId, attempt, deps });
        await mirror(deps.db, def, event.name, eventId, data, { status: "completed", finishedAt: new Date(), error: null });
        return result;
      } catch (e) {
        // Inngest's step control flow also uses throws; only real errors are recorded
        if (e instanceof Error && !isControlFlow(e)) {
          await mirror(deps.db, def, event.name, eventId, data, { error: errorMessage(e) }).catch(() => {});
        }
        if (e instanceof NonRetriableJobError) throw new NonRetriableError(e.message);
        throw e;
      }
    },
  );
}

interface InngestStep {
  run(id: string, fn: () => unknown): Promise<unknown>;
  sendEvent(id: string, events: Array<{ name: string; data: Record<string, unknown>; id?: string }>): Promise<unknown>;
  sleep(id: string, ms: number): Promise<unknown>;
}

function isControlFlow(e: Error): boolean {
  return /interrupt|StepError|step/i.test(e.name) && !/NonRetriable/.test(e.name);
}

/** Sends events to Inngest; each gets a queued JobRun mirror row so the Jobs page shows it at once. */
export async function sendToInngest(client: Inngest, db: PrismaClient, definitions: readonly AnyJobDefinition[], events: Array<Required<Pick<JobEventInput, "id">> & JobEventInput>): Promise<void> {
  await mirrorQueued(db, definitions, events);
  await client.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data })));
}
