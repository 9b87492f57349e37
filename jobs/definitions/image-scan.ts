// image/scan.requested → scan one image digest with lib/scan (or reuse the shared scan of that
// public digest), store this organisation's findings with every location, update account risk.
import { pullBudgetDelayMs } from "@/lib/jobs/pull-budget";
import { recomputeAccountRisk, recomputeOrgPosture } from "@/lib/risk/store";
import { refreshAccountScanState } from "@/lib/scan-store/inventory";
import { findCachedImageScan, saveImageScan, setImageScanState, storeImageFindings } from "@/lib/scan-store";
import { createSecretCapture, saveSealedSecrets } from "@/lib/liveness";
import type { ImageScanResult } from "@/lib/scan/types";
import { defineJob } from "../define";
import { EVENTS, ZImageScanRequested } from "./events";

export const IMAGE_SCAN_RETRIES = 4;

export const imageScan = defineJob({
  id: "image-scan",
  name: "Scan image",
  trigger: { event: EVENTS.imageScanRequested },
  schema: ZImageScanRequested,
  concurrency: [
    { key: "event.data.orgId", limit: 2 },
    // every image scan pulls from the same registry budget, whatever the organisation
    { key: '"registry-pulls"', limit: 4, scope: "env" },
  ],
  throttle: { limit: 120, periodMs: 60_000 },
  retries: IMAGE_SCAN_RETRIES,
  async handler({ event, step, attempt, deps }) {
    const { orgId, accountId, imageId, repository, tag, digest } = event.data;
    const scope = { orgId };
    const image = await step.run("mark-scanning", async () => {
      const row = await deps.db.hubImage.findFirst({ where: { id: imageId, orgId }, select: { id: true, digest: true } });
      if (row) await setImageScanState(deps.db, scope, imageId, "scanning");
      return row ? { digest: row.digest } : null;
    });
    if (!image) return { skipped: "image no longer tracked" };

    const cached = await step.run("check-cache", async () => (await findCachedImageScan(deps.db, digest)) !== null);
    let partial: ImageScanResult | null = null;
    if (!cached) {
      const waitMs = await step.run("check-pull-budget", () => pullBudgetDelayMs(deps.registry.rateLimit(), deps.config.pullReserve));
      if (waitMs > 0) await step.sleep("wait-for-pull-budget", waitMs);
      partial = await step.run("scan", async () => {
        // verifiable secrets are held in memory during the scan and only stored sealed (lib/liveness)
        const capture = deps.liveness ? createSecretCapture(deps.liveness.detect) : null;
        const result = await deps.scanImage(`${repository}@${digest}`, {
          registry: deps.registry,
          platform: "all",
          ...(capture ? { detect: capture.detect } : {}),
        });
        if (result.errors.length > 0 && attempt < IMAGE_SCAN_RETRIES) {
          // layer errors are usually transient (5xx, truncated blobs): retry the whole scan
          throw new Error(`scan incomplete: ${result.errors.length} error(s), first: ${result.errors[0]?.message ?? "?"}`);
        }
        if (capture && deps.liveness) await saveSealedSecrets(deps.db, digest, capture.sealAll(deps.liveness.ring));
        await saveImageScan(deps.db, `${repository}@${digest}`, result);
        // a complete scan is read back from the shared cache; a partial one travels in the step
        return result.errors.length > 0 ? result : null;
      });
    }

    const stored = await step.run("store-findings", async () => {
      const result = partial ?? (await findCachedImageScan(deps.db, digest));
      if (!result) throw new Error("scan result missing from cache");
      const r = await storeImageFindings(deps.db, scope, { accountId, repository, tag, digest }, result);
      await setImageScanState(
        deps.db,
        scope,
        imageId,
        "scanned",
        result.errors.length ? `partial scan: ${result.errors.length} layer error(s)` : null,
      );
      return { ...r, reusedScan: cached, partial: result.errors.length > 0 };
    });

    await step.run("update-risk", async () => {
      const state = await refreshAccountScanState(deps.db, scope, accountId);
      const risk = await recomputeAccountRisk(deps.db, scope, accountId);
      // today's posture snapshot once per account scan (its last image), not once per image:
      // it reads every account of the organisation
      if (state !== "scanning") await recomputeOrgPosture(deps.db, scope);
      return { risk: risk?.score ?? null, accountScanState: state };
    });
    if (deps.liveness && stored.findings > 0) {
      // the verify job checks the org setting itself; its event id derives from this run
      await step.sendEvent("request-liveness", { name: EVENTS.livenessRequested, data: { orgId, reason: "scan", digest } });
    }
    return stored;
  },
  async onFailure({ event, error, deps }) {
    const scope = { orgId: event.data.orgId };
    await setImageScanState(deps.db, scope, event.data.imageId, "failed", error);
    await refreshAccountScanState(deps.db, scope, event.data.accountId);
  },
});
