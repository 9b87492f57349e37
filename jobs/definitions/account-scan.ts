// account/scan.requested → list repositories and tags (latest + N most recently pushed), resolve
// digests with HEAD (free: no pull spent), skip digests already scanned, fan out one
// image/scan.requested per new or changed digest.
import { recomputeAccountRisk } from "@/lib/risk/store";
import {
  clearStaleLatest,
  markUnlistedImagesGone,
  refreshAccountScanState,
  selectTags,
  updateAccountInventory,
  upsertImageTag,
  upsertRepository,
} from "@/lib/scan-store/inventory";
import { defineJob, NonRetriableJobError } from "../define";
import { setRunProgress } from "../progress";
import { EVENTS, ZAccountScanRequested } from "./events";

export const accountScan = defineJob({
  id: "account-scan",
  name: "Scan account",
  trigger: { event: EVENTS.accountScanRequested },
  schema: ZAccountScanRequested,
  concurrency: [
    { key: "event.data.orgId", limit: 2 },
    { key: '"hub-api"', limit: 4, scope: "env" },
  ],
  retries: 4,
  async handler({ event, step, deps }) {
    const { orgId, accountId } = event.data;
    const scope = { orgId };
    const account = await step.run("load-account", () =>
      deps.db.hubAccount.findFirst({ where: { id: accountId, orgId }, select: { namespace: true, status: true } }),
    );
    if (!account) throw new NonRetriableJobError("account not found in this organisation");
    if (account.status === "dismissed") return { skipped: "account dismissed" };
    const ns = account.namespace;

    const repos = await step.run("list-repositories", async () => {
      const list = await deps.hub.listRepositories(ns);
      return list.filter((r) => !r.isPrivate);
    });

    const toScan: Array<{ imageId: string; repository: string; tag: string; digest: string; eventId: string }> = [];
    let lastPush = 0;
    let tagsSeen = 0;
    for (const repo of repos) {
      const r = await step.run(`tags:${repo.name}`, async () => {
        const repositoryId = await upsertRepository(deps.db, scope, accountId, repo);
        const tags = await deps.hub.listTags(ns, repo.name);
        const picked = selectTags(tags, deps.config.recentTags);
        const out: Array<{ imageId: string; repository: string; tag: string; digest: string; eventId: string }> = [];
        let newest = 0;
        for (const t of tags) newest = Math.max(newest, Date.parse(t.lastPushed ?? t.lastUpdated ?? "") || 0);
        for (const { tag, isLatest } of picked) {
          const head = await deps.registry.headManifest(`${ns}/${repo.name}`, tag.name);
          const digest = head?.digest ?? tag.digest;
          const st = await upsertImageTag(deps.db, scope, repositoryId, {
            tag: tag.name,
            digest,
            pushedAt: tag.lastPushed ?? tag.lastUpdated,
            isLatest,
          });
          if (st.needsScan && digest) {
            // One image scan per (image, digest, push): overlapping account scans (a manual rescan
            // during discovery) request it once. A failed image gets a fresh id per request.
            const key = st.state === "failed" ? `retry:${event.id}` : (tag.lastPushed ?? tag.lastUpdated ?? "");
            out.push({ imageId: st.imageId, repository: `${ns}/${repo.name}`, tag: tag.name, digest, eventId: `img:${orgId}:${st.imageId}:${digest}:${key}` });
          }
        }
        await clearStaleLatest(deps.db, scope, repositoryId, picked.find((p) => p.isLatest)?.tag.name ?? null);
        return { toScan: out, newest, tags: picked.length };
      });
      toScan.push(...r.toScan);
      lastPush = Math.max(lastPush, r.newest);
      tagsSeen += r.tags;
    }

    await step.run("update-inventory", async () => {
      // repositories the owner deleted since the last scan: their images are gone
      await markUnlistedImagesGone(deps.db, scope, accountId, repos.map((r) => r.name));
      await updateAccountInventory(deps.db, scope, accountId, repos, lastPush ? new Date(lastPush) : null);
      await setRunProgress(deps.db, { functionId: "account-scan", eventId: event.id }, {
        repositories: repos.length,
        tags: tagsSeen,
        imagesTotal: toScan.length,
      });
      if (toScan.length === 0) {
        await refreshAccountScanState(deps.db, scope, accountId);
        await recomputeAccountRisk(deps.db, scope, accountId);
      }
      return null;
    });

    if (toScan.length) {
      await step.sendEvent(
        "fan-out-image-scans",
        toScan.map(({ eventId, ...i }) => ({ name: EVENTS.imageScanRequested, id: eventId, data: { orgId, accountId, ...i } })),
      );
    }
    return { repositories: repos.length, tags: tagsSeen, imagesRequested: toScan.length };
  },
});
