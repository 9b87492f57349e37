// End to end on the demo world: simulator → discovery → account scans → image scans → findings
// with every location → account risk and posture → the Jobs and Accounts read models. Then the
// same identity for a second organisation reuses the shared scans of public digests, and a
// rescan changes nothing (idempotent).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS } from "@/jobs/definitions/events";
import { ALL_JOBS } from "@/jobs/definitions";
import { enqueueEvents, type EmbeddedRunner } from "@/jobs/providers/embedded";
import { listJobRuns } from "@/lib/jobs/runs";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";
import { createOrgWithIdentity, pipelineDeps, pipelineRunner, type WorldIdentity } from "../helpers/jobs-pipeline";
import { freshDb, testDbKinds } from "../helpers/jobs-db";

const WORLD = path.resolve("lib/hubsim/worlds/acme-rockets.json");

describe.each(testDbKinds)("discovery-and-scan pipeline on %s", (_kind, pgUrl) => {
  let sim: HubSim;
  let h: Awaited<ReturnType<typeof freshDb>>;
  let runner: EmbeddedRunner;
  let identity: WorldIdentity;
  let expected: { shadowAccounts: string[]; sanctioned: string[]; lookalikes: string[] };

  beforeAll(async () => {
    const world = await loadWorldFile(WORLD);
    identity = (world as unknown as { identity: WorldIdentity }).identity;
    expected = (world as unknown as { expected: typeof expected }).expected;
    sim = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000 });
    h = await freshDb(pgUrl);
    runner = pipelineRunner(h.prisma, pipelineDeps(h.prisma, sim));
  });
  afterAll(async () => {
    await runner?.stop();
    await h?.close();
    await sim?.close();
  });

  async function counts(orgId: string) {
    const db = h.prisma;
    return {
      findings: await db.finding.count({ where: { orgId } }),
      locations: await db.findingLocation.count({ where: { orgId } }),
      images: await db.hubImage.count({ where: { orgId } }),
      accounts: await db.hubAccount.count({ where: { orgId } }),
    };
  }

  it("turns the world into accounts, findings with locations, risk and a posture snapshot", { timeout: 900_000 }, async () => {
    const db = h.prisma;
    const orgId = await createOrgWithIdentity(db, "acme", identity);
    await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.discoveryRequested, data: { orgId, reason: "manual" } }]);
    await runner.drain(840_000);

    const failed = await db.jobRun.findMany({ where: { status: "failed" }, select: { functionId: true, error: true } });
    expect(failed).toEqual([]);

    const accounts = await db.hubAccount.findMany({ where: { orgId } });
    const byNs = new Map(accounts.map((a) => [a.namespace, a]));
    for (const ns of expected.sanctioned) expect(byNs.get(ns)?.status).toBe("sanctioned");
    // every account the pipeline scans was scanned completely
    const scanned = accounts.filter((a) => ["likely", "sanctioned"].includes(a.status));
    expect(scanned.length).toBeGreaterThan(expected.sanctioned.length);
    for (const a of scanned) {
      expect(a.scanState, a.namespace).toBe("scanned");
      expect(a.lastScannedAt, a.namespace).not.toBeNull();
    }
    // no look-alike is ever scanned as ours
    for (const ns of expected.lookalikes) expect(["likely", "confirmed", "sanctioned"]).not.toContain(byNs.get(ns)?.status ?? "absent");

    const images = await db.hubImage.findMany({ where: { orgId } });
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter((i) => i.scanState !== "scanned")).toEqual([]);

    const findings = await db.finding.findMany({ where: { orgId }, include: { locations: true } });
    expect(findings.length).toBeGreaterThan(5);
    for (const f of findings) {
      expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(f.locations.length).toBeGreaterThan(0);
      expect(f.locationCount).toBe(f.locations.length);
      expect(f.locations.every((l) => l.orgId === orgId)).toBe(true);
    }
    // secrets surviving only in deleted layers are found too
    expect(findings.some((f) => f.locations.some((l) => l.deleted))).toBe(true);

    // accounts with open findings carry a risk with its parts; accounts without score 0
    const withFindings = new Set(findings.flatMap((f) => f.locations.map((l) => l.accountId)));
    const risky = accounts.filter((a) => withFindings.has(a.id));
    expect(risky.length).toBeGreaterThan(0);
    for (const a of await db.hubAccount.findMany({ where: { orgId, id: { in: risky.map((r) => r.id) } } })) {
      expect(a.risk, a.namespace).toBeGreaterThan(0);
      expect((a.riskParts as { formula?: string }).formula).toContain("attribution");
    }
    const snap = await db.postureSnapshot.findFirst({ where: { orgId } });
    expect(snap?.score).toBeGreaterThan(0);
    expect(snap?.openFindings).toBe(findings.filter((f) => f.status === "open").length);

    // the Jobs read model: discovery run with full image progress
    const [discovery] = await listJobRuns(db, { orgId }, { functionId: "org-discovery" });
    expect(discovery?.status).toBe("completed");
    expect(discovery?.progress.imagesTotal).toBe(images.length);
    expect(discovery?.progress.imagesScanned).toBe(images.length);
    expect(discovery?.active).toBe(false);
    const acctRuns = await listJobRuns(db, { orgId }, { accountId: risky[0]!.id });
    expect(acctRuns.length).toBeGreaterThan(0);
    expect(acctRuns.every((r) => r.accountId === risky[0]!.id)).toBe(true);
  });

  it("rescanning changes nothing: no duplicate findings, locations or images", { timeout: 600_000 }, async () => {
    const db = h.prisma;
    const org = await db.organization.findUniqueOrThrow({ where: { slug: "acme" } });
    const before = await counts(org.id);
    const scansBefore = await db.jobRun.count({ where: { orgId: org.id, functionId: "image-scan" } });
    // a discovery and two overlapping manual rescans of every account
    const accounts = await db.hubAccount.findMany({ where: { orgId: org.id, status: { in: ["likely", "sanctioned"] } }, select: { id: true } });
    await enqueueEvents(db, ALL_JOBS, [
      { name: EVENTS.discoveryRequested, data: { orgId: org.id, reason: "manual" } },
      ...accounts.flatMap((a) => [1, 2].map(() => ({ name: EVENTS.accountScanRequested, data: { orgId: org.id, accountId: a.id, reason: "manual" as const } }))),
    ]);
    await runner.drain(540_000);
    expect(await counts(org.id)).toEqual(before);
    // unchanged digests are not scanned again
    expect(await db.jobRun.count({ where: { orgId: org.id, functionId: "image-scan" } })).toBe(scansBefore);
  });

  it("a second organisation reuses the shared scans but keeps its own findings", { timeout: 900_000 }, async () => {
    const db = h.prisma;
    const first = await db.organization.findUniqueOrThrow({ where: { slug: "acme" } });
    const cacheBefore = await db.imageScan.count();
    const orgId = await createOrgWithIdentity(db, "acme-two", identity);
    await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.discoveryRequested, data: { orgId, reason: "manual" } }]);
    await runner.drain(840_000);
    expect(await db.imageScan.count()).toBe(cacheBefore);
    const a = await counts(first.id);
    const b = await counts(orgId);
    expect(b).toEqual(a);
    // statuses stay per organisation
    const one = await db.finding.findFirstOrThrow({ where: { orgId: first.id } });
    await db.finding.updateMany({ where: { id: one.id, orgId: first.id }, data: { status: "revoked" } });
    expect(await db.finding.count({ where: { orgId, fingerprint: one.fingerprint, status: "open" } })).toBe(1);
    const steps = await db.jobStep.findMany({ where: { stepId: "store-findings", run: { orgId } } });
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => (s.output as { v: { reusedScan: boolean } }).v.reusedScan)).toBe(true);
  });
});
