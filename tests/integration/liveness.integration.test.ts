// Liveness end to end on PGlite (and PostgreSQL when STOWAWAY_TEST_PG_URL is set): the simulated Hub (demo world) → image scans with the capture
// wrapper → sealed values → the liveness job calling the provider emulator on 127.0.0.1 →
// Finding.liveness live/revoked, the overview's live count, audit events on live→revoked, a
// second organisation verifying through the shared scan cache, the org setting, and no raw
// secret anywhere in the database.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_JOBS } from "@/jobs/definitions";
import { EVENTS } from "@/jobs/definitions/events";
import type { JobDeps } from "@/jobs/deps";
import { enqueueEvents, type EmbeddedRunner } from "@/jobs/providers/embedded";
import type { PrismaClient } from "@/lib/db/generated/client";
import { getOverview } from "@/lib/dashboard/overview";
import { setFindingStatus } from "@/lib/findings/workflows";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";
import { createVerifierClient, Keyring, updateLivenessSettings } from "@/lib/liveness";
import { startProviderEmulator, type ProviderEmulator } from "@/lib/liveness/provider-emulator";
import { loadFindingSecret } from "@/lib/liveness/store";
import { scanText } from "@/lib/scan/detectors";
import { freshDb, testDbKinds } from "../helpers/jobs-db";
import { createOrgWithIdentity, pipelineDeps, pipelineRunner, type WorldIdentity } from "../helpers/jobs-pipeline";

const WORLD = path.resolve("lib/hubsim/worlds/acme-rockets.json");
interface Planted {
  value: string;
  kind: string;
  image: string;
  where: string;
}

// accounts whose images carry verifiable planted secrets (github, aws with key id, npm, openai,
// huggingface, gitlab, anthropic, slack, sendgrid)
const ACCOUNTS = ["acme-rockets-dev", "fuel-data", "mission-ctl", "jsmith-ar", "nozzle-ui", "propulsion-eng"];

