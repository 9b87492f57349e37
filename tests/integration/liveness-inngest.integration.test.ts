// The liveness functions as Inngest functions (@inngest/test): steps in order, one step per batch
// of checks, risk recomputed only when something flipped, the daily fan-out with per-day ids, and
// image-scan requesting verification when the installation verifies.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageScan } from "@/jobs/definitions/image-scan";
import { dailyLiveness, livenessVerify } from "@/jobs/definitions/liveness";
import { createVerifierClient, Keyring } from "@/lib/liveness";
import { scanText } from "@/lib/scan/detectors";
import { FIXED_NOW, inngestHarness } from "../helpers/inngest-functions";

const DIGEST = `sha256:${"b".repeat(64)}`;

describe("liveness functions on Inngest", () => {
  const harness = inngestHarness({ liveness: { ring: new Keyring(["c".repeat(64)]), client: createVerifierClient({ baseUrls: {} }), detect: scanText } });
  const fn = harness.fn;

  beforeAll(async () => {
    await harness.open();
  });
  afterAll(() => harness.close());

  it("liveness-verify: selects, checks in batches of ten, recomputes risk for flipped accounts", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `f${i}`);
    const t = new InngestTestEngine({
      function: fn(livenessVerify),
      events: [{ name: "finding/liveness.requested", id: "evt-live-1", data: { orgId: "org1", reason: "daily" } }],
      steps: [
        { id: "select", handler: () => ids },
        { id: "verify:0", handler: () => Array.from({ length: 10 }, (_, i) => ({ accountId: "a1", before: "live", after: i === 0 ? "revoked" : "live" })) },
        { id: "verify:1", handler: () => [{ accountId: "a2", before: "unknown", after: "unknown" }, { accountId: "a2", before: "unknown", after: "live" }] },
        { id: "update-risk", handler: () => 2 },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ checked: 12, live: 10, revoked: 1, unknown: 1, flipped: 2 });
    expect(ctx.step.run).toHaveBeenCalledWith("verify:1", expect.any(Function));
    expect(ctx.step.run).toHaveBeenCalledWith("update-risk", expect.any(Function));
  });

  it("liveness-verify: an organisation with verification off is skipped after selection", async () => {
    const t = new InngestTestEngine({
      function: fn(livenessVerify),
      events: [{ name: "finding/liveness.requested", id: "evt-live-2", data: { orgId: "org1", reason: "scan", digest: DIGEST } }],
      steps: [{ id: "select", handler: () => null }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ skipped: "verification turned off for this organisation" });
    expect(ctx.step.run).not.toHaveBeenCalledWith("verify:0", expect.any(Function));
  });

  it("daily-liveness: one request per organisation with a per-day idempotency id", async () => {
    const t = new InngestTestEngine({
      function: fn(dailyLiveness),
      events: [{ name: "inngest/scheduled.timer", id: "tick-l1", data: {} }],
      steps: [
        { id: "purge-orphaned-seals", handler: () => 3 },
        { id: "list-orgs", handler: () => [{ id: "o1" }, { id: "o2" }] },
        { id: "request-liveness", handler: () => ({ ids: ["e1", "e2"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ organisations: 2, purgedSeals: 3 });
    const slot = Math.floor(FIXED_NOW.getTime() / 86_400_000);
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("request-liveness", [
      { name: "finding/liveness.requested", id: `liveness:o1:${slot}`, data: { orgId: "o1", reason: "daily" } },
      { name: "finding/liveness.requested", id: `liveness:o2:${slot}`, data: { orgId: "o2", reason: "daily" } },
    ]);
  });

  it("image-scan: with verification configured, requests a check of the digest's findings", async () => {
    const t = new InngestTestEngine({
      function: fn(imageScan),
      events: [{ name: "image/scan.requested", id: "evt-img-l1", data: { orgId: "org1", accountId: "acc1", imageId: "img1", repository: "acme-dev/api", tag: "latest", digest: DIGEST } }],
      steps: [
        { id: "mark-scanning", handler: () => ({ digest: DIGEST }) },
        { id: "check-cache", handler: () => true },
        { id: "store-findings", handler: () => ({ findings: 2, newFindings: 2, locations: 3, reusedScan: true, partial: false }) },
        { id: "update-risk", handler: () => ({ risk: 71 }) },
        { id: "request-liveness", handler: () => ({ ids: ["e1"] }) },
      ],
    });
    const { ctx } = await t.execute();
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("request-liveness", [
      expect.objectContaining({ name: "finding/liveness.requested", data: { orgId: "org1", reason: "scan", digest: DIGEST } }),
    ]);
  });
});
