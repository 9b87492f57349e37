// Inngest mode wiring, with @inngest/test: each definition registered as an Inngest function runs
// its steps in order, sleeps for the pull budget, fans out the right events, and mirrors its run
// into JobRun. External calls are replaced by step mocks; the database is real (PGlite).
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountScan } from "@/jobs/definitions/account-scan";
import { imageScan } from "@/jobs/definitions/image-scan";
import { orgDiscovery } from "@/jobs/definitions/org-discovery";
import { dailyRediscovery } from "@/jobs/definitions/scheduled";
import type { freshDb } from "../helpers/jobs-db";
import { FIXED_NOW, inngestHarness } from "../helpers/inngest-functions";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("job definitions as Inngest functions", () => {
  let h: Awaited<ReturnType<typeof freshDb>>;
  const harness = inngestHarness();
  const fn = harness.fn;

  beforeAll(async () => {
    h = await harness.open();
  });
  afterAll(() => harness.close());

  it("org-discovery: runs discovery, then requests a scan per likely/sanctioned account", async () => {
    const t = new InngestTestEngine({
      function: fn(orgDiscovery),
      events: [{ name: "org/discovery.requested", id: "evt-disc-1", data: { orgId: "org1", reason: "manual" } }],
      steps: [
        { id: "load-org", handler: () => ({ id: "org1" }) },
        { id: "run-discovery", handler: () => ({ candidates: 5 }) },
        { id: "select-accounts", handler: () => [{ id: "acc1" }, { id: "acc2" }] },
        { id: "report-progress", handler: () => null },
        // step tools that would talk to an Inngest server are mocked by id
        { id: "request-account-scans", handler: () => ({ ids: ["e1", "e2"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ candidates: 5, accountsToScan: 2 });
    // events without an id get one derived from the run and the step, so a retried send is a no-op
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("request-account-scans", [
      { name: "account/scan.requested", id: "evt-disc-1:request-account-scans:0", data: { orgId: "org1", accountId: "acc1", reason: "discovery" } },
      { name: "account/scan.requested", id: "evt-disc-1:request-account-scans:1", data: { orgId: "org1", accountId: "acc2", reason: "discovery" } },
    ]);
    const mirror = await h.prisma.jobRun.findUniqueOrThrow({ where: { functionId_eventId: { functionId: "org-discovery", eventId: "evt-disc-1" } } });
    expect(mirror.status).toBe("completed");
    expect(mirror.orgId).toBe("org1");
    // the account scans it starts are mirrored as its children, as the embedded runner records them
    const children = await h.prisma.jobRun.findMany({ where: { parentRunId: mirror.id }, orderBy: { eventId: "asc" } });
    expect(children.map((c) => [c.functionId, c.eventId, c.status, c.orgId])).toEqual([
      ["account-scan", "evt-disc-1:request-account-scans:0", "queued", "org1"],
      ["account-scan", "evt-disc-1:request-account-scans:1", "queued", "org1"],
    ]);
  });

  it("account-scan: lists repositories and tags, then fans out one image scan per new digest", async () => {
    const t = new InngestTestEngine({
      function: fn(accountScan),
      events: [{ name: "account/scan.requested", id: "evt-acct-1", data: { orgId: "org1", accountId: "acc1", reason: "manual" } }],
      steps: [
        { id: "load-account", handler: () => ({ namespace: "acme-dev", status: "likely" }) },
        {
          id: "list-repositories",
          handler: () => [{ namespace: "acme-dev", name: "api", description: null, isPrivate: false, pullCount: 10, starCount: 0, lastUpdated: null, dateRegistered: null, repositoryType: null, mediaTypes: [] }],
        },
        {
          id: "tags:api",
          handler: () => ({ toScan: [{ imageId: "img1", repository: "acme-dev/api", tag: "latest", digest: DIGEST, eventId: `img:org1:img1:${DIGEST}:t1` }], newest: 0, tags: 2 }),
        },
        { id: "update-inventory", handler: () => null },
        { id: "fan-out-image-scans", handler: () => ({ ids: ["e1"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ repositories: 1, tags: 2, imagesRequested: 1 });
    expect(ctx.step.run).toHaveBeenCalledWith("tags:api", expect.any(Function));
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("fan-out-image-scans", [
      { name: "image/scan.requested", id: `img:org1:img1:${DIGEST}:t1`, data: { orgId: "org1", accountId: "acc1", imageId: "img1", repository: "acme-dev/api", tag: "latest", digest: DIGEST } },
    ]);
    const parent = await h.prisma.jobRun.findUniqueOrThrow({ where: { functionId_eventId: { functionId: "account-scan", eventId: "evt-acct-1" } } });
    const child = await h.prisma.jobRun.findUniqueOrThrow({ where: { functionId_eventId: { functionId: "image-scan", eventId: `img:org1:img1:${DIGEST}:t1` } } });
    expect(child.parentRunId).toBe(parent.id);
  });

  it("account-scan: a dismissed account is not scanned", async () => {
    const t = new InngestTestEngine({
      function: fn(accountScan),
      events: [{ name: "account/scan.requested", id: "evt-acct-2", data: { orgId: "org1", accountId: "acc9" } }],
      steps: [{ id: "load-account", handler: () => ({ namespace: "notours", status: "dismissed" }) }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ skipped: "account dismissed" });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });

  it("image-scan: waits for the pull budget, scans, stores findings, updates risk", async () => {
    const t = new InngestTestEngine({
      function: fn(imageScan),
      events: [{ name: "image/scan.requested", id: "evt-img-1", data: { orgId: "org1", accountId: "acc1", imageId: "img1", repository: "acme-dev/api", tag: "latest", digest: DIGEST } }],
      steps: [
        { id: "mark-scanning", handler: () => ({ digest: DIGEST }) },
        { id: "check-cache", handler: () => false },
        { id: "check-pull-budget", handler: () => 30_000 },
        { id: "wait-for-pull-budget", handler: () => null },
        { id: "scan", handler: () => null },
        { id: "store-findings", handler: () => ({ findings: 2, newFindings: 2, locations: 3, reusedScan: false, partial: false }) },
        { id: "update-risk", handler: () => ({ risk: 71 }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(ctx.step.sleep).toHaveBeenCalledWith("wait-for-pull-budget", 30_000);
    expect(ctx.step.run).toHaveBeenCalledWith("scan", expect.any(Function));
    expect(result).toEqual({ findings: 2, newFindings: 2, locations: 3, reusedScan: false, partial: false });
  });

  it("image-scan: a digest already scanned (for any organisation) skips the registry entirely", async () => {
    const t = new InngestTestEngine({
      function: fn(imageScan),
      events: [{ name: "image/scan.requested", id: "evt-img-2", data: { orgId: "org2", accountId: "acc1", imageId: "img1", repository: "acme-dev/api", tag: "latest", digest: DIGEST } }],
      steps: [
        { id: "mark-scanning", handler: () => ({ digest: DIGEST }) },
        { id: "check-cache", handler: () => true },
        { id: "store-findings", handler: () => ({ findings: 2, newFindings: 2, locations: 3, reusedScan: true, partial: false }) },
        { id: "update-risk", handler: () => ({ risk: 71 }) },
      ],
    });
    const { ctx } = await t.execute();
    expect(ctx.step.run).not.toHaveBeenCalledWith("scan", expect.any(Function));
    expect(ctx.step.run).not.toHaveBeenCalledWith("check-pull-budget", expect.any(Function));
    expect(ctx.step.sleep).not.toHaveBeenCalled();
  });

  it("daily-rediscovery: one discovery per organisation with a per-day idempotency id", async () => {
    const t = new InngestTestEngine({
      function: fn(dailyRediscovery),
      events: [{ name: "inngest/scheduled.timer", id: "tick-1", data: {} }],
      steps: [
        { id: "list-orgs", handler: () => [{ id: "o1" }, { id: "o2" }] },
        { id: "request-discovery", handler: () => ({ ids: ["e1", "e2"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ organisations: 2 });
    const day = Math.floor(FIXED_NOW.getTime() / 86_400_000);
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("request-discovery", [
      { name: "org/discovery.requested", id: `rediscover:o1:${day}`, data: { orgId: "o1", reason: "scheduled" } },
      { name: "org/discovery.requested", id: `rediscover:o2:${day}`, data: { orgId: "o2", reason: "scheduled" } },
    ]);
  });
});
