// Crash safety of the embedded runner: a worker process is killed with SIGKILL in the middle of
// scanning; a new process resumes (expired leases, memoised steps) and finishes. The result must
// equal an uninterrupted run: the same findings and the same locations, none lost, none doubled.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_JOBS } from "@/jobs/definitions";
import { EVENTS } from "@/jobs/definitions/events";
import { enqueueEvents } from "@/jobs/providers/embedded";
import type { PrismaClient } from "@/lib/db/generated/client";
import { openDb } from "@/lib/db/client";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";
import { freshDb, testDbKinds } from "../helpers/jobs-db";
import { createOrgWithIdentity, pipelineDeps, pipelineRunner, type WorldIdentity } from "../helpers/jobs-pipeline";

const WORLD = path.resolve("lib/hubsim/worlds/acme-rockets.json");
const CHILD = path.resolve("tests/helpers/jobs-crash-child.ts");

function startChild(cfg: object): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  // node --import tsx: one process, so SIGKILL hits the worker itself (the tsx CLI would fork)
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(cfg)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_ENV: "test" } });
  const lines: string[] = [];
  child.stdout!.on("data", (b: Buffer) => lines.push(...b.toString().split("\n").filter(Boolean)));
  child.stderr!.on("data", (b: Buffer) => lines.push(`[stderr] ${b.toString().trim()}`));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, lines, exited };
}

async function snapshot(db: PrismaClient, orgId: string) {
  const accounts = new Map((await db.hubAccount.findMany({ where: { orgId }, select: { id: true, namespace: true } })).map((a) => [a.id, a.namespace]));
  const findings = await db.finding.findMany({ where: { orgId }, select: { fingerprint: true, locationCount: true, locations: true } });
  return {
    findings: findings.map((f) => f.fingerprint).sort(),
    // every location, comparable across databases (namespace instead of row ids)
    locations: findings
      .flatMap((f) =>
        f.locations.map((l) =>
          [f.fingerprint, accounts.get(l.accountId), l.repository, l.tag, l.imageDigest, l.platform, l.layerDigest, l.source, l.path, l.line, l.deleted].join("|"),
        ),
      )
      .sort(),
    locationCounts: findings.every((f) => f.locationCount === f.locations.length),
  };
}

/** The accounts to scan, registered directly (deterministic; discovery is covered elsewhere). */
async function prepare(db: PrismaClient, identity: WorldIdentity, expected: { sanctioned: string[]; shadowAccounts: string[] }) {
  const orgId = await createOrgWithIdentity(db, "acme", identity);
  await db.hubAccount.createMany({
    data: [
      ...expected.sanctioned.map((namespace) => ({ orgId, namespace, status: "sanctioned" as const, confidence: 1 })),
      ...expected.shadowAccounts.map((namespace) => ({ orgId, namespace, status: "likely" as const, confidence: 0.9 })),
    ],
  });
  const accounts = await db.hubAccount.findMany({ where: { orgId }, select: { id: true }, orderBy: { namespace: "asc" } });
  await enqueueEvents(
    db,
    ALL_JOBS,
    accounts.map((a) => ({ name: EVENTS.accountScanRequested, id: `scan-${a.id}`, data: { orgId, accountId: a.id, reason: "manual" } })),
  );
  return orgId;
}

describe.each(testDbKinds)("embedded runner crash on %s", (_kind, pgUrl) => {
  let sim: HubSim;
  let identity: WorldIdentity;
  let expected: { sanctioned: string[]; shadowAccounts: string[] };
  beforeAll(async () => {
    const world = await loadWorldFile(WORLD);
    identity = (world as unknown as { identity: WorldIdentity }).identity;
    expected = (world as unknown as { expected: typeof expected }).expected;
    sim = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("kill -9 mid-scan, restart: nothing lost, nothing duplicated", { timeout: 1_200_000 }, async () => {
    const urls = { hubApiUrl: sim.hubApiUrl, registryUrl: sim.registryUrl, searchUrl: sim.searchUrl };
    // prepare the database and the request, then hand it to the child (PGlite: one process at a time)
    const h = await freshDb(pgUrl);
    const orgId = await prepare(h.prisma, identity, expected);
    const dataDir = h.dataDir;
    const databaseUrl = h.url;
    await h.close();

    const blobsBefore = sim.stats.blobGets;
    const first = startChild({ mode: "run", dataDir, databaseUrl, sim: urls, leaseMs: 3000 });
    // kill once image scans are streaming layers
    const deadline = Date.now() + 600_000;
    while (sim.stats.blobGets - blobsBefore < 40 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (first.child.exitCode !== null) break;
    }
    expect(first.child.exitCode, first.lines.join("\n")).toBeNull();
    first.child.kill("SIGKILL");
    await first.exited;

    // the crashed worker left work behind: runs still leased to it or queued
    const mid = await openDb({ databaseUrl, dataDir });
    const unfinished = await mid.prisma.jobRun.count({ where: { status: { in: ["queued", "running"] } } });
    const leased = await mid.prisma.jobRun.count({ where: { status: "running" } });
    await mid.close();
    expect(unfinished).toBeGreaterThan(0);
    expect(leased).toBeGreaterThan(0);

    const second = startChild({ mode: "drain", dataDir, databaseUrl, sim: urls, leaseMs: 3000 });
    const code = await second.exited;
    expect(code, second.lines.join("\n")).toBe(0);

    const after = await openDb({ databaseUrl, dataDir });
    const failed = await after.prisma.jobRun.count({ where: { status: "failed" } });
    const pending = await after.prisma.jobRun.count({ where: { status: { in: ["queued", "running"] } } });
    const crashed = await snapshot(after.prisma, orgId);
    const unscanned = await after.prisma.hubImage.count({ where: { orgId, scanState: { not: "scanned" } } });
    await after.close();
    expect(failed).toBe(0);
    expect(pending).toBe(0);
    expect(unscanned).toBe(0);

    // the same world, uninterrupted, in a fresh database
    const clean = await freshDb(pgUrl);
    const cleanOrg = await prepare(clean.prisma, identity, expected);
    const runner = pipelineRunner(clean.prisma, pipelineDeps(clean.prisma, urls));
    await runner.drain(600_000);
    await runner.stop();
    const reference = await snapshot(clean.prisma, cleanOrg);
    await clean.close();

    expect(reference.findings.length).toBeGreaterThan(0);
    expect(crashed.locationCounts).toBe(true);
    expect(crashed.findings).toEqual(reference.findings);
    expect(crashed.locations).toEqual(reference.locations);
  });
});
