// The Jobs API's lib calls are scoped by organisation: another organisation's runs, accounts and
// retries are invisible (NOT_FOUND), requests are validated, audited, and a pending discovery is
// joined rather than duplicated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestAccountScan, requestDiscovery, retryJob, setJobsModeForTests } from "@/jobs/client";
import { ALL_JOBS } from "@/jobs/definitions";
import { EVENTS } from "@/jobs/definitions/events";
import { enqueueEvents } from "@/jobs/providers/embedded";
import { listJobRuns, getJobRun } from "@/lib/jobs/runs";
import { freshDb, testDbKinds } from "../helpers/jobs-db";

describe.each(testDbKinds)("jobs API scope on %s", (_kind, pgUrl) => {
  let h: Awaited<ReturnType<typeof freshDb>>;
  const ids = { a: "", b: "", accountA: "", userA: "", userB: "" };
  beforeAll(async () => {
    setJobsModeForTests("embedded");
    h = await freshDb(pgUrl);
    const db = h.prisma;
    const [a, b] = await Promise.all([db.organization.create({ data: { slug: "org-a", name: "A" } }), db.organization.create({ data: { slug: "org-b", name: "B" } })]);
    const [ua, ub] = await Promise.all([db.user.create({ data: { email: "a@example.test" } }), db.user.create({ data: { email: "b@example.test" } })]);
    const acc = await db.hubAccount.create({ data: { orgId: a.id, namespace: "a-shadow", status: "likely" } });
    Object.assign(ids, { a: a.id, b: b.id, accountA: acc.id, userA: ua.id, userB: ub.id });
  });
  afterAll(async () => {
    setJobsModeForTests(undefined);
    await h.close();
  });
  const ctx = (org: "a" | "b") => ({ orgId: ids[org], userId: org === "a" ? ids.userA : ids.userB, userEmail: `${org}@example.test` });

  it("lists only the organisation's own runs", async () => {
    const db = h.prisma;
    const { eventId } = await requestAccountScan(ctx("a"), ids.accountA, db);
    const runsA = await listJobRuns(db, { orgId: ids.a });
    expect(runsA.map((r) => r.functionId)).toEqual(["account-scan"]);
    expect(runsA[0]!.target).toBe("a-shadow");
    expect(runsA[0]!.active).toBe(true);
    expect(await listJobRuns(db, { orgId: ids.b })).toEqual([]);
    expect(await listJobRuns(db, { orgId: ids.b }, { accountId: ids.accountA })).toEqual([]);
    expect(await getJobRun(db, { orgId: ids.b }, runsA[0]!.id)).toBeNull();
    expect((await listJobRuns(db, { orgId: ids.a }, { accountId: ids.accountA }))[0]!.id).toBe(runsA[0]!.id);
    const audit = await db.auditLog.findFirstOrThrow({ where: { orgId: ids.a, action: "jobs.account_scan_requested" } });
    expect(audit.details).toMatchObject({ eventId });
  });

  it("refuses another organisation's account and run ids with NOT_FOUND, changing nothing", async () => {
    const db = h.prisma;
    const before = await db.jobRun.count();
    await expect(requestAccountScan(ctx("b"), ids.accountA, db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const runA = (await listJobRuns(db, { orgId: ids.a }))[0]!;
    await db.jobRun.update({ where: { id: runA.id }, data: { status: "failed", error: "boom" } });
    await expect(retryJob(ctx("b"), runA.id, db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.jobRun.findUniqueOrThrow({ where: { id: runA.id } })).status).toBe("failed");
    expect(await db.jobRun.count()).toBe(before);
    // the owner can retry it
    await retryJob(ctx("a"), runA.id, db);
    expect((await db.jobRun.findUniqueOrThrow({ where: { id: runA.id } })).status).toBe("queued");
    await expect(retryJob(ctx("a"), runA.id, db)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("joins a pending discovery instead of queueing a second one", async () => {
    const db = h.prisma;
    const first = await requestDiscovery(ctx("b"), db);
    const second = await requestDiscovery(ctx("b"), db);
    expect(first.alreadyQueued).toBe(false);
    expect(second).toEqual({ eventId: first.eventId, alreadyQueued: true });
    expect(await db.jobRun.count({ where: { orgId: ids.b, functionId: "org-discovery" } })).toBe(1);
  });

  it("validates queries and event payloads", async () => {
    const db = h.prisma;
    await expect(listJobRuns(db, { orgId: ids.a }, { limit: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(listJobRuns(db, { orgId: ids.a }, { status: "exploded" as never })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.imageScanRequested, data: { orgId: ids.a, accountId: ids.accountA, imageId: "i", repository: "a/b", tag: null, digest: "not-a-digest" } }]),
    ).rejects.toThrow(/invalid data/);
    await expect(listJobRuns(db, { orgId: "" })).rejects.toThrow(/tenant scope/);
  });
});
