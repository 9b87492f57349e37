// npm run bench:dashboard — generates 5,000 accounts and 100,000 findings (200,000 locations)
// into a fresh embedded database, measures every dashboard read model and workflow in-process,
// then closes the database, starts the built production app (`next start`) on that data, signs
// in through next-auth's credentials flow and measures every dashboard API over HTTP — the
// in-process figure is the peer of each HTTP figure. Writes the table into docs/dashboards.md.
// Rows are generated inside the database with generate_series (one statement per table), which
// is what keeps the load under a minute on PGlite.
// Smaller, quicker runs for iterating: BENCH_ACCOUNTS=500 BENCH_FINDINGS=10000 BENCH_RUNS=10
// (the docs table is only rewritten at the full size unless BENCH_WRITE_DOC=1).
// BENCH_GENERATE_ONLY=1 generates the data, keeps it and stops (to look at query plans).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { hashPassword } from "@/lib/auth/password";
import { openDb, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { openOffboardingCase } from "@/lib/accounts/offboarding";
import { ensureBuilt, startApp, type AppServer } from "../support/app-server";
import { HttpSession, TEST_PASSWORD } from "../support/http-session";
import { benchCases, type BenchCase, type Fixtures, type HttpCall } from "./dashboard-cases";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 5000);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const WARMUP = 3;
/** requests per read endpoint in the concurrency-4 round (0 skips it) */
const C4_RUNS = Number(process.env.BENCH_C4_RUNS ?? 48);
const FULL = ACCOUNTS >= 5000 && FINDINGS >= 100_000;
const ORG = "bench-org-a";
const SLUG = "bench-a";
const OTHER = "bench-org-b";
const USER_EMAIL = "user1@acme.test";
const BUDGET_MS = 200;

interface Stat {
  p50: number;
  p95: number;
  max: number;
}
interface HttpStat extends Stat {
  statuses: string;
  bytes: number;
  c4p95: number | null;
}
interface Row {
  name: string;
  kind: BenchCase["kind"];
  call: string;
  inproc: Stat;
  http: HttpStat | null;
}

