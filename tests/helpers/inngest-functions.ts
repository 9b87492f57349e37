// Job definitions as Inngest functions for @inngest/test, on a fresh migrated database: the
// client never reaches a server (127.0.0.1:9), every function is registered (so runs mirror the
// child runs they start), and the clock is fixed.
import { ALL_JOBS } from "@/jobs/definitions";
import type { AnyJobDefinition } from "@/jobs/define";
import type { JobDeps } from "@/jobs/deps";
import { createInngestClient, toInngestFunction } from "@/jobs/providers/inngest";
import { freshDb } from "./jobs-db";

export const FIXED_NOW = new Date("2026-11-27T12:00:00Z");

export function inngestHarness(extraDeps: Partial<JobDeps> = {}) {
  const client = createInngestClient({ eventKey: "test-event-key", signingKey: "signkey-test-00000000", baseUrl: "http://127.0.0.1:9" });
  const state: { h?: Awaited<ReturnType<typeof freshDb>>; deps?: JobDeps } = {};
  return {
    async open() {
      state.h = await freshDb();
      state.deps = { db: state.h.prisma, now: () => FIXED_NOW, config: { recentTags: 3, pullReserve: 10 }, ...extraDeps } as unknown as JobDeps;
      return state.h;
    },
    async close() {
      await state.h?.close();
    },
    fn: (d: unknown) => toInngestFunction(client, d as AnyJobDefinition, async () => state.deps!, ALL_JOBS),
  };
}