describe.each(testDbKinds)("liveness verification through the jobs on %s", (_kind, pgUrl) => {
  let sim: HubSim;
  let emu: ProviderEmulator;
  let h: Awaited<ReturnType<typeof freshDb>>;
  let runner: EmbeddedRunner;
  let deps: JobDeps;
  let identity: WorldIdentity;
  let planted: Planted[];
  let clock = Date.now();
  const masterKey = randomBytes(32).toString("hex");

  const byFingerprint = async (db: PrismaClient, orgId: string) =>
    new Map((await db.finding.findMany({ where: { orgId } })).map((f) => [f.fingerprint, f]));
  const fp = (v: string) => import("node:crypto").then((c) => c.createHash("sha256").update(v, "utf8").digest("hex"));

  async function registerAndScan(slug: string, namespaces: string[]): Promise<string> {
    const db = h.prisma;
    const orgId = await createOrgWithIdentity(db, slug, identity);
    await db.hubAccount.createMany({ data: namespaces.map((namespace) => ({ orgId, namespace, status: "likely" as const, confidence: 0.9 })) });
    const accounts = await db.hubAccount.findMany({ where: { orgId }, select: { id: true } });
    await enqueueEvents(db, ALL_JOBS, accounts.map((a) => ({ name: EVENTS.accountScanRequested, data: { orgId, accountId: a.id, reason: "manual" as const } })));
    return orgId;
  }

  beforeAll(async () => {
    const world = await loadWorldFile(WORLD);
    identity = (world as unknown as { identity: WorldIdentity }).identity;
    planted = (world as unknown as { expected: { plantedSecrets: Planted[] } }).expected.plantedSecrets;
    sim = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000 });
    emu = await startProviderEmulator();
    // live at the provider: github, npm, openai, huggingface, slack, the fuel-data AWS pair;
    // everything else (gitlab, anthropic, sendgrid, the other AWS pair) is rejected
    for (const p of planted) {
      if (!ACCOUNTS.includes(p.image.split("/")[0]!)) continue;
      if (["github", "npm", "openai", "huggingface", "slack-token"].includes(p.kind)) emu.setLive(p.value);
      if (p.kind === "aws" && p.image.startsWith("fuel-data/")) emu.setLive(p.value, /key id (AKIA[A-Z0-9]{16})/.exec(p.where)?.[1]);
    }
    h = await freshDb(pgUrl);
    deps = {
      ...pipelineDeps(h.prisma, sim),
      liveness: { ring: new Keyring([masterKey]), client: createVerifierClient({ baseUrls: emu.baseUrls, timeoutMs: 5000 }), detect: scanText },
      now: () => new Date(clock),
    };
    runner = pipelineRunner(h.prisma, deps);
  }, 120_000);
  afterAll(async () => {
    await runner?.stop();
    await h?.close();
    await emu?.close();
    await sim?.close();
  });

  let orgA = "";

  it("scans seal the verifiable secrets and the follow-up job marks each finding live or revoked", { timeout: 600_000 }, async () => {
    const db = h.prisma;
    orgA = await registerAndScan("acme", ACCOUNTS);
    await runner.drain(540_000);
    expect(await db.jobRun.findMany({ where: { status: "failed" }, select: { functionId: true, error: true } })).toEqual([]);
    expect(await db.jobRun.count({ where: { functionId: "liveness-verify", status: "completed" } })).toBeGreaterThan(0);

    const findings = await byFingerprint(db, orgA);
    const expectations: Array<[string, "live" | "revoked"]> = [];
    for (const p of planted) {
      if (!ACCOUNTS.includes(p.image.split("/")[0]!)) continue;
      const kind = p.kind;
      if (["github", "npm", "openai", "huggingface", "slack-token"].includes(kind)) expectations.push([p.value, "live"]);
      else if (["gitlab", "anthropic"].includes(kind)) expectations.push([p.value, "revoked"]);
      else if (kind === "aws") expectations.push([p.value, p.image.startsWith("fuel-data/") ? "live" : "revoked"]);
    }
    expect(expectations.length).toBeGreaterThanOrEqual(8);
    for (const [value, want] of expectations) {
      const f = findings.get(await fp(value));
      expect(f, `finding for a planted ${want} secret`).toBeDefined();
      expect({ detector: f!.detector, liveness: f!.liveness }).toEqual({ detector: f!.detector, liveness: want });
      expect(f!.livenessCheckedAt).not.toBeNull();
      expect(f!.livenessReason).toBeTruthy();
    }
    // findings without a verifier are never checked
    const unverifiable = [...findings.values()].filter((f) => ["generic-secret", "postgres-url", "rsa-private-key"].includes(f.detector));
    for (const f of unverifiable) expect([f.liveness, f.livenessCheckedAt]).toEqual(["unknown", null]);

    // the overview's "confirmed live" is the rollup of real checks
    const live = [...findings.values()].filter((f) => f.status === "open" && f.liveness === "live").length;
    expect(live).toBeGreaterThanOrEqual(6);
    const rejected = [...findings.values()].filter((f) => f.status === "open" && f.liveness === "revoked").length;
    expect(rejected).toBeGreaterThanOrEqual(2);
    const o = await getOverview(db, { orgId: orgA });
    expect([o.secrets.live.value, o.secrets.rejected.value]).toEqual([live, rejected]);
  });

  it("stores no raw secret anywhere in the database: sealed values only", async () => {
    const db = h.prisma;
    expect(await db.sealedSecret.count()).toBeGreaterThanOrEqual(8);
    const tables = (await db.$queryRawUnsafe<Array<{ t: string }>>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'`)).map((r) => r.t);
    expect(tables).toContain("SealedSecret");
    const dump: string[] = [];
    for (const t of tables) {
      const rows = await db.$queryRawUnsafe<Array<{ j: string }>>(`SELECT row_to_json(x)::text AS j FROM "${t}" x`);
      for (const r of rows) dump.push(r.j);
    }
    const text = dump.join("\n");
    // the dump does cover the findings and the sealed rows (their fingerprints are there)
    const gh = planted.find((p) => p.kind === "github" && p.image.startsWith("jsmith-ar/"))!;
    expect(text).toContain(await fp(gh.value));
    expect(text.split(await fp(gh.value)).length - 1).toBeGreaterThanOrEqual(2);
    for (const p of planted) {
      // the distinctive core of each value (decoded forms included): never stored
      const core = p.value.length > 24 ? p.value.slice(8, 32) : p.value;
      expect(text.includes(core), `${p.kind} value found in the database`).toBe(false);
    }
  });

  it("a key revoked at the provider flips live → revoked on the daily re-check, with an audit/timeline event", { timeout: 240_000 }, async () => {
    const db = h.prisma;
    const gh = planted.find((p) => p.kind === "github" && p.image.startsWith("jsmith-ar/"))!;
    const before = (await byFingerprint(db, orgA)).get(await fp(gh.value))!;
    expect(before.liveness).toBe("live");
    emu.revoke(gh.value);
    clock += 25 * 3_600_000;
    await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.livenessRequested, id: "daily-test-1", data: { orgId: orgA, reason: "daily" } }]);
    await runner.drain(200_000);
    const after = (await byFingerprint(db, orgA)).get(await fp(gh.value))!;
    expect(after.liveness).toBe("revoked");
    expect(after.livenessCheckedAt!.getTime()).toBeGreaterThan(before.livenessCheckedAt!.getTime());
    const audit = await db.auditLog.findMany({ where: { orgId: orgA, action: "finding.liveness_revoked" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: "account", targetId: after.accountId });
    expect(JSON.stringify(audit[0]!.details)).toContain(after.id);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(gh.value);
    // still-live keys stayed live and were re-checked
    const npm = (await byFingerprint(db, orgA)).get(await fp(planted.find((p) => p.kind === "npm" && p.image.startsWith("mission-ctl/"))!.value))!;
    expect(npm.liveness).toBe("live");
    expect(npm.livenessCheckedAt!.getTime()).toBe(after.livenessCheckedAt!.getTime());
  });

  it("an analyst's 'revoked' is confirmed by a check on request; an unreachable provider keeps the last result", { timeout: 240_000 }, async () => {
    const db = h.prisma;
    const hf = planted.find((p) => p.kind === "huggingface")!;
    const f = (await byFingerprint(db, orgA)).get(await fp(hf.value))!;
    const owner = await db.user.create({ data: { email: "owner@acme.example" } });
    await db.membership.create({ data: { orgId: orgA, userId: owner.id, role: "owner" } });
    const ctx = { orgId: orgA, orgSlug: "acme", userId: owner.id, userEmail: owner.email, role: "owner" as const };
    await setFindingStatus(db, ctx, { findingIds: [f.id], status: "revoked", reason: "rotated" });
    emu.revoke(hf.value);
    clock += 60_000;
    await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.livenessRequested, id: "manual-1", data: { orgId: orgA, reason: "manual", findingId: f.id } }]);
    await runner.drain(200_000);
    expect((await db.finding.findFirst({ where: { id: f.id, orgId: orgA } }))!.liveness).toBe("revoked");

    // provider down: liveness stays what was last confirmed, the reason says the check was inconclusive
    const npmValue = planted.find((p) => p.kind === "npm" && p.image.startsWith("mission-ctl/"))!.value;
    const npm = (await byFingerprint(db, orgA)).get(await fp(npmValue))!;
    const down = { ...deps, liveness: { ...deps.liveness!, client: createVerifierClient({ baseUrls: { npm: "http://127.0.0.1:9" } }) } };
    const { verifyFinding } = await import("@/lib/liveness");
    const r = await verifyFinding(db, { orgId: orgA }, npm.id, { ring: down.liveness.ring, client: down.liveness.client, now: new Date(clock) });
    expect(r).toMatchObject({ before: "live", after: "live" });
    const row = (await db.finding.findFirst({ where: { id: npm.id, orgId: orgA } }))!;
    expect(row.liveness).toBe("live");
    expect(row.livenessReason).toBe("last check inconclusive: unreachable");
  });

  it("a second organisation reusing the cached scan verifies through the shared sealed values; orgs stay isolated", { timeout: 300_000 }, async () => {
    const db = h.prisma;
    const sealedBefore = await db.sealedSecret.count();
    const orgB = await registerAndScan("acme-b", ["fuel-data", "mission-ctl"]);
    await runner.drain(280_000);
    // every digest came from the shared cache: no new scan, so no new sealed value
    expect(await db.sealedSecret.count()).toBe(sealedBefore);
    const bScans = await db.jobStep.findMany({ where: { stepId: "scan", run: { functionId: "image-scan", orgId: orgB } } });
    expect(bScans).toEqual([]);
    const bFindings = await byFingerprint(db, orgB);
    const aws = planted.find((p) => p.kind === "aws" && p.image.startsWith("fuel-data/"))!;
    const bAws = bFindings.get(await fp(aws.value))!;
    expect(bAws.liveness).toBe("live");
    const gl = planted.find((p) => p.kind === "gitlab")!;
    expect(bFindings.get(await fp(gl.value))!.liveness).toBe("revoked");

    // org B cannot open org A's finding, even with the right key
    const aAws = (await byFingerprint(db, orgA)).get(await fp(aws.value))!;
    expect((await loadFindingSecret(db, { orgId: orgB }, aAws.id, deps.liveness!.ring)).material).toBeNull();
    expect((await loadFindingSecret(db, { orgId: orgA }, aAws.id, deps.liveness!.ring)).material).toMatchObject({ keyId: expect.stringMatching(/^AKIA/) });
    // a wrong master key opens nothing
    expect((await loadFindingSecret(db, { orgId: orgA }, aAws.id, new Keyring([randomBytes(32).toString("hex")]))).reason).toBe("sealed with another encryption key");
  });

  it("an organisation that turned verification off gets no checks", { timeout: 300_000 }, async () => {
    const db = h.prisma;
    const org = await db.organization.create({ data: { slug: "quiet", name: "Quiet" } });
    const admin = await db.user.create({ data: { email: "admin@quiet.example" } });
    const ctx = { orgId: org.id, orgSlug: "quiet", userId: admin.id, userEmail: admin.email, role: "admin" as const };
    await expect(updateLivenessSettings(db, { ...ctx, role: "analyst" }, { enabled: false })).rejects.toThrow(/only admins/);
    await expect(updateLivenessSettings(db, ctx, { enabled: "no" })).rejects.toThrow(/invalid/);
    await updateLivenessSettings(db, ctx, { enabled: false });
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "settings.liveness" } })).toBe(1);
    await db.hubAccount.create({ data: { orgId: org.id, namespace: "nozzle-ui", status: "likely", confidence: 0.9 } });
    const acc = await db.hubAccount.findFirstOrThrow({ where: { orgId: org.id } });
    await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.accountScanRequested, data: { orgId: org.id, accountId: acc.id, reason: "manual" } }]);
    await runner.drain(280_000);
    const rows = await db.finding.findMany({ where: { orgId: org.id } });
    expect(rows.length).toBeGreaterThan(0);
    for (const f of rows) expect([f.liveness, f.livenessCheckedAt]).toEqual(["unknown", null]);
  });
});
