// Browser journeys on the demo world (built app, Debian Chromium via playwright-core).
// World: the hub simulator serves lib/hubsim/worlds/acme-rockets.json on 127.0.0.1; the app is
// started pointed at it with its embedded job runner on (as `npm run demo` does); an owner
// registers the world's identity through the JSON API and requests discovery; accounts, findings
// and risk then come from real discovery and scans — no row is seeded. Then:
//   1. the CISO (viewer) reads the overview, follows a number to its list, exports tables as CSV,
//      opens the board report view;
//   2. an analyst triages accounts (confirm; dismiss "not ours" with a reason) and a finding
//      (status with a reason, assignment, comment), sees a refused change roll back, and reruns
//      discovery, which keeps both decisions;
//   3. an admin claims one account and offboards another through to the rescan: the account's
//      owner deletes its repositories on the simulated Hub, the rescan job really runs and finds
//      them gone, and the case closes.
// Every page visited is checked for the world's planted raw secrets and screenshotted to
// test-results/screenshots/journeys/*.png.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";
import { identityRows, type WorldIdentity } from "../helpers/jobs-pipeline";
import { ROOT, startApp, type AppServer } from "../support/app-server";
import { launchContext } from "../support/browser";
import { TEST_PASSWORD, type HttpSession } from "../support/http-session";
import { createOrgWithRoles, type OrgFixture } from "../support/org-fixtures";

const WORLD = path.join(ROOT, "lib", "hubsim", "worlds", "acme-rockets.json");
const SHOTS = path.join(ROOT, "test-results", "screenshots", "journeys");
// server round trips + re-renders on a busy shared machine: wait generously (vitest's default is
// 1 s, playwright's 30 s); every wait ends as soon as its condition holds
const WAIT_MS = 90_000;
const poll = <T,>(fn: () => T | Promise<T>, timeout = WAIT_MS) => expect.poll(fn, { timeout, interval: 250 });

/** Polls `read` until `done` holds (expect.poll is not available in hooks). */
async function waitUntil<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** RFC 4180 (quoted cells may hold commas, quotes and line breaks), CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endCell();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endCell();
      rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

interface Ground {
  identity: WorldIdentity;
  expected: { sanctioned: string[]; shadowAccounts: string[]; reviewAccounts: string[]; lookalikes: string[]; plantedSecrets: Array<{ value: string; image: string }> };
}
interface AccountRow {
  id: string;
  namespace: string;
  status: string;
  risk: number;
  openFindings: number;
}

