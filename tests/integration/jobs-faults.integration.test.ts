// Faults from the simulator — 429s with Retry-After from the Hub API, 503s from the registry and
// the blob origin, truncated blob downloads — slow the pipeline down but do not change its
// result: every image is scanned completely and the findings equal those of a fault-free run.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { FaultSchema, loadWorldFile, type World } from "@/lib/hubsim/world";
import { freshDb } from "../helpers/jobs-db";
import { findingsSnapshot, pipelineDeps, pipelineRunner, registerAccountsAndScan, type WorldIdentity } from "../helpers/jobs-pipeline";

const WORLD = path.resolve("lib/hubsim/worlds/acme-rockets.json");

describe("pipeline under injected faults", () => {
  let world: World;
  let faulty: HubSim;
  let clean: HubSim;
  let identity: WorldIdentity;
  let expected: { sanctioned: string[]; shadowAccounts: string[] };
  beforeAll(async () => {
    world = await loadWorldFile(WORLD);
    identity = (world as unknown as { identity: WorldIdentity }).identity;
    expected = (world as unknown as { expected: typeof expected }).expected;
    const faults = [
      { kind: "rate-limit", match: { host: "hub", path: ".*", method: "ANY" }, probability: 0.15, retryAfter: 1 },
      { kind: "server-error", match: { host: "registry", path: ".*", method: "ANY" }, probability: 0.1, status: 503 },
      { kind: "server-error", match: { host: "blob", path: ".*", method: "ANY" }, probability: 0.1, status: 502 },
      { kind: "truncate", match: { host: "blob", path: ".*", method: "GET" }, probability: 0.05 },
    ].map((f) => FaultSchema.parse(f));
    faulty = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000, faults, seed: 1234 });
    clean = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000 });
  });
  afterAll(async () => {
    await faulty?.close();
    await clean?.close();
  });

  it("completes with the same findings as a fault-free run", { timeout: 1_200_000 }, async () => {
    const a = await freshDb();
    const orgA = await registerAccountsAndScan(a.prisma, "acme", identity, expected);
    const runnerA = pipelineRunner(a.prisma, pipelineDeps(a.prisma, faulty));
    await runnerA.drain(900_000);
    await runnerA.stop();
    expect(faulty.stats.faultsInjected).toBeGreaterThan(5);
    expect(await a.prisma.jobRun.count({ where: { status: "failed" } })).toBe(0);
    expect(await a.prisma.hubImage.count({ where: { orgId: orgA, OR: [{ scanState: { not: "scanned" } }, { scanError: { not: null } }] } })).toBe(0);
    const withFaults = await findingsSnapshot(a.prisma, orgA);
    await a.close();

    const b = await freshDb();
    const orgB = await registerAccountsAndScan(b.prisma, "acme", identity, expected);
    const runnerB = pipelineRunner(b.prisma, pipelineDeps(b.prisma, clean));
    await runnerB.drain(900_000);
    await runnerB.stop();
    const reference = await findingsSnapshot(b.prisma, orgB);
    await b.close();

    expect(reference.findings.length).toBeGreaterThan(0);
    expect(withFaults.findings).toEqual(reference.findings);
    expect(withFaults.locations).toEqual(reference.locations);
  });
});
