// `npm run bench:pipeline`: throughput and memory of the discovery-and-scan pipeline on the
// embedded runner + PGlite, against the simulator.
//   demo world      — the full pipeline: discovery → account scans → image scans → findings → risk
//   generated world — BENCH_ACCOUNTS accounts (default 1,000), one repository and one tag each,
//                     every third image carrying planted fake secrets; accounts are registered as
//                     sanctioned inventory and scanned directly (discovery's per-run budget would
//                     otherwise cap how many are found — by design)
// Prints images/minute and peak RSS per world, as a Markdown table for docs/jobs.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ALL_JOBS } from "@/jobs/definitions";
import { EVENTS } from "@/jobs/definitions/events";
import { enqueueEvents } from "@/jobs/providers/embedded";
import { openDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { startHubSim } from "@/lib/hubsim/server";
import { loadWorldFile, parseWorld, type World } from "@/lib/hubsim/world";
import { createOrgWithIdentity, pipelineDeps, pipelineRunner, type WorldIdentity } from "../helpers/jobs-pipeline";

interface Result {
  world: string;
  accounts: number;
  images: number;
  findings: number;
  seconds: number;
  imagesPerMinute: number;
  peakRssMiB: number;
  peakHeapMiB: number;
}

function generatedWorld(n: number): World {
  const rnd = (len: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") =>
    Array.from(randomBytes(len), (b) => alphabet[b % alphabet.length]).join("");
  const accounts = [];
  const repositories = [];
  const images = [];
  for (let i = 0; i < n; i++) {
    const ns = `bench-${String(i).padStart(5, "0")}`;
    accounts.push({ namespace: ns, type: "user" as const, full_name: `Bench ${i}`, company: "Bench Co" });
    const files = [
      { path: "app/server.js", content: `console.log("service ${i}");\n`.repeat(20) },
      { path: "app/package.json", content: JSON.stringify({ name: `svc-${i}`, version: "1.0.0" }) },
    ];
    const env = ["NODE_ENV=production"];
    if (i % 3 === 0) {
      // invented values with real shapes; none is a real credential
      files.push({ path: "app/.env", content: `STRIPE_SECRET_KEY=sk_live_${rnd(40)}\nDB_PASSWORD=${rnd(24)}\n` });
      env.push(`API_TOKEN=sk_live_${rnd(40)}`);
    }
    const id = `${ns}/svc:latest`;
    images.push({
      id,
      platforms: [
        {
          os: "linux",
          architecture: "amd64",
          config: { Env: env, Labels: {}, history: [] },
          layers: [{ compression: "gzip" as const, files: [{ path: "etc/os-release", content: 'ID=alpine\nVERSION_ID="3.20"\n' }] }, { compression: "gzip" as const, files }],
        },
      ],
    });
    repositories.push({ namespace: ns, name: "svc", pull_count: 10 + i, tags: [{ name: "latest", image: id, pushed: "2026-10-01T00:00:00Z" }] });
  }
  return parseWorld({ version: 1, name: `generated-${n}`, seed: 42, pullLimit: 1_000_000, apiLimit: 1_000_000, accounts, repositories, images, faults: [] }, "generated");
}

async function bench(name: string, world: World, mode: "discovery" | "direct"): Promise<Result> {
  const sim = await startHubSim({ world, pullLimit: 1_000_000, apiLimit: 1_000_000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-bench-"));
  const h = await openDb({ dataDir: dir });
  await applyMigrations(h);
  const db = h.prisma;
  const deps = pipelineDeps(db, sim);
  const runner = pipelineRunner(db, deps, { pollMs: 50 });
  const identity = (world as unknown as { identity?: WorldIdentity }).identity ?? { name: name, knownNames: [name] };
  const orgId = await createOrgWithIdentity(db, `bench-${name}`.slice(0, 40), identity);
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 100);
  const started = Date.now();
  if (mode === "discovery") {
    await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.discoveryRequested, data: { orgId } }]);
  } else {
    await db.hubAccount.createMany({ data: world.accounts.map((a) => ({ orgId, namespace: a.namespace, status: "sanctioned" as const, confidence: 1 })) });
    const accounts = await db.hubAccount.findMany({ where: { orgId }, select: { id: true } });
    await enqueueEvents(db, ALL_JOBS, accounts.map((a) => ({ name: EVENTS.accountScanRequested, data: { orgId, accountId: a.id, reason: "manual" } })));
  }
  await runner.drain(3_600_000);
  const seconds = (Date.now() - started) / 1000;
  clearInterval(timer);
  sample();
  const images = await db.hubImage.count({ where: { orgId, scanState: "scanned" } });
  const failed = await db.jobRun.count({ where: { status: "failed" } });
  const result: Result = {
    world: name,
    accounts: await db.hubAccount.count({ where: { orgId, status: { in: ["likely", "confirmed", "sanctioned"] } } }),
    images,
    findings: await db.finding.count({ where: { orgId } }),
    seconds: Math.round(seconds * 10) / 10,
    imagesPerMinute: Math.round((images / seconds) * 60 * 10) / 10,
    peakRssMiB: Math.round(peakRss / 1048576),
    peakHeapMiB: Math.round(peakHeap / 1048576),
  };
  if (failed) console.warn(`  ! ${failed} failed run(s) in ${name}`);
  await runner.stop();
  await h.close();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

async function main() {
  const worlds = (process.env.BENCH_WORLDS ?? "demo,generated").split(",");
  const n = Number(process.env.BENCH_ACCOUNTS ?? 1000);
  const results: Result[] = [];
  if (worlds.includes("demo")) {
    results.push(await bench("acme-rockets (demo)", await loadWorldFile(path.resolve("lib/hubsim/worlds/acme-rockets.json")), "discovery"));
    console.log(JSON.stringify(results.at(-1)));
  }
  if (worlds.includes("generated")) {
    results.push(await bench(`generated ${n} accounts`, generatedWorld(n), "direct"));
    console.log(JSON.stringify(results.at(-1)));
  }
  console.log(`\nmachine: ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, node ${process.version}, embedded runner maxParallel 4, PGlite\n`);
  console.log("| world | accounts scanned | images scanned | findings | wall time (s) | images/min | peak RSS (MiB) | peak heap (MiB) |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of results) console.log(`| ${r.world} | ${r.accounts} | ${r.images} | ${r.findings} | ${r.seconds} | ${r.imagesPerMinute} | ${r.peakRssMiB} | ${r.peakHeapMiB} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
