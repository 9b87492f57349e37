// Provider-neutral job definitions. A definition is plain data + a handler; jobs/providers/*
// turn it into an Inngest function or run it on the embedded database-backed runner. Handlers
// only see `step` (durable, memoised side effects) and `deps` (injected, so tests rebuild them).
import type { z } from "zod";
import type { JobDeps } from "./deps";

export interface JobEventInput {
  name: string;
  data: Record<string, unknown>;
  /** idempotency key: the same id is accepted once (Inngest dedupes by id for 24h) */
  id?: string;
}

export interface StepTools {
  /** Runs fn once per run: a resumed/retried run gets the stored output instead (JSON only). */
  run<T>(id: string, fn: () => Promise<T> | T): Promise<T>;
  /** Sends events exactly once per step id (ids derived from run + step when not given). */
  sendEvent(id: string, events: JobEventInput | JobEventInput[]): Promise<void>;
  /** Durable sleep: the run is parked and resumed after ms (survives restarts). */
  sleep(id: string, ms: number): Promise<void>;
}

export interface HandlerContext<D> {
  event: { name: string; id: string; data: D };
  step: StepTools;
  runId: string;
  attempt: number;
  deps: JobDeps;
}

export interface ConcurrencyRule {
  /** Inngest key expression; supported here: "event.data.<field>" or a quoted constant. */
  key?: string;
  limit: number;
  /** "fn": per function (default); "env": shared by every function using the same key */
  scope?: "fn" | "env";
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  id: string;
  name: string;
  /** event trigger name, or a cron trigger */
  trigger: { event: string } | { cron: string; everyMs: number };
  schema: S;
  concurrency?: ConcurrencyRule[];
  throttle?: { limit: number; periodMs: number; key?: string };
  retries: number;
  handler(ctx: HandlerContext<z.infer<S>>): Promise<unknown>;
  /** called once when every retry failed (marks images failed etc.) */
  onFailure?(ctx: { event: { name: string; id: string; data: z.infer<S> }; error: string; deps: JobDeps }): Promise<void>;
}

export type AnyJobDefinition = JobDefinition<z.ZodType>;

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  if (!/^[a-z0-9-]+$/.test(def.id)) throw new Error(`job id must be kebab-case: ${def.id}`);
  return def;
}

/** Thrown by handlers for failures a retry cannot fix (bad payload, deleted org). */
export class NonRetriableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NonRetriableJobError";
  }
}

/** Evaluates the small key-expression subset shared with Inngest. */
export function evalKey(expr: string, data: Record<string, unknown>): string {
  const quoted = /^"(.*)"$/.exec(expr);
  if (quoted) return quoted[1] ?? "";
  const m = /^event\.data\.([A-Za-z0-9_]+)$/.exec(expr);
  if (!m) throw new Error(`unsupported key expression: ${expr}`);
  const v = data[m[1]!];
  return v === undefined || v === null ? "" : String(v);
}

/** Inngest time string for a period in ms (whole seconds). */
export function toTimeStr(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}
