// `npm run demo`: the whole product on one machine, against a simulated Docker Hub.
//   1. serves the demo world (lib/hubsim/worlds/acme-rockets.json) on 127.0.0.1
//   2. creates a fresh embedded database in ./.data-demo (--keep reuses it)
//   3. creates the demo user and the "Acme Rockets" organisation with the world's identity,
//      and queues discovery
//   4. starts the app (scripts/start.mjs: builds if needed) pointed at the simulator; its job
//      runner discovers accounts and scans their images — accounts, findings and risk come from
//      real scans of the simulated Hub, not from seeded rows.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const portArg = args.find((a) => a.startsWith("--port="));
const port = portArg ? portArg.slice("--port=".length) : process.env.PORT || "3000";
const dataDir = path.resolve(process.env.STOWAWAY_DEMO_DATA_DIR || ".data-demo");
const fail = (m) => {
  console.error(`\n✖ demo: ${m}`);
  cleanup();
  process.exit(1);
};

if (!fs.existsSync("node_modules/.bin/next")) fail("dependencies are not installed: run `npm install` first.");
if (!fs.existsSync("lib/db/generated/client.ts")) {
  if (spawnSync("node", ["scripts/prisma-generate.mjs"], { stdio: "inherit" }).status !== 0) fail("prisma generate failed.");
}

const children = [];
function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => (cleanup(), process.exit(0)));

function firstJsonLine(child, what) {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.on("line", (line) => {
      if (line.startsWith("{")) {
        rl.close();
        try {
          resolve(JSON.parse(line));
        } catch (e) {
          reject(e);
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

// 1. simulator
console.log("▶ starting the simulated Docker Hub (demo world: Acme Rockets) …");
const sim = spawn(process.execPath, ["--import", "tsx", "jobs/demo/sim.ts"], { stdio: ["ignore", "pipe", "inherit"] });
children.push(sim);
const simInfo = await firstJsonLine(sim, "the simulator").catch((e) => fail(e.message));

// 2. fresh embedded database
if (!keep && fs.existsSync(dataDir)) fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  PORT: port,
  STOWAWAY_DATA_DIR: dataDir,
  STOWAWAY_HUB_API_URL: simInfo.hubApiUrl,
  STOWAWAY_REGISTRY_URL: simInfo.registryUrl,
  STOWAWAY_SEARCH_URL: simInfo.searchUrl,
  // liveness checks go to the simulator's provider emulator, never to the real providers
  ...(simInfo.verifierBaseUrls ? { STOWAWAY_VERIFIER_BASE_URLS: JSON.stringify(simInfo.verifierBaseUrls) } : { STOWAWAY_LIVENESS_DISABLED: "1" }),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
};
delete env.DATABASE_URL;
delete env.INNGEST_EVENT_KEY;
delete env.INNGEST_SIGNING_KEY;
delete env.STOWAWAY_JOBS_DISABLED;
delete env.STOWAWAY_HUB_USERNAME;
delete env.STOWAWAY_HUB_TOKEN;

// 3. demo user, organisation, identity, discovery request
console.log(`▶ preparing a fresh embedded database in ${path.relative(root, dataDir) || dataDir} …`);
const seed = spawn(process.execPath, ["--import", "tsx", "jobs/demo/seed.ts", JSON.stringify(simInfo.identity ?? {})], { stdio: ["ignore", "pipe", "inherit"], env });
children.push(seed);
const creds = await firstJsonLine(seed, "the demo seed").catch((e) => fail(e.message));
await new Promise((r) => (seed.exitCode !== null ? r() : seed.on("exit", r)));

// 4. the app (its job runner picks up the queued discovery)
console.log("▶ starting Stowaway (the first start builds the app; that takes a few minutes) …");
const app = spawn(process.execPath, ["scripts/start.mjs"], { stdio: ["inherit", "pipe", "inherit"], env });
children.push(app);
let announced = false;
app.stdout.on("data", (d) => {
  process.stdout.write(d);
  if (!announced && /Stowaway is running/.test(String(d))) {
    announced = true;
    const base = `http://localhost:${port}`;
    console.log(
      [
        "",
        "  ┌─ Stowaway demo ─────────────────────────────────────────────",
        `  │ App:        ${base}`,
        `  │ Sign in:    ${creds.email}`,
        `  │ Password:   ${creds.password}`,
        `  │ Jobs:       ${base}/orgs/${creds.orgSlug}/jobs   (discovery and scans in progress)`,
        `  │ Accounts:   ${base}/orgs/${creds.orgSlug}/accounts`,
        `  │ Simulator:  ${simInfo.hubApiUrl} (Hub API), ${simInfo.registryUrl} (registry)`,
        "  │ Accounts, findings and risk appear within a few minutes, from real scans",
        "  │ of the simulated Docker Hub. Ctrl-C stops everything.",
        "  └─────────────────────────────────────────────────────────────",
        "",
      ].join("\n"),
    );
  }
});
app.on("exit", (code) => {
  cleanup();
  process.exit(code ?? 0);
});
sim.on("exit", (code) => {
  if (app.exitCode === null) fail(`the simulator stopped (${code})`);
});
