// Browser journeys on the dashboards (built app, Debian Chromium via playwright-core):
//   1. the CISO (viewer) reads the overview, follows a number to its list and exports a table;
//   2. an analyst triages an account (confirm + dismiss) and a finding (status, assignment,
//      comment), and sees an optimistic update roll back when the server refuses;
//   3. an admin claims one account and offboards another through to the rescan.
// World: the Acme Rockets demo shape seeded as rows into the app's embedded database before the
// app starts (the simulator-driven demo pipeline is a separate slice). The rescan itself is
// queued through the real jobs client; the scan *result* is written while the app is stopped
// (PGlite is single-process), then the app restarts on the same data and verifies it.
// Screenshots: test-results/screenshots/journeys/*.png
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { openDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { ROOT, startApp, type AppServer } from "../support/app-server";
import { launchContext } from "../support/browser";
import { TEST_PASSWORD } from "../support/http-session";

// server round trips + re-renders on a busy CI machine: poll generously (vitest's default is 1 s)
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });

const SHOTS = path.join(ROOT, "test-results", "screenshots", "journeys");
const SLUG = "acme-rockets";
const DAY = 86_400_000;
const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

interface Seeded {
  accounts: Record<string, string>;
}

async function seedDemoWorld(dataDir: string): Promise<Seeded> {
  const h = await openDb({ dataDir });
  try {
    await applyMigrations(h);
    const db = h.prisma;
    const now = Date.now();
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const org = await db.organization.create({ data: { slug: SLUG, name: "Acme Rockets" } });
    for (const [email, role] of [
      ["ciso@acme-rockets.example", "viewer"],
      ["analyst@acme-rockets.example", "analyst"],
      ["admin@acme-rockets.example", "admin"],
    ] as const) {
      const u = await db.user.create({ data: { email, name: email.split("@")[0], passwordHash } });
      await db.membership.create({ data: { orgId: org.id, userId: u.id, role } });
    }
    await db.identityItem.createMany({
      data: [
        { orgId: org.id, kind: "domain", value: "acme-rockets.com", normalized: "acme-rockets.com" },
        { orgId: org.id, kind: "known_name", value: "Acme Rockets", normalized: "acme rockets", category: "brand" },
        { orgId: org.id, kind: "sanctioned_namespace", value: "acmerockets", normalized: "acmerockets" },
      ],
    });
    const defs = [
      { ns: "acme-rockets-ci", status: "likely", risk: 91, conf: 0.92, pulls: 48210, push: 3, disc: 4 },
      { ns: "jdoe-acme", status: "review", risk: 64, conf: 0.58, pulls: 1320, push: 20, disc: 2 },
      { ns: "rocket-labs-dev", status: "likely", risk: 72, conf: 0.81, pulls: 9050, push: 9, disc: 12 },
      { ns: "acme-contractor", status: "review", risk: 38, conf: 0.44, pulls: 210, push: 70, disc: 30 },
      { ns: "acme-plumbing", status: "candidate", risk: 8, conf: 0.22, pulls: 95000, push: 5, disc: 40 },
      { ns: "acmerockets", status: "sanctioned", risk: 12, conf: 1, pulls: 250000, push: 1, disc: 60 },
    ] as const;
    const accounts: Record<string, string> = {};
    for (const d of defs) {
      const a = await db.hubAccount.create({
        data: {
          orgId: org.id,
          namespace: d.ns,
          accountType: "user",
          status: d.status,
          risk: d.risk,
          confidence: d.conf,
          pullCount: BigInt(d.pulls),
          repoCount: 2,
          lastPushAt: new Date(now - d.push * DAY),
          discoveredAt: new Date(now - d.disc * DAY),
          lastScannedAt: new Date(now - DAY),
          scanState: "scanned",
          profile: { fullName: d.ns.replace(/-/g, " "), company: d.conf > 0.5 ? "Acme Rockets" : null, location: "Lisbon" },
          evidence: [
            { type: "label_email", weight: 0.6, value: "ops@acme-rockets.com", source: `${d.ns}/api:latest`, detail: "org.opencontainers.image.authors label" },
            { type: "config_host", weight: 0.3, value: "db.internal.acme-rockets.com", source: `${d.ns}/worker:v2`, detail: "DATABASE_URL host in ENV" },
            { type: "name_match", weight: 0.1, value: "acme", source: "search", detail: "namespace contains a known name" },
          ],
          riskParts: {
            attribution: { key: "attribution", label: "Attribution", value: d.conf, detail: `confidence ${d.conf}` },
            findings: { key: "findings", label: "Findings", value: 0.9, detail: "worst open: critical, 3 open" },
            exposure: { key: "exposure", label: "Exposure", value: 0.8, detail: `${d.pulls} pulls, pushed ${d.push} days ago` },
            formula: "risk = 100 × attribution × findings × exposure",
          },
        },
      });
      accounts[d.ns] = a.id;
      for (const repo of ["api", "worker"]) {
        const r = await db.hubRepository.create({ data: { orgId: org.id, accountId: a.id, name: repo, pullCount: BigInt(Math.floor(d.pulls / 2)), lastUpdated: new Date(now - d.push * DAY) } });
        await db.hubImage.createMany({
          data: ["latest", "v2", "v1"].map((tag, i) => ({
            orgId: org.id,
            repositoryId: r.id,
            tag,
            digest: `sha256:${sha(d.ns + repo + tag)}`,
            pushedAt: new Date(now - (d.push + i * 10) * DAY),
            scanState: "scanned",
            isLatest: i === 0,
            lastScannedAt: new Date(now - DAY),
          })),
        });
      }
    }
    const F = [
      ["acme-rockets-ci", "aws-access-key", "aws", "critical", "live", false, 3],
      ["acme-rockets-ci", "github-pat", "github", "critical", "unknown", true, 10],
      ["acme-rockets-ci", "dockerhub-pat", "docker", "critical", "unknown", false, 6],
      ["jdoe-acme", "openai-key", "openai", "high", "live", false, 2],
      ["jdoe-acme", "postgres-url", "postgres", "critical", "unknown", true, 15],
      ["rocket-labs-dev", "stripe-secret-key", "stripe", "critical", "live", false, 8],
      ["rocket-labs-dev", "slack-webhook", "slack", "high", "unknown", false, 8],
      ["acme-contractor", "generic-secret", "generic", "medium", "unknown", false, 25],
      ["acmerockets", "example-token", "generic", "low", "unknown", false, 50],
    ] as const;
    for (const [i, [ns, detector, provider, severity, liveness, deleted, days]] of F.entries()) {
      const accountId = accounts[ns]!;
      const secretId = `${detector}-${i}`;
      const f = await db.finding.create({
        data: {
          orgId: org.id,
          accountId,
          detector,
          provider,
          severity,
          fingerprint: sha(`demo-secret-${secretId}`),
          masked: `${detector.slice(0, 4).toUpperCase()}…${secretId.slice(-2)}`,
          liveness,
          deletedOnly: deleted,
          inLatest: !deleted,
          locationCount: 2,
          firstSeenAt: new Date(now - days * DAY),
          lastSeenAt: new Date(now - DAY),
        },
      });
      await db.findingLocation.createMany({
        data: [
          { orgId: org.id, findingId: f.id, accountId, repository: `${ns}/api`, tag: "latest", imageDigest: `sha256:${sha(ns + "apilatest")}`, platform: "linux/amd64", layerDigest: `sha256:${sha(secretId + "layer")}`, source: "layer", path: deleted ? "app/.env" : "etc/app/config.yaml", line: 4, deleted, locationKey: sha(f.id + "a"), lastSeenAt: new Date(now - DAY) },
          { orgId: org.id, findingId: f.id, accountId, repository: `${ns}/worker`, tag: "v2", imageDigest: `sha256:${sha(ns + "workerv2")}`, platform: "linux/arm64", layerDigest: null, source: "config.env", path: null, line: null, deleted: false, locationKey: sha(f.id + "b"), lastSeenAt: new Date(now - DAY) },
        ],
      });
    }
    // one secret already revoked (for MTTR) and 30 days of posture snapshots
    const rev = await db.finding.create({
      data: { orgId: org.id, accountId: accounts["rocket-labs-dev"]!, detector: "aws-access-key", provider: "aws", severity: "critical", fingerprint: sha("demo-revoked"), masked: "AKIA…Q7", status: "revoked", statusReason: "rotated in IAM", liveness: "revoked", firstSeenAt: new Date(now - 12 * DAY), lastSeenAt: new Date(now - 5 * DAY), resolvedAt: new Date(now - 9 * DAY) },
    });
    void rev;
    for (let d = 0; d < 30; d++) {
      await db.postureSnapshot.create({
        data: {
          orgId: org.id,
          day: new Date(Math.floor((now - d * DAY) / DAY) * DAY),
          score: Math.max(40, 88 - d),
          openCritical: 5 - Math.floor(d / 10),
          openFindings: 9 - Math.floor(d / 8),
          liveSecrets: 3,
          shadowAccounts: 3,
          mttrHours: 72,
          parts: [
            { key: "max", label: "Riskiest account", value: 91, detail: "weight 0.6" },
            { key: "top5", label: "Average of the 5 riskiest accounts", value: 57, detail: "weight 0.4" },
          ],
        },
      });
    }
    return { accounts };
  } finally {
    await h.close();
  }
}