describe("dashboard journeys on the demo world, in a real browser", () => {
  let sim: HubSim;
  let app: AppServer;
  let org: OrgFixture;
  let ground: Ground;
  const closers: Array<() => Promise<void>> = [];
  let current: Page | undefined;
  const browserErrors: string[] = [];
  const ownerToken = (ns: string) => `dckr_pat_owner_${ns.replace(/[^a-z0-9]/g, "")}`;

  beforeAll(async () => {
    const world = await loadWorldFile(WORLD);
    ground = world as unknown as Ground;
    // every genuine account's owner can sign in to the simulated Hub (to delete repositories)
    const credentials = Object.fromEntries(ground.expected.shadowAccounts.map((ns) => [ns, ownerToken(ns)]));
    sim = await startHubSim({ world, pullLimit: 100_000, apiLimit: 100_000, credentials });
    app = await startApp({
      env: {
        STOWAWAY_JOBS_DISABLED: "0",
        STOWAWAY_HUB_API_URL: sim.hubApiUrl,
        STOWAWAY_REGISTRY_URL: sim.registryUrl,
        STOWAWAY_SEARCH_URL: sim.searchUrl,
        // liveness checks would call the providers' real APIs: not from a test
        STOWAWAY_LIVENESS_DISABLED: "1",
      },
    });
    org = await createOrgWithRoles(app.baseUrl, "Acme Rockets");
    const owner = org.sessions.owner;
    const byKind = new Map<string, Array<{ value: string; category?: string }>>();
    for (const r of identityRows(ground.identity)) {
      const list = byKind.get(r.kind) ?? [];
      // the settings API refuses a duplicate (the GitHub org "acme-rockets" is also a brand name)
      if (!list.some((x) => x.value.toLowerCase() === r.value.toLowerCase())) list.push({ value: r.value, ...(r.category ? { category: r.category } : {}) });
      byKind.set(r.kind, list);
    }
    for (const [kind, items] of byKind) {
      const r = await owner.post(`/api/v1/orgs/${org.slug}/identity/${kind}`, { items });
      expect(r.status, `identity ${kind}: ${JSON.stringify(r.body)}`).toBe(201);
    }
    console.log(`setup: app and org ready after ${Math.round(performance.now() / 1000)} s`);
    const queued = await owner.post<{ eventId: string }>(`/api/v1/orgs/${org.slug}/jobs`, { type: "discovery" });
    expect(queued.status).toBe(202);
    // discovery, then every account scan and image scan it fans out, run by the app's own runner
    await waitUntil(
      "discovery and every scan it started",
      async () => (await owner.get<{ runs: Array<{ status: string; active: boolean }> }>(`/api/v1/orgs/${org.slug}/jobs?functionId=org-discovery`)).body.runs[0],
      (run) => run?.status === "completed" && !run.active,
      480_000,
    );
    console.log(`setup: pipeline done after ${Math.round(performance.now() / 1000)} s`);
    // the built server inflated the images' gzip layers on the gunzip worker, not the fallback
    expect(app.logs()).not.toContain("gunzip worker unavailable");
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail") return;
    // the server's side of the story, and what the browser showed
    if (app) console.error(`--- app log ---\n${app.logs().slice(-6000)}\n--- browser errors ---\n${browserErrors.join("\n").slice(-6000)}`);
    await current?.screenshot({ path: path.join(SHOTS, `failed-${ctx.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`), fullPage: true }).catch(() => {});
  });
  afterAll(async () => {
    for (const c of closers) await c();
    await app?.stop();
    await sim?.close();
  });

  /** Open-for-inspection helpers shared by the journeys. */
  const secrets = () => ground.expected.plantedSecrets.map((p) => p.value);
  const escapeHtml = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const leaks = (text: string) => secrets().filter((v) => text.includes(v) || text.includes(escapeHtml(v)) || text.includes(JSON.stringify(v).slice(1, -1)));
  /** Every page visited: no planted raw secret in its HTML (incl. the RSC payload), then a screenshot. */
  async function check(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    expect(leaks(await page.content()), `raw secret in ${name} (${page.url()})`).toEqual([]);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }
  async function browser(role: "viewer" | "analyst" | "admin"): Promise<Page> {
    const b = await launchContext();
    closers.push(b.close);
    b.context.setDefaultTimeout(WAIT_MS);
    const page = await b.context.newPage();
    current = page;
    page.on("pageerror", (e) => browserErrors.push(`pageerror: ${e.message}\n${e.stack ?? ""}`));
    page.on("console", (m) => {
      if (m.type() === "error") browserErrors.push(`console: ${m.text()}`);
    });
    await page.goto(`${app.baseUrl}/signin`);
    await page.getByLabel("Email").fill(org.emails[role]);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
    return page;
  }
  async function download(page: Page, click: () => Promise<void>, file: string): Promise<string[][]> {
    const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
    fs.mkdirSync(SHOTS, { recursive: true });
    await dl.saveAs(path.join(SHOTS, file));
    const text = fs.readFileSync(path.join(SHOTS, file), "utf8");
    expect(leaks(text), `raw secret in ${file}`).toEqual([]);
    return parseCsv(text);
  }
  const accountsApi = async (s: HttpSession) => (await s.get<{ items: AccountRow[] }>(`/api/v1/orgs/${org.slug}/accounts?pageSize=100`)).body.items;
  const accountId = async (ns: string) => {
    const a = (await accountsApi(org.sessions.owner)).find((x) => x.namespace === ns);
    if (!a) throw new Error(`discovery did not list ${ns}`);
    return a.id;
  };
  const detail = async (id: string) =>
    (
      await org.sessions.owner.get<{
        account: AccountRow & { dismissReason: string | null; claimedAt: string | null };
        findings: Array<{ id: string; status: string }>;
        repositories: Array<{ name: string; images: Array<{ scanState: string }> }>;
        cases: Array<{ status: string; checklist: Array<{ key: string; done: boolean }> }>;
      }>(`/api/v1/orgs/${org.slug}/accounts/${id}`)
    ).body;
  const statusOf = async (page: Page, url: string, body: unknown) =>
    page.evaluate(
      async ([u, b]) => (await fetch(u as string, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) })).status,
      [url, body] as const,
    );

  // Accounts each journey works on, chosen from the world's ground truth (real discovery results).
  const CONFIRM = "propulsion-eng"; // genuine, weak evidence → review queue
  const DISMISS = "acme-io"; // a look-alike ("Acme I/O"), not the company
  const TRIAGE_FINDINGS = "jsmith-ar"; // a shadow account with two findings
  const CLAIM = "arocket-platform";
  const OFFBOARD = "telemetry-svc";

  it("the pipeline turned the demo world into accounts and findings (no failed job)", async () => {
    const accounts = await accountsApi(org.sessions.owner);
    const byNs = new Map(accounts.map((a) => [a.namespace, a]));
    for (const ns of ground.expected.sanctioned) expect(byNs.get(ns)?.status, ns).toBe("sanctioned");
    for (const ns of [TRIAGE_FINDINGS, CLAIM, OFFBOARD]) expect(byNs.get(ns)?.status, ns).toBe("likely");
    for (const ns of [TRIAGE_FINDINGS, CLAIM, OFFBOARD]) expect(byNs.get(ns)?.openFindings, ns).toBeGreaterThan(0);
    expect(byNs.get(CONFIRM)?.status).toBe("review");
    expect(ground.expected.lookalikes).toContain(DISMISS);
    expect(byNs.get(DISMISS)?.status).toBe("candidate");
    const failed = await org.sessions.owner.get<{ runs: unknown[] }>(`/api/v1/orgs/${org.slug}/jobs?status=failed`);
    expect(failed.body.runs).toEqual([]);
  });

  it("the CISO reads the overview, follows a number to its list, exports tables and opens the board report", async () => {
    const page = await browser("viewer");
    const overview = (
      await org.sessions.viewer.get<{
        exposure: { score: number | null };
        openTotal: { value: number };
        shadowByTier: Array<{ tier: string; value: number }>;
        openBySeverity: Array<{ severity: string; value: number }>;
        openByProvider: Array<{ provider: string; value: number }>;
        topAccounts: Array<{ namespace: string; risk: number }>;
      }>(`/api/v1/orgs/${org.slug}/overview`)
    ).body;
    expect(overview.exposure.score).toBeGreaterThan(0);
    expect(overview.openTotal.value).toBeGreaterThan(0);
    await page.goto(`${app.baseUrl}/orgs/${org.slug}`);
    await poll(() => page.getByTestId("exposure-score").textContent()).toBe(String(overview.exposure.score));
    await page.waitForSelector(".recharts-surface");
    // tiers, severities and providers as computed from the scans
    const bars = async (headingId: string) =>
      page.locator(`section[aria-labelledby="${headingId}"] ul.bars li`).evaluateAll((lis) => lis.map((li) => [li.firstElementChild?.textContent?.trim(), li.querySelector("a.n")?.textContent?.trim()]));
    expect(await bars("tier-h")).toEqual(overview.shadowByTier.map((t) => [expect.stringMatching(new RegExp(t.tier, "i")), String(t.value)]));
    expect(await bars("sev-h")).toEqual(overview.openBySeverity.map((t) => [expect.stringMatching(new RegExp(t.severity, "i")), String(t.value)]));
    expect(await bars("prov-h")).toEqual(overview.openByProvider.map((t) => [t.provider, String(t.value)]));
    expect(overview.openBySeverity.reduce((n, s) => n + s.value, 0)).toBe(overview.openTotal.value);
    // top 10: the world's own accounts, riskiest first — never a look-alike
    const top = await page.locator('section[aria-labelledby="top-h"] tbody tr td:first-child').allTextContents();
    expect(top).toEqual(overview.topAccounts.map((a) => a.namespace));
    expect(top.length).toBeGreaterThan(3);
    const genuine = new Set([...ground.expected.sanctioned, ...ground.expected.shadowAccounts, ...ground.expected.reviewAccounts]);
    expect(top.filter((ns) => !genuine.has(ns))).toEqual([]);
    await check(page, "01-ciso-overview");

    // the top-accounts table as CSV: the same accounts, in the same order, with the same risk
    const csv = await download(page, () => page.getByTestId("export-top-accounts").click(), "top-accounts.csv");
    expect(csv[0]).toEqual(["namespace", "status", "risk", "confidence", "open findings", "critical findings", "pulls", "last push"]);
    expect(csv.slice(1).map((r) => [r[0], Number(r[2])])).toEqual(overview.topAccounts.map((a) => [a.namespace, a.risk]));

    // viewers read; the server refuses their triage too (not only hidden buttons)
    expect(await statusOf(page, `/api/v1/orgs/${org.slug}/accounts/triage`, { accountIds: [await accountId(CONFIRM)], decision: "confirm" })).toBe(403);

    // every number links to its list: the open findings
    const n = overview.openTotal.value;
    await page.getByRole("link", { name: `Open findings: ${n} — open the list` }).click();
    await page.waitForURL(/\/findings\?status=open/);
    await poll(() => page.locator("tbody tr[data-finding-id]").count()).toBe(Math.min(n, 25));
    await poll(() => page.getByRole("navigation", { name: "Pagination" }).locator("span.muted").textContent()).toBe(`1–${Math.min(n, 25)} of ${n}`);
    expect(await page.getByRole("region", { name: "Bulk actions" }).count()).toBe(0);
    await check(page, "02-ciso-open-findings");
    const shown = await page.locator("tbody tr[data-finding-id]").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-finding-id")));
    const list = await download(page, () => page.getByRole("link", { name: "Export CSV" }).click(), "open-findings.csv");
    expect(list[0]?.[0]).toBe("id");
    const rows = list.slice(1);
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r[2] === "open")).toBe(true);
    expect(rows.slice(0, shown.length).map((r) => r[0])).toEqual(shown);

    await page.goto(`${app.baseUrl}/orgs/${org.slug}?print=1`);
    await page.waitForSelector(".recharts-surface");
    await poll(() => page.locator(".print-mode").count()).toBe(1);
    expect(await page.locator(".sidebar").isVisible().catch(() => false)).toBe(false);
    await poll(() => page.getByTestId("exposure-score").textContent()).toBe(String(overview.exposure.score));
    await check(page, "03-ciso-board-report");
  });

  it("an analyst triages accounts and a finding; a refused change rolls back", async () => {
    const page = await browser("analyst");
    const analyst = org.sessions.analyst;

    // the review queue comes from discovery: weakly-evidenced genuine accounts
    await page.goto(`${app.baseUrl}/orgs/${org.slug}/accounts?status=review`);
    const queue = await accountsApi(analyst).then((a) => a.filter((x) => x.status === "review").map((x) => x.namespace).sort());
    await poll(async () => (await page.locator("tbody tr td a").allTextContents()).filter((t) => queue.includes(t)).sort()).toEqual(queue);
    await check(page, "04-analyst-accounts-review-queue");
    await page.getByLabel(`Select ${CONFIRM}`).check();
    await page.getByRole("button", { name: "Confirm as shadow" }).click();
    await poll(() => page.getByRole("status").filter({ hasText: "1 account confirmed as shadow" }).count()).toBe(1);
    const confirmedId = await accountId(CONFIRM);
    await poll(async () => (await detail(confirmedId)).account.status).toBe("confirmed");

    // analysts triage but do not claim or offboard (server-side check)
    const claimId = await accountId(CLAIM);
    expect(await statusOf(page, `/api/v1/orgs/${org.slug}/accounts/${claimId}/claim`, {})).toBe(403);
    expect(await statusOf(page, `/api/v1/orgs/${org.slug}/accounts/${claimId}/offboard`, {})).toBe(403);

    // a look-alike: dismissed from its page as not ours, with a reason
    const dismissId = await accountId(DISMISS);
    await page.goto(`${app.baseUrl}/orgs/${org.slug}/accounts/${dismissId}`);
    await poll(() => page.getByRole("heading", { name: /Evidence/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Claim as sanctioned…" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Offboard…" }).count()).toBe(0);
    await check(page, "05-analyst-account-page");
    const reason = "Acme I/O is an unrelated company (acme.io), not Acme Rockets";
    await page.getByRole("button", { name: "Dismiss…" }).click();
    await page.getByLabel("Reason (required)").fill(reason);
    await page.getByRole("button", { name: "Dismiss account" }).click();
    await poll(() => page.locator("h1 .badge").textContent()).toBe("dismissed");
    await poll(() => page.locator(".timeline").first().textContent()).toContain(reason);
    const dismissed = await detail(dismissId);
    expect([dismissed.account.status, dismissed.account.dismissReason]).toEqual(["dismissed", reason]);
    await check(page, "06-analyst-account-dismissed");

    // findings of one shadow account: one false positive with a reason; the other assigned + commented
    const ownerOfFindings = await accountId(TRIAGE_FINDINGS);
    await page.goto(`${app.baseUrl}/orgs/${org.slug}/findings?status=open&accountId=${ownerOfFindings}`);
    await poll(() => page.locator("tbody tr[data-finding-id]").count()).toBe(2);
    const [fpId, otherId] = (await page.locator("tbody tr[data-finding-id]").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-finding-id")!))) as [string, string];
    const fpRow = page.locator(`tbody tr[data-finding-id="${fpId}"]`);
    const other = page.locator(`tbody tr[data-finding-id="${otherId}"]`);
    const fpReason = "Test fixture credential, never valid in production";
    await fpRow.getByRole("checkbox").check();
    await page.getByLabel("New status").selectOption("false_positive");
    await page.getByLabel("Reason", { exact: true }).fill(fpReason);
    await page.getByRole("button", { name: "Set status" }).click();
    await poll(() => fpRow.getByTestId("finding-status").textContent()).toContain("false positive");
    await poll(() => page.getByTestId("findings-message").textContent()).toContain("1 finding marked false positive");

    // an optimistic update the server refuses (simulated 500) rolls back
    await page.route("**/findings/status", (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "INTERNAL", message: "database unavailable" } }) }));
    await other.getByRole("checkbox").check();
    await page.getByLabel("New status").selectOption("revoked");
    await page.getByRole("button", { name: "Set status" }).click();
    await poll(() => page.getByTestId("findings-message").textContent()).toContain("rolled back");
    await poll(() => other.getByTestId("finding-status").textContent()).toContain("open");
    await check(page, "07-analyst-rollback");
    await page.unroute("**/findings/status");

    await page.getByLabel("Assign to").selectOption({ label: org.emails.analyst });
    await page.getByRole("button", { name: "Assign" }).click();
    await poll(() => other.textContent()).toContain(org.emails.analyst);
    await other.getByRole("button", { name: "Details" }).click();
    const comment = "Asked the owner to rotate this key today";
    await page.getByLabel("Add a comment").fill(comment);
    await page.getByRole("button", { name: "Comment" }).click();
    await poll(() => page.locator(`#detail-${otherId} .timeline`).textContent()).toContain(comment);
    // the finding's history shows the assignment
    await poll(() => page.locator(`#detail-${otherId}`).textContent()).toContain(`→ ${org.emails.analyst}`);
    await check(page, "08-analyst-finding-triaged");

    // the decisions feed back into discovery: run it again from the Jobs page; the look-alike
    // stays dismissed with its reason and the confirmed account stays confirmed
    const discoveries = async () => (await analyst.get<{ runs: Array<{ status: string; active: boolean }> }>(`/api/v1/orgs/${org.slug}/jobs?functionId=org-discovery`)).body.runs;
    const runsBefore = (await discoveries()).length;
    await page.goto(`${app.baseUrl}/orgs/${org.slug}/jobs`);
    await page.getByRole("button", { name: "Run discovery now" }).click();
    await poll(async () => {
      const runs = await discoveries();
      return runs.length > runsBefore && runs[0]!.status === "completed" && !runs[0]!.active;
    }, 240_000).toBe(true);
    await check(page, "09-analyst-jobs-rediscovery");
    const again = await detail(dismissId);
    expect([again.account.status, again.account.dismissReason]).toEqual(["dismissed", reason]);
    expect((await detail(confirmedId)).account.status).toBe("confirmed");

    // what the server now holds
    type FindingApi = { status: string; statusReason: string | null; assigneeEmail: string | null; comments: Array<{ body: string }>; history: Array<{ action: string }> };
    const fp = (await analyst.get<FindingApi>(`/api/v1/orgs/${org.slug}/findings/${fpId}`)).body;
    expect([fp.status, fp.statusReason, fp.history.map((h) => h.action)]).toEqual(["false_positive", fpReason, ["finding.status"]]);
    const o = (await analyst.get<FindingApi>(`/api/v1/orgs/${org.slug}/findings/${otherId}`)).body;
    expect([o.status, o.assigneeEmail, o.comments.map((c) => c.body), o.history.map((h) => h.action).sort()]).toEqual(["open", org.emails.analyst, [comment], ["comment.add", "finding.assign"]]);
  });

  it("an admin claims one account and offboards another through to a real rescan", async () => {
    const page = await browser("admin");
    const admin = org.sessions.admin;

    // claim: sanctioned inventory, added to the sanctioned namespaces, still monitored
    const claimId = await accountId(CLAIM);
    await page.goto(`${app.baseUrl}/orgs/${org.slug}/accounts/${claimId}`);
    await page.getByRole("button", { name: "Claim as sanctioned…" }).click();
    await page.getByLabel("Note (optional)").fill("Team account of the platform group");
    const [claimed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/claim") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Claim account" }).click(),
    ]);
    expect(claimed.status()).toBe(200);
    await poll(() => page.locator("h1 .badge").textContent()).toBe("sanctioned");
    await check(page, "10-admin-claimed");
    const c = await detail(claimId);
    expect([c.account.status, c.account.claimedAt !== null]).toEqual(["sanctioned", true]);
    const sanctioned = (await admin.get<{ items: Array<{ value: string }> }>(`/api/v1/orgs/${org.slug}/identity/sanctioned_namespace`)).body.items.map((i) => i.value);
    expect(sanctioned).toContain(CLAIM);
    // monitored: its findings stay open on the account until someone acts on them
    expect(c.findings.filter((f) => f.status === "open").length).toBeGreaterThan(0);

    // offboard: open the case
    const target = await accountId(OFFBOARD);
    const before = await detail(target);
    const openFindings = before.findings.filter((f) => f.status === "open").length;
    const imageCount = before.repositories.reduce((n, r) => n + r.images.length, 0);
    expect(openFindings).toBeGreaterThan(0);
    expect(imageCount).toBeGreaterThan(0);
    await page.goto(`${app.baseUrl}/orgs/${org.slug}/accounts/${target}`);
    await page.getByRole("button", { name: "Offboard…" }).click();
    const [opened] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/offboard") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Open offboarding case" }).click(),
    ]);
    expect(opened.status()).toBe(201);
    const kase = page.getByTestId("offboarding-case");
    await poll(() => kase.count()).toBe(1);
    await poll(() => page.locator("h1 .badge").textContent()).toBe("offboarding");
    await check(page, "11-admin-case-opened");

    // the checklist: one revoke step per open finding, owner contacted, images deleted
    const boxes = kase.getByRole("checkbox");
    expect(await boxes.count()).toBe(openFindings + 2);
    const by = new RegExp(`^${org.emails.admin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · `);
    const tick = async (i: number) => {
      await boxes.nth(i).click();
      await poll(() => boxes.nth(i).isChecked()).toBe(true);
      // wait for the server to record the step before the next (one case, one writer)
      await poll(() => kase.getByText(by).count()).toBe(i + 1);
    };
    for (let i = 0; i < openFindings + 1; i++) await tick(i);

    // the account's owner deletes every repository on the (simulated) Hub
    const login = await fetch(`${sim.hubApiUrl}/v2/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifier: OFFBOARD, secret: ownerToken(OFFBOARD) }) });
    const jwt = ((await login.json()) as { access_token: string }).access_token;
    for (const r of before.repositories) {
      const del = await fetch(`${sim.hubApiUrl}/v2/repositories/${OFFBOARD}/${r.name}/`, { method: "DELETE", headers: { authorization: `Bearer ${jwt}` } });
      expect(del.status, r.name).toBe(202);
    }
    await tick(openFindings + 1);

    // rescan: queued through the jobs client, run for real by the app's runner
    const scans = async () => (await admin.get<{ runs: Array<{ status: string; active: boolean }> }>(`/api/v1/orgs/${org.slug}/jobs?accountId=${target}&functionId=account-scan`)).body.runs;
    const scansBefore = (await scans()).length;
    await kase.getByRole("button", { name: "Request rescan" }).click();
    await poll(() => kase.getByRole("button", { name: "Check rescan result" }).count()).toBe(1);
    await poll(async () => {
      const runs = await scans();
      return runs.length > scansBefore && runs[0]!.status === "completed" && !runs[0]!.active;
    }, 120_000).toBe(true);
    await check(page, "12-admin-rescan-requested");
    await kase.getByRole("button", { name: "Check rescan result" }).click();
    await poll(() => page.getByTestId("rescan-verdict").textContent()).toBe(
      `Rescan confirms the account is clean: ${imageCount} of ${imageCount} images gone, no secret seen again.`,
    );
    await poll(() => kase.getByRole("button", { name: "Close case: offboarded" }).isEnabled()).toBe(true);
    await check(page, "13-admin-rescan-clean");
    await kase.getByRole("button", { name: "Close case: offboarded" }).click();
    await poll(() => page.locator("h1 .badge").textContent()).toBe("offboarded");
    await check(page, "14-admin-offboarded");

    // what the server now holds
    const after = await detail(target);
    expect(after.account.status).toBe("offboarded");
    expect(after.findings.map((f) => f.status)).toEqual(before.findings.map(() => "revoked"));
    expect(after.repositories.flatMap((r) => r.images.map((i) => i.scanState))).toEqual(Array(imageCount).fill("gone"));
    expect(after.cases.map((k) => [k.status, k.checklist.every((i) => i.done)])).toEqual([["done", true]]);
    const audit = (await admin.get<{ entries: Array<{ action: string }> }>(`/api/v1/orgs/${org.slug}/audit?limit=500`)).body.entries.map((e) => e.action);
    for (const a of ["account.claim", "case.open", "case.step", "case.rescan_requested", "case.rescan_verified", "case.done", "account.offboarded"]) expect(audit, a).toContain(a);
    expect(audit.filter((a) => a === "case.step")).toHaveLength(openFindings + 2);

    await page.goto(`${app.baseUrl}/orgs/${org.slug}`);
    await page.waitForSelector(".recharts-surface");
    await check(page, "15-admin-overview-after");
  });
  it("the dashboards work on a phone-width screen and from the keyboard alone", async () => {
    const page = await browser("analyst");
    // Phone width: the page itself never scrolls sideways (wide tables scroll inside .table-wrap)
    await page.setViewportSize({ width: 390, height: 844 });
    const triageId = await accountId(TRIAGE_FINDINGS);
    for (const [name, url] of [
      ["16-phone-overview", `/orgs/${org.slug}`],
      ["17-phone-accounts", `/orgs/${org.slug}/accounts`],
      ["18-phone-findings", `/orgs/${org.slug}/findings`],
      ["19-phone-account", `/orgs/${org.slug}/accounts/${triageId}`],
    ] as const) {
      await page.goto(`${app.baseUrl}${url}`);
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 1) {
        const wide = await page.evaluate(() => {
          const w = document.documentElement.clientWidth;
          return [...document.querySelectorAll("body *")]
            .filter((e) => {
              if (e.getBoundingClientRect().right <= w + 1) return false;
              for (let p = e.parentElement; p; p = p.parentElement) if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return false;
              return true;
            })
            .slice(0, 12)
            .map((e) => `${e.tagName.toLowerCase()}.${(e as HTMLElement).className} r=${Math.round(e.getBoundingClientRect().right)} w=${Math.round(e.getBoundingClientRect().width)}`);
        });
        console.log(`WIDE in ${name}:\n${wide.join("\n")}`);
      }
      expect(overflow, `${name} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
      expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Findings" }).isVisible(), name).toBe(true);
      await check(page, name);
    }

    // Keyboard only: skip link first, then the main navigation, then a finding's details
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${app.baseUrl}/orgs/${org.slug}`);
    await page.waitForLoadState("networkidle");
    const focused = () =>
      page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return { tag: a?.tagName ?? "", text: a?.textContent?.trim() ?? "", inNav: !!a?.closest('nav[aria-label="Main"]'), expanded: a?.getAttribute("aria-expanded") ?? null };
      });
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe("Skip to content");
    const tabTo = async (what: string, match: (f: Awaited<ReturnType<typeof focused>>) => boolean) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        if (match(await focused())) return;
      }
      throw new Error(`${what} is not reachable with Tab`);
    };
    await tabTo("the Findings link", (f) => f.tag === "A" && f.inNav && f.text === "Findings");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/findings/);
    // a client-side navigation does not reset the document's load state, so "networkidle" is
    // already true here: wait for the streamed list itself, not for the loading skeleton
    await page.getByRole("button", { name: "Details" }).first().waitFor();
    await tabTo("a finding's Details button", (f) => f.tag === "BUTTON" && f.text === "Details");
    await page.keyboard.press("Enter");
    await poll(async () => (await focused()).expanded).toBe("true");
    await check(page, "20-keyboard-finding-details");
  });
});