async function main() {
  const loadAtStart = os.loadavg()[0]!;
  console.log(machine());
  console.log("bench:dashboard  building the app if needed (next build)…");
  await ensureBuilt();
  const dataDir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "stowaway-bench-"));
  console.log(`bench:dashboard  data dir ${dataDir}`);
  let app: AppServer | undefined;
  const rows: Row[] = [];
  try {
    // ── 1. generate, then measure in-process (PGlite is single-process: this handle first) ──
    const h = await openDb({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir });
    let loadSeconds = 0;
    let counts: { accounts: number; findings: number; locations: number; jobRuns: number };
    let httpPools: Pick<Fixtures, "claimPool" | "offboardPool">;
    let base: Omit<Fixtures, "claimPool" | "offboardPool" | "caseId" | "openedCases">;
    let dbKind: string;
    let setupAccounts: string[];
    try {
      await applyMigrations(h);
      const t0 = performance.now();
      await generate(h.execScript.bind(h));
      await seedExtras(h.prisma);
      loadSeconds = (performance.now() - t0) / 1000;
      dbKind = h.kind;
      const c = await h.query<{ accounts: number; findings: number; locations: number; jobRuns: number }>(
        `SELECT (SELECT count(*) FROM "HubAccount" WHERE "orgId"=$1)::int AS accounts,
                (SELECT count(*) FROM "Finding" WHERE "orgId"=$1)::int AS findings,
                (SELECT count(*) FROM "FindingLocation" WHERE "orgId"=$1)::int AS locations,
                (SELECT count(*) FROM "JobRun" WHERE "orgId"=$1)::int AS "jobRuns"`,
        [ORG],
      );
      counts = c[0]!;
      console.log(
        `generated in ${loadSeconds.toFixed(1)} s: ${counts.accounts} accounts, ${counts.findings} findings, ` +
          `${counts.locations} locations, ${counts.jobRuns} job runs (+ a second org)`,
      );
      if (process.env.BENCH_GENERATE_ONLY === "1") {
        // for looking at query plans: the data stays; open it with openDb({ dataDir })
        console.log(`BENCH_GENERATE_ONLY: data kept in ${dataDir}`);
        process.env.BENCH_KEEP = "1";
        return;
      }
      const fx = await fixtures(h.prisma);
      base = fx.base;
      httpPools = fx.httpPools;
      setupAccounts = fx.setupAccounts;
      const db = h.prisma;
      const inproc: Fixtures = { ...base, ...fx.inprocPools, caseId: "", openedCases: [] };
      inproc.caseId = (await openOffboardingCase(db, base.ctx, { accountId: setupAccounts[0]!, note: "bench setup" })).id;
      const cases = benchCases(SLUG, inproc);
      console.log(`\nin-process: ${cases.length} read models and workflows, ${WARMUP} warm-up + ${RUNS} calls each`);
      for (const c of cases) {
        const stat = await measure((i) => c.inproc(db, i));
        rows.push({ name: c.name, kind: c.kind, call: describe(c.http(0)), inproc: stat, http: null });
        console.log(`  ${c.name.padEnd(52)} p50 ${fmt(stat.p50)}  p95 ${fmt(stat.p95)}  max ${fmt(stat.max)}`);
      }
    } finally {
      await h.close();
    }

    // ── 2. the production app on the same data, over HTTP ──
    console.log("\nstarting the built app (next start) on the generated data…");
    app = await startApp({ env: { STOWAWAY_DATA_DIR: dataDir } });
    const s = new HttpSession(app.baseUrl);
    if (!(await s.signIn(USER_EMAIL, TEST_PASSWORD))) throw new Error("sign-in through next-auth credentials failed");
    console.log(`signed in as ${USER_EMAIL} (admin of ${SLUG}) at ${app.baseUrl}`);
    const fxHttp: Fixtures = { ...base, ...httpPools, caseId: "", openedCases: [] };
    const setupAccount = setupAccounts[1]!;
    const opened = await send(s, { method: "POST", path: `/api/v1/orgs/${SLUG}/accounts/${setupAccount}/offboard`, body: { note: "bench setup" } });
    if (opened.status !== 201) throw new Error(`setup case: ${opened.status} ${opened.text.slice(0, 300)}`);
    fxHttp.caseId = (JSON.parse(opened.text) as { id: string }).id;
    const cases = benchCases(SLUG, fxHttp);
    const loadHttpStart = os.loadavg()[0]!;
    console.log(`\nHTTP: ${cases.length} endpoints, ${WARMUP} warm-up + ${RUNS} sequential requests each`);
    for (const [k, c] of cases.entries()) {
      const statuses = new Map<number, number>();
      let bytes = 0;
      const stat = await measure(async (i) => {
        const r = await send(s, c.http(i));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        bytes = r.bytes;
        if (r.status >= 400) throw new Error(`${c.name}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
        c.onHttpBody?.(JSON.parse(r.text));
      });
      rows[k]!.http = { ...stat, statuses: [...statuses.keys()].join("/"), bytes, c4p95: null };
      console.log(`  ${c.name.padEnd(52)} p50 ${fmt(stat.p50)}  p95 ${fmt(stat.p95)}  max ${fmt(stat.max)}  ${[...statuses.keys()].join("/")}  ${bytes} B`);
    }
    if (C4_RUNS > 0) {
      console.log(`\nHTTP, 4 concurrent clients: ${C4_RUNS} requests per read endpoint`);
      for (const [k, c] of cases.entries()) {
        if (c.kind !== "read") continue;
        const times: number[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (next < C4_RUNS) {
              next++;
              const t = performance.now();
              const r = await send(s, c.http(0));
              if (r.status >= 400) throw new Error(`${c.name}: HTTP ${r.status}`);
              times.push(performance.now() - t);
            }
          }),
        );
        times.sort((a, b) => a - b);
        rows[k]!.http!.c4p95 = pct(times, 0.95);
        console.log(`  ${c.name.padEnd(52)} p95 ${fmt(pct(times, 0.95))}`);
      }
    }
    const loadEnd = os.loadavg()[0]!;

    // The 200 ms budget is for the dashboard's interactive APIs (reads and workflow writes). CSV
    // downloads (up to 10,000 rows, a file the browser saves) are measured and reported beside
    // them, not held to it: they are listed separately, never hidden.
    const over = rows.filter((r) => r.http && r.kind !== "csv" && r.http.p95 >= BUDGET_MS);
    const slowDownloads = rows.filter((r) => r.http && r.kind === "csv" && r.http.p95 >= BUDGET_MS);
    const doc = { rows, loadSeconds, counts, dbKind, load: { start: loadAtStart, http: loadHttpStart, end: loadEnd } };
    if (FULL || process.env.BENCH_WRITE_DOC === "1") writeDoc(doc);
    else console.log("(smaller than 5,000/100,000: docs/dashboards.md left as it is; BENCH_WRITE_DOC=1 to write anyway)");
    console.log(`\n${machine()}\n1-minute load average: ${loadAtStart.toFixed(2)} at start, ${loadHttpStart.toFixed(2)} when HTTP measuring started, ${loadEnd.toFixed(2)} at the end`);
    console.log(
      over.length
        ? `OVER BUDGET (HTTP p95 ≥ ${BUDGET_MS} ms): ${over.map((o) => `${o.name} (${o.http!.p95.toFixed(0)} ms)`).join("; ")}`
        : `every interactive dashboard API (reads and writes): HTTP p95 < ${BUDGET_MS} ms`,
    );
    if (slowDownloads.length) console.log(`CSV downloads at or over ${BUDGET_MS} ms p95 (not interactive; reported, not held to the budget): ${slowDownloads.map((o) => `${o.name} (${o.http!.p95.toFixed(0)} ms)`).join("; ")}`);
    process.exitCode = over.length ? 1 : 0;
  } finally {
    await app?.stop();
    if (!process.env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Warm-up, then RUNS timed calls (i keeps counting so one-shot writes get fresh targets). */
async function measure(fn: (i: number) => Promise<unknown>): Promise<Stat> {
  let i = 0;
  for (; i < WARMUP; i++) await fn(i);
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++, i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p95: pct(times, 0.95), max: times.at(-1)! };
}

/** One request, timed to the last byte of the body. */
async function send(s: HttpSession, c: HttpCall): Promise<{ status: number; bytes: number; text: string }> {
  const res = await s.fetch(c.path, {
    method: c.method,
    headers: c.body !== undefined ? { "content-type": "application/json" } : c.method === "GET" ? {} : { "content-type": "application/json" },
    body: c.body !== undefined ? JSON.stringify(c.body) : c.method === "GET" ? undefined : "{}",
  });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes: buf.length, text: buf.toString("utf8") };
}

function describe(c: HttpCall): string {
  const p = c.path.replace(`/api/v1/orgs/${SLUG}`, "").replace(/^\/api\/v1\/orgs$/, "/api/v1/orgs") || "/";
  return `${c.method} ${decodeURIComponent(p)}`;
}

function fmt(ms: number): string {
  return `${ms.toFixed(1).padStart(7)} ms`;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function machine(): string {
  const cpus = os.cpus();
  return `machine: ${cpus[0]?.model ?? "cpu"} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join("/")}, node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** A password for the bench's admin (sign-in over HTTP), comments, identity items and job runs. */
async function seedExtras(db: Db) {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  await db.user.update({ where: { id: "bench-user-1" }, data: { passwordHash, name: "Bench Admin" } });
  await db.membership.update({ where: { id: "bench-m1" }, data: { role: "admin" } });
}

/** Ids for the cases. One-shot writes get separate pools for the in-process and HTTP phases. */
async function fixtures(db: Db) {
  const top = await db.hubAccount.findFirstOrThrow({ where: { orgId: ORG }, orderBy: { risk: "desc" } });
  const someFinding = await db.finding.findFirstOrThrow({ where: { orgId: ORG, accountId: top.id }, orderBy: { id: "asc" } });
  const toggle = await db.finding.findFirstOrThrow({ where: { orgId: ORG, accountId: top.id, id: { not: someFinding.id } }, orderBy: { id: "desc" } });
  const page = await db.finding.findMany({ where: { orgId: ORG, status: "open", severity: "high" }, orderBy: { lastSeenAt: "desc" }, take: 25, select: { id: true } });
  const triage = await db.hubAccount.findFirstOrThrow({ where: { orgId: ORG, status: "review", id: { not: top.id } }, orderBy: { risk: "desc" } });
  const n = WARMUP + RUNS;
  const fresh = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "HubAccount" WHERE "orgId" = ${ORG} AND status IN ('candidate','review','likely','confirmed')
      AND id <> ${top.id} AND id <> ${triage.id}
    ORDER BY md5(id) LIMIT ${4 * n + 2}`;
  const ids = fresh.map((r) => r.id);
  if (ids.length < 4 * n + 2) throw new Error(`not enough accounts for ${n} one-shot writes per phase`);
  const base = {
    ctx: { orgId: ORG, orgSlug: SLUG, userId: "bench-user-1", userEmail: USER_EMAIL, role: "admin" as const },
    topAccountId: top.id,
    someFindingId: someFinding.id,
    toggleFindingId: toggle.id,
    bulkFindingIds: page.map((p) => p.id),
    triageAccountId: triage.id,
    otherMemberId: "bench-user-2",
  };
  return {
    base,
    inprocPools: { claimPool: ids.slice(0, n), offboardPool: ids.slice(n, 2 * n) },
    httpPools: { claimPool: ids.slice(2 * n, 3 * n), offboardPool: ids.slice(3 * n, 4 * n) },
    setupAccounts: ids.slice(4 * n, 4 * n + 2),
  };
}

async function generate(exec: (sql: string) => Promise<void>) {
  const detectors = [
    ["aws-access-key", "aws", "critical"],
    ["private-key", "ssh", "critical"],
    ["postgres-url", "postgres", "critical"],
    ["stripe-secret-key", "stripe", "critical"],
    ["github-pat", "github", "critical"],
    ["dockerhub-pat", "docker", "critical"],
    ["openai-key", "openai", "high"],
    ["anthropic-key", "anthropic", "high"],
    ["slack-webhook", "slack", "high"],
    ["sendgrid-key", "sendgrid", "high"],
    ["generic-secret", "generic", "medium"],
    ["generic-password", "generic", "medium"],
    ["example-token", "generic", "low"],
  ];
  const detArr = (i: number) => `(ARRAY[${detectors.map((d) => `'${d[i]}'`).join(",")}])`;
  const nDet = detectors.length;
  const orgSql = (org: string, slug: string, accounts: number, findings: number) => `
    INSERT INTO "Organization"(id, slug, name, "updatedAt") VALUES ('${org}', '${slug}', '${slug}', now());
    INSERT INTO "HubAccount"(id, "orgId", namespace, "accountType", status, confidence, evidence, profile, "pullCount", "repoCount",
                             "lastPushAt", risk, "riskParts", "discoveredAt", "lastDiscoveredAt", "lastScannedAt", "scanState", "updatedAt")
    SELECT '${org}-a' || i, '${org}', 'team-' || i, CASE WHEN i % 7 = 0 THEN 'organization' ELSE 'user' END,
           (ARRAY['candidate','review','likely','confirmed','dismissed','sanctioned','offboarding','offboarded'])[1 + (i * 7919) % 8]::"AccountStatus",
           ((i * 37) % 100) / 100.0,
           '[{"type":"label_email","weight":0.6,"value":"dev@acme.test","source":"image label","detail":"maintainer"}]'::jsonb, '{}'::jsonb,
           (i * 104729) % 250000, 1 + i % 4,
           now() - make_interval(days => (i * 13) % 400), (i * 7727) % 101, '{}'::jsonb,
           now() - make_interval(days => (i * 11) % 120), now(), now() - make_interval(hours => i % 48), 'scanned', now()
    FROM generate_series(1, ${accounts}) AS i;
    INSERT INTO "HubRepository"(id, "orgId", "accountId", name, "pullCount", "lastUpdated", "updatedAt")
    SELECT '${org}-r' || i || '-' || r, '${org}', '${org}-a' || i, 'repo-' || r, (i * r * 31) % 50000, now(), now()
    FROM generate_series(1, ${accounts}) AS i, generate_series(1, 2) AS r;
    INSERT INTO "HubImage"(id, "orgId", "repositoryId", tag, digest, "pushedAt", "scanState", "isLatest", "lastScannedAt", "updatedAt")
    SELECT '${org}-i' || i || '-' || r || '-' || t, '${org}', '${org}-r' || i || '-' || r, CASE WHEN t = 1 THEN 'latest' ELSE 'v' || t END,
           'sha256:' || encode(sha256(('${org}' || i || '-' || r || '-' || t)::bytea), 'hex'), now() - make_interval(days => t),
           'scanned', t = 1, now(), now()
    FROM generate_series(1, ${accounts}) AS i, generate_series(1, 2) AS r, generate_series(1, 2) AS t;
    INSERT INTO "Finding"(id, "orgId", "accountId", detector, provider, severity, fingerprint, masked, status, "statusReason",
                          "assigneeId", liveness, "inLatest", "deletedOnly", "locationCount", "firstSeenAt", "lastSeenAt", "resolvedAt", "updatedAt")
    SELECT '${org}-f' || f, '${org}',
           '${org}-a' || (1 + floor(${accounts} * power(((f * 2654435761) % 1000003) / 1000003.0, 2)))::int,
           ${detArr(0)}[1 + f % ${nDet}], ${detArr(1)}[1 + f % ${nDet}], ${detArr(2)}[1 + f % ${nDet}]::"Severity",
           encode(sha256(('${org}-secret-' || f)::bytea), 'hex'), 'AKIA…' || lpad((f % 100)::text, 2, '0'),
           st::"FindingStatus", CASE WHEN st IN ('false_positive','accepted_risk') THEN 'bench' END,
           CASE WHEN f % 4 = 0 THEN 'bench-user-' || (1 + f % 5) END,
           (ARRAY['unknown','live','revoked'])[1 + f % 3], f % 3 <> 0, f % 5 = 0, 2,
           now() - make_interval(days => f % 180), now() - make_interval(days => f % 20),
           CASE WHEN st <> 'open' THEN now() - make_interval(days => f % 20) END, now()
    FROM (SELECT f, (ARRAY['open','open','open','open','open','open','revoked','revoked','false_positive','accepted_risk'])[1 + (f * 31) % 10] AS st
          FROM generate_series(1, ${findings}) AS f) s;
    INSERT INTO "FindingLocation"(id, "orgId", "findingId", "accountId", repository, tag, "imageDigest", platform, "layerDigest",
                                  source, path, line, deleted, "locationKey", "firstSeenAt", "lastSeenAt")
    SELECT f.id || '-l' || k, f."orgId", f.id, f."accountId", 'repo-' || k, CASE WHEN k = 1 THEN 'latest' ELSE 'v2' END,
           'sha256:' || encode(sha256((f.id || k)::bytea), 'hex'), CASE WHEN k = 1 THEN 'linux/amd64' ELSE 'linux/arm64' END,
           'sha256:' || encode(sha256((f.id || 'layer' || k)::bytea), 'hex'), 'layer', '/app/.env', k, f."deletedOnly",
           f.id || '-' || k, f."firstSeenAt", f."lastSeenAt"
    FROM "Finding" f, generate_series(1, 2) AS k WHERE f."orgId" = '${org}';
    INSERT INTO "PostureSnapshot"(id, "orgId", day, score, "openCritical", "openFindings", "liveSecrets", "shadowAccounts", "mttrHours", parts)
    SELECT '${org}-s' || d, '${org}', (now() - make_interval(days => d))::date, 40 + (d * 7) % 40, 100 + d, 1000 + d * 3, 50 + d, 300, 36.5, '[]'::jsonb
    FROM generate_series(0, 119) AS d;
    -- jobs: one discovery run, an account scan per account, an image scan per image (its children)
    INSERT INTO "JobRun"(id, "orgId", "functionId", "eventName", "eventId", payload, status, attempt, "createdAt", "startedAt", "finishedAt")
    VALUES ('${org}-jd', '${org}', 'org-discovery', 'org/discovery.requested', '${org}-ed', '{"orgId":"${org}"}'::jsonb,
            'completed', 1, now() - interval '2 days', now() - interval '2 days', now() - interval '1 day');
    INSERT INTO "JobRun"(id, "orgId", "functionId", "eventName", "eventId", payload, status, attempt, "parentRunId", "createdAt", "startedAt", "finishedAt")
    SELECT '${org}-ja' || i, '${org}', 'account-scan', 'account/scan.requested', '${org}-ea' || i,
           jsonb_build_object('orgId', '${org}', 'accountId', '${org}-a' || i), 'completed', 1, '${org}-jd',
           now() - make_interval(hours => i % 48), now() - make_interval(hours => i % 48), now() - make_interval(hours => i % 48)
    FROM generate_series(1, ${accounts}) AS i;
    INSERT INTO "JobRun"(id, "orgId", "functionId", "eventName", "eventId", payload, status, attempt, "parentRunId", "createdAt", "startedAt", "finishedAt")
    SELECT '${org}-ji' || i || '-' || k, '${org}', 'image-scan', 'image/scan.requested', '${org}-ei' || i || '-' || k,
           jsonb_build_object('orgId', '${org}', 'accountId', '${org}-a' || i, 'imageId', '${org}-i' || i || '-' || (1 + k / 2) || '-' || (1 + k % 2)),
           CASE WHEN (i + k) % 50 = 0 THEN 'failed' ELSE 'completed' END, 1, '${org}-ja' || i,
           now() - make_interval(hours => i % 48), now() - make_interval(hours => i % 48), now() - make_interval(hours => i % 48)
    FROM generate_series(1, ${accounts}) AS i, generate_series(0, 3) AS k;
    INSERT INTO "Comment"(id, "orgId", "targetType", "targetId", "authorId", body, "createdAt")
    SELECT '${org}-c' || i, '${org}', CASE WHEN i % 2 = 0 THEN 'finding' ELSE 'account' END,
           CASE WHEN i % 2 = 0 THEN '${org}-f' || (1 + i % ${findings}) ELSE '${org}-a' || (1 + i % ${accounts}) END,
           'bench-user-' || (1 + i % 5), 'Checked with the team; rotating the key ' || i, now() - make_interval(mins => i)
    FROM generate_series(1, ${Math.floor(findings / 20)}) AS i;
    INSERT INTO "IdentityItem"(id, "orgId", kind, value, normalized, category)
    SELECT '${org}-id' || i, '${org}', (ARRAY['domain','email_pattern','known_name','sanctioned_namespace','exclusion'])[1 + i % 5]::"IdentityKind",
           'acme-' || i || '.test', 'acme-' || i || '.test', CASE WHEN i % 5 = 2 THEN 'brand' END
    FROM generate_series(1, 60) AS i;
    INSERT INTO "AuditLog"(id, "orgId", "actorEmail", action, "targetType", "targetId", details)
    SELECT '${org}-log' || i, '${org}', 'analyst@acme.test', 'finding.status', 'finding', '${org}-f' || i, '{"from":"open","to":"revoked"}'::jsonb
    FROM generate_series(1, ${Math.floor(findings / 10)}) AS i;
  `;
  await exec(`
    INSERT INTO "User"(id, email, "updatedAt") SELECT 'bench-user-' || u, 'user' || u || '@acme.test', now() FROM generate_series(1, 5) AS u;
    ${orgSql(ORG, "bench-a", ACCOUNTS, FINDINGS)}
    ${orgSql(OTHER, "bench-b", Math.ceil(ACCOUNTS / 10), Math.ceil(FINDINGS / 10))}
    INSERT INTO "Membership"(id, "orgId", "userId", role) SELECT 'bench-m' || u, '${ORG}', 'bench-user-' || u, 'analyst' FROM generate_series(1, 5) AS u;
    ANALYZE;
  `);
}

interface DocInput {
  rows: Row[];
  loadSeconds: number;
  counts: { accounts: number; findings: number; locations: number; jobRuns: number };
  dbKind: string;
  load: { start: number; http: number; end: number };
}

function writeDoc(d: DocInput) {
  const file = path.join(process.cwd(), "docs", "dashboards.md");
  const start = "<!-- bench:dashboard:start -->";
  const end = "<!-- bench:dashboard:end -->";
  const cpus = os.cpus();
  const ms = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(1));
  const bold = (x: number) => (x >= BUDGET_MS ? `**${ms(x)}**` : ms(x));
  const kinds: Array<[BenchCase["kind"], string]> = [
    ["read", "Reads"],
    ["csv", "CSV exports"],
    ["write", "Workflows (writes)"],
  ];
  const table = [
    start,
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench:dashboard\` on ${d.dbKind === "pglite" ? "embedded PGlite" : "PostgreSQL"}: ` +
      `${d.counts.accounts.toLocaleString("en")} accounts, ${d.counts.findings.toLocaleString("en")} findings, ` +
      `${d.counts.locations.toLocaleString("en")} locations, ${d.counts.jobRuns.toLocaleString("en")} job runs (plus a second organisation with a tenth of that), generated in ${d.loadSeconds.toFixed(1)} s. ` +
      `HTTP: the production build (\`next start\`) on 127.0.0.1, signed in through next-auth's credentials flow as an admin; per endpoint ${WARMUP} warm-up then ${RUNS} sequential requests, timed to the last byte of the body` +
      (C4_RUNS > 0 ? `, then ${C4_RUNS} requests from 4 concurrent clients (reads only)` : "") +
      `. In-process: the same read model or workflow called directly (${WARMUP} + ${RUNS} calls) before the app started — the peer of each HTTP figure.`,
    "",
    `Machine: ${cpus[0]?.model ?? "cpu"} × ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${os.platform()} ${os.release()}. ` +
      `1-minute load average ${d.load.start.toFixed(2)} at the start, ${d.load.http.toFixed(2)} when HTTP measuring began, ${d.load.end.toFixed(2)} at the end (a 2-core machine shared with other work).`,
    "",
    "| endpoint | request | status | bytes | HTTP p50 (ms) | HTTP p95 (ms) | HTTP max (ms) | 4 clients p95 (ms) | in-process p95 (ms) |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ...kinds.flatMap(([k, label]) => [
      `| **${label}** | | | | | | | | |`,
      ...d.rows
        .filter((r) => r.kind === k)
        .map(
          (r) =>
            `| ${r.name} | \`${r.call.replace(/\|/g, "\\|")}\` | ${r.http?.statuses ?? "–"} | ${r.http?.bytes.toLocaleString("en") ?? "–"} | ${ms(r.http?.p50)} | ${r.http ? bold(r.http.p95) : "–"} | ${ms(r.http?.max)} | ${ms(r.http?.c4p95)} | ${ms(r.inproc.p95)} |`,
        ),
    ]),
    end,
  ].join("\n");
  let doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Dashboards\n\n## Scale\n\n";
  if (doc.includes(start) && doc.includes(end)) {
    doc = doc.slice(0, doc.indexOf(start)) + table + doc.slice(doc.indexOf(end) + end.length);
  } else {
    doc = `${doc.trimEnd()}\n\n${table}\n`;
  }
  fs.writeFileSync(file, doc);
  console.log(`figures written to ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