async function signIn(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

describe("dashboard journeys in a real browser", () => {
  let app: AppServer | undefined;
  let dataDir: string;
  let seeded: Seeded;
  const closers: Array<() => Promise<void>> = [];
  const start = async () => {
    app = await startApp({ env: { STOWAWAY_DATA_DIR: dataDir } });
    return app;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-journeys-"));
    seeded = await seedDemoWorld(dataDir);
    await start();
  });
  afterEach((ctx) => {
    // on failure, the server's side of the story
    if (ctx.task.result?.state === "fail" && app) console.error(`--- app log ---\n${app.logs().slice(-6000)}`);
  });
  afterAll(async () => {
    for (const c of closers) await c();
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the CISO reads the overview, follows a number and exports a table", async () => {
    const b = await launchContext();
    closers.push(b.close);
    const page = await b.context.newPage();
    await signIn(page, app!.baseUrl, "ciso@acme-rockets.example");
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}`);
    await poll(() => page.getByTestId("exposure-score").textContent()).toBe("88");
    await poll(() => page.getByRole("heading", { name: /Top 10 riskiest accounts/ }).count()).toBe(1);
    await page.waitForSelector(".recharts-surface");
    await shot(page, "01-ciso-overview");

    // export the top-accounts table as CSV
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-top-accounts").click()]);
    const file = path.join(SHOTS, "top-accounts.csv");
    fs.mkdirSync(SHOTS, { recursive: true });
    await download.saveAs(file);
    const csv = fs.readFileSync(file, "utf8");
    expect(csv.split("\r\n")[0]).toBe("namespace,status,risk,confidence,open findings,critical findings,pulls,last push");
    expect(csv).toContain("acme-rockets-ci,likely,91,");

    // the role is enforced by the server too, not only by hidden buttons
    const post = (u: string, body: unknown) =>
      page.evaluate(
        async ([url, b]) => (await fetch(url as string, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) })).status,
        [u, body] as const,
      );
    expect(await post(`/api/v1/orgs/${SLUG}/accounts/triage`, { accountIds: [seeded.accounts["jdoe-acme"]], decision: "confirm" })).toBe(403);

    // every number links to its list: open critical findings
    await page.getByRole("link", { name: /Open findings: 9 — open the list/ }).click();
    await page.waitForURL(/\/findings\?status=open/);
    await poll(() => page.locator("tbody tr[data-finding-id]").count()).toBe(9);
    // viewers see no triage controls
    expect(await page.getByRole("region", { name: "Bulk actions" }).count()).toBe(0);
    await shot(page, "02-ciso-open-findings");

    await page.goto(`${app!.baseUrl}/orgs/${SLUG}?print=1`);
    await page.waitForSelector(".recharts-surface");
    await shot(page, "03-ciso-board-report");
  });

  it("an analyst triages an account and a finding; a refused change rolls back", async () => {
    const b = await launchContext();
    closers.push(b.close);
    const page = await b.context.newPage();
    await signIn(page, app!.baseUrl, "analyst@acme-rockets.example");

    await page.goto(`${app!.baseUrl}/orgs/${SLUG}/accounts?status=review`);
    await poll(() => page.locator("tbody tr").count()).toBe(2);
    await shot(page, "04-analyst-accounts-review-queue");
    await page.getByLabel("Select jdoe-acme").check();
    await page.getByRole("button", { name: "Confirm as shadow" }).click();
    await poll(() => page.getByRole("status").filter({ hasText: "1 account confirmed as shadow" }).count()).toBe(1);

    // analysts triage but do not claim or offboard (server-side check)
    const post = (u: string, body: unknown) =>
      page.evaluate(
        async ([url, b]) => (await fetch(url as string, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) })).status,
        [u, body] as const,
      );
    expect(await post(`/api/v1/orgs/${SLUG}/accounts/${seeded.accounts["rocket-labs-dev"]}/claim`, {})).toBe(403);
    expect(await post(`/api/v1/orgs/${SLUG}/accounts/${seeded.accounts["rocket-labs-dev"]}/offboard`, {})).toBe(403);

    // dismiss another one from its page, with a reason
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}/accounts/${seeded.accounts["acme-contractor"]}`);
    await poll(() => page.getByRole("heading", { name: /Evidence/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Claim as sanctioned…" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Offboard…" }).count()).toBe(0);
    await shot(page, "05-analyst-account-page");
    await page.getByRole("button", { name: "Dismiss…" }).click();
    await page.getByLabel("Reason (required)").fill("Belongs to an unrelated plumbing company");
    await page.getByRole("button", { name: "Dismiss account" }).click();
    await poll(() => page.locator("h1 .badge").textContent()).toBe("dismissed");
    await poll(() => page.locator(".timeline").first().textContent()).toContain("Belongs to an unrelated plumbing company");
    await shot(page, "06-analyst-account-dismissed");

    // findings: mark one false positive with a reason, assign another, comment
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}/findings?status=open&severity=high`);
    await poll(() => page.locator("tbody tr[data-finding-id]").count()).toBe(2);
    const row = page.locator("tbody tr[data-finding-id]").filter({ hasText: "slack-webhook" });
    await row.getByRole("checkbox").check();
    await page.getByLabel("New status").selectOption("false_positive");
    await page.getByLabel("Reason", { exact: true }).fill("Webhook for a sandbox channel, already deleted");
    await page.getByRole("button", { name: "Set status" }).click();
    await poll(() => row.getByTestId("finding-status").textContent()).toContain("false positive");
    await poll(() => page.getByTestId("findings-message").textContent()).toContain("1 finding marked false positive");

    // optimistic update that the server refuses (simulated 500) rolls back
    const other = page.locator("tbody tr[data-finding-id]").filter({ hasText: "openai-key" });
    await page.route("**/findings/status", (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "INTERNAL", message: "database unavailable" } }) }));
    await other.getByRole("checkbox").check();
    await page.getByLabel("New status").selectOption("revoked");
    await page.getByRole("button", { name: "Set status" }).click();
    await poll(() => page.getByTestId("findings-message").textContent()).toContain("rolled back");
    await poll(() => other.getByTestId("finding-status").textContent()).toContain("open");
    await shot(page, "07-analyst-rollback");
    await page.unroute("**/findings/status");

    await page.getByLabel("Assign to").selectOption({ label: "analyst@acme-rockets.example" });
    await page.getByRole("button", { name: "Assign" }).click();
    await poll(() => other.textContent()).toContain("analyst@acme-rockets.example");
    await other.getByRole("button", { name: "Details" }).click();
    await page.getByLabel("Add a comment").fill("Asked jdoe to rotate the key today");
    await page.getByRole("button", { name: "Comment" }).click();
    await poll(() => page.locator(".timeline").textContent()).toContain("Asked jdoe to rotate the key today");
    await shot(page, "08-analyst-finding-triaged");
  });

  it("an admin claims one account and offboards another through to the rescan", async () => {
    let b = await launchContext();
    closers.push(b.close);
    let page = await b.context.newPage();
    await signIn(page, app!.baseUrl, "admin@acme-rockets.example");

    // claim
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}/accounts/${seeded.accounts["rocket-labs-dev"]}`);
    await page.getByRole("button", { name: "Claim as sanctioned…" }).click();
    await page.getByLabel("Note (optional)").fill("Team account of the launch-systems group");
    const [claimed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/claim") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Claim account" }).click(),
    ]);
    expect({ status: claimed.status(), body: claimed.status() === 200 ? "" : await claimed.text() }).toEqual({ status: 200, body: "" });
    await poll(() => page.locator("h1 .badge").textContent()).toBe("sanctioned");
    await shot(page, "09-admin-claimed");

    // offboard
    const target = seeded.accounts["acme-rockets-ci"]!;
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}/accounts/${target}`);
    await page.getByRole("button", { name: "Offboard…" }).click();
    const [opened] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/offboard") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Open offboarding case" }).click(),
    ]);
    expect({ status: opened.status(), body: opened.status() === 201 ? "" : await opened.text() }).toEqual({ status: 201, body: "" });
    const kase = page.getByTestId("offboarding-case");
    await poll(() => kase.count()).toBe(1);
    await poll(() => page.locator("h1 .badge").textContent()).toBe("offboarding");
    await shot(page, "10-admin-case-opened");
    const boxes = kase.getByRole("checkbox");
    const n = await boxes.count();
    expect(n).toBe(5); // 3 secrets + contact owner + images removed
    for (let i = 0; i < n; i++) {
      await kase.getByRole("checkbox").nth(i).click();
      await poll(() => kase.getByRole("checkbox").nth(i).isChecked()).toBe(true);
      // wait for the server to record the step before ticking the next (one case, one writer)
      await poll(() => kase.getByText(/^admin@acme-rockets\.example · /).count()).toBe(i + 1);
    }
    await kase.getByRole("button", { name: "Request rescan" }).click();
    await poll(() => kase.getByRole("button", { name: "Check rescan result" }).count()).toBe(1);
    await kase.getByRole("button", { name: "Check rescan result" }).click();
    await poll(() => page.getByTestId("rescan-verdict").textContent()).toContain("has not finished");
    await shot(page, "11-admin-rescan-pending");
    // the rescan was queued through the jobs client
    const runs = (await page.evaluate(async (u) => (await fetch(u)).json(), `/api/v1/orgs/${SLUG}/jobs?accountId=${target}`)) as { runs: Array<{ status: string }> };
    expect(runs.runs.length).toBeGreaterThan(0);

    // the scan result: the owner deleted the images; the rescan finds them gone and nothing else
    await b.close();
    await app!.stop();
    app = undefined;
    const h = await openDb({ dataDir });
    const later = new Date(Date.now() + 1000);
    await h.prisma.hubImage.updateMany({ where: { repository: { accountId: target } }, data: { scanState: "gone", lastScannedAt: later } });
    await h.prisma.hubAccount.updateMany({ where: { id: target }, data: { lastScannedAt: later, scanState: "scanned" } });
    await h.close();
    await start();

    b = await launchContext();
    closers.push(b.close);
    page = await b.context.newPage();
    await signIn(page, app!.baseUrl, "admin@acme-rockets.example");
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}/accounts/${target}`);
    const kase2 = page.getByTestId("offboarding-case");
    await kase2.getByRole("button", { name: "Check rescan result" }).click();
    await poll(() => page.getByTestId("rescan-verdict").textContent()).toContain("clean");
    await kase2.getByRole("button", { name: "Close case: offboarded" }).click();
    await poll(() => page.locator("h1 .badge").textContent()).toBe("offboarded");
    await shot(page, "12-admin-offboarded");
    await page.goto(`${app!.baseUrl}/orgs/${SLUG}`);
    await shot(page, "13-admin-overview-after");
  });
});
