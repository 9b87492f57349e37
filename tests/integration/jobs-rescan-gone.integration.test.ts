// A rescan after the owner deleted images: the simulator's DELETE of a repository (as the real
// Hub lets an owner do) → the account scan no longer lists it → its images become "gone", the
// rest of the account is untouched, and nothing is scanned again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_JOBS } from "@/jobs/definitions";
import { EVENTS } from "@/jobs/definitions/events";
import { enqueueEvents, type EmbeddedRunner } from "@/jobs/providers/embedded";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { parseWorld } from "@/lib/hubsim/world";
import { freshDb } from "../helpers/jobs-db";
import { createOrgWithIdentity, pipelineDeps, pipelineRunner } from "../helpers/jobs-pipeline";

const NS = "rogue-dev";
const image = (id: string, env: string) => ({ id, platforms: [{ config: { Env: [env] }, layers: [{ files: [{ path: "app/readme.txt", content: `${id}\n` }] }] }] });

describe("rescan after the owner deleted repositories", () => {
  let sim: HubSim;
  let h: Awaited<ReturnType<typeof freshDb>>;
  let runner: EmbeddedRunner;
  let orgId: string;
  let accountId: string;
  let jwt: string;

  const images = async () =>
    Object.fromEntries(
      (await h.prisma.hubImage.findMany({ where: { orgId }, include: { repository: { select: { name: true } } } })).map((i) => [`${i.repository.name}:${i.tag}`, i.scanState]),
    );
  const rescan = async () => {
    const before = await h.prisma.jobRun.count({ where: { orgId, functionId: "image-scan" } });
    await enqueueEvents(h.prisma, ALL_JOBS, [{ name: EVENTS.accountScanRequested, data: { orgId, accountId, reason: "manual" } }]);
    await runner.drain(120_000);
    expect(await h.prisma.jobRun.count({ where: { orgId, status: "failed" } })).toBe(0);
    return (await h.prisma.jobRun.count({ where: { orgId, functionId: "image-scan" } })) - before;
  };
  const del = (p: string) => fetch(`${sim.hubApiUrl}${p}`, { method: "DELETE", headers: { authorization: `Bearer ${jwt}` } });

  beforeAll(async () => {
    const world = parseWorld({
      name: "gone",
      accounts: [{ namespace: NS, type: "user" }],
      repositories: [
        { namespace: NS, name: "api", tags: [{ name: "latest", image: "api-1", pushed: "2025-05-01T00:00:00Z" }, { name: "1.0", image: "api-0", pushed: "2025-04-01T00:00:00Z" }] },
        { namespace: NS, name: "worker", tags: [{ name: "latest", image: "worker-1", pushed: "2025-05-02T00:00:00Z" }] },
      ],
      images: [image("api-1", "STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcQ2"), image("api-0", "A=0"), image("worker-1", "B=1")],
    });
    sim = await startHubSim({ world, credentials: { [NS]: "dckr_pat_owner" }, pullLimit: 1000 });
    h = await freshDb();
    runner = pipelineRunner(h.prisma, pipelineDeps(h.prisma, sim));
    orgId = await createOrgWithIdentity(h.prisma, "gone", { name: "Gone" });
    accountId = (await h.prisma.hubAccount.create({ data: { orgId, namespace: NS, status: "confirmed", confidence: 0.9 } })).id;
    const login = await fetch(`${sim.hubApiUrl}/v2/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifier: NS, secret: "dckr_pat_owner" }) });
    jwt = ((await login.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await runner?.stop();
    await h?.close();
    await sim?.close();
  });

  it("marks only the deleted images gone and rescans nothing", { timeout: 300_000 }, async () => {
    expect(await rescan()).toBe(3);
    expect(await images()).toEqual({ "api:latest": "scanned", "api:1.0": "scanned", "worker:latest": "scanned" });
    const firstScan = (await h.prisma.hubAccount.findFirstOrThrow({ where: { id: accountId } })).lastScannedAt!;

    expect((await del(`/v2/repositories/${NS}/worker/`)).status).toBe(202);
    expect(await rescan()).toBe(0);
    expect(await images()).toEqual({ "api:latest": "scanned", "api:1.0": "scanned", "worker:latest": "gone" });
    const account = await h.prisma.hubAccount.findFirstOrThrow({ where: { id: accountId } });
    expect(account.scanState).toBe("scanned");
    expect(account.repoCount).toBe(1);
    expect(account.lastScannedAt!.getTime()).toBeGreaterThan(firstScan.getTime());

    expect((await del(`/v2/namespaces/${NS}/repositories/api`)).status).toBe(202);
    expect(await rescan()).toBe(0);
    expect(await images()).toEqual({ "api:latest": "gone", "api:1.0": "gone", "worker:latest": "gone" });
    expect((await h.prisma.hubAccount.findFirstOrThrow({ where: { id: accountId } })).repoCount).toBe(0);
  });
});
