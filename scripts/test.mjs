// `npm test`: the whole suite — typecheck, unit, integration (PGlite, and PostgreSQL 15 when it can
// be started), browser. Starts what it needs; explains what is missing instead of a stack trace.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.CI ? "0" : process.env.FORCE_COLOR };
const log = (m) => console.log(`\n▶ ${m}`);
const fail = (m) => {
  console.error(`\n✖ npm test: ${m}`);
  process.exit(1);
};
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: "inherit", env, ...opts });

// A suite that hangs (a deadlocked worker never reaches its own timeouts) must fail, not eat the
// CI budget: run each suite in its own process group and kill the group past its limit.
function runSuite(args, minutes) {
  return new Promise((resolve) => {
    const child = spawn("npx", args, { stdio: "inherit", env, detached: true });
    const timer = setTimeout(() => {
      console.error(`\n✖ ${args.join(" ")} still running after ${minutes} minutes: stopping it`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, minutes * 60_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ status: signal ? 1 : (code ?? 1) });
    });
  });
}
const SUITE_MINUTES = { unit: 20, integration: 50, e2e: 25 };

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js >= 20.19 is required (this is ${process.versions.node}).`);
if (!fs.existsSync("node_modules/.bin/vitest")) fail("dependencies are not installed: run `npm install` first.");
if (!fs.existsSync("lib/db/generated/client.ts")) {
  log("generating the Prisma client");
  if (run("node", ["scripts/prisma-generate.mjs"]).status !== 0) fail("prisma generate failed (see above).");
}

// System packages (Chromium, docker-registry, skopeo, umoci, PostgreSQL).
log("checking system packages");
const prov = run("bash", ["scripts/provision.sh"]);
if (prov.status !== 0) {
  fail("some system packages are missing and could not be installed (see above). Install them, or run as root so npm test can.");
}

// PostgreSQL 15 for the second integration run.
if (!env.STOWAWAY_TEST_PG_URL) {
  const pg = spawnSync("bash", ["scripts/pg-test-db.sh"], { encoding: "utf8", env });
  if (pg.status === 0 && pg.stdout.trim()) {
    env.STOWAWAY_TEST_PG_URL = pg.stdout.trim();
    console.log(`PostgreSQL integration run: ${env.STOWAWAY_TEST_PG_URL.replace(/:[^:@/]+@/, ":***@")}`);
  } else {
    console.warn("⚠ PostgreSQL could not be started: integration tests run on embedded PGlite only.\n" + (pg.stderr ?? ""));
  }
}

fs.mkdirSync("test-results", { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

log("typecheck");
if (run("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]).status !== 0) failures.push("typecheck");

for (const project of ["unit", "integration", "e2e"]) {
  if (project === "integration") {
    // Build the app once, up front, so no test hook has to wait for `next build`.
    log("building the app for the HTTP and browser suites");
    const b = run("npx", ["tsx", "scripts/ensure-built.ts"]);
    if (b.status !== 0) {
      failures.push("build");
      break;
    }
    env.STOWAWAY_TEST_SKIP_BUILD = "1";
  }
  log(`${project} tests`);
  const out = `test-results/vitest-${project}.json`;
  fs.rmSync(out, { force: true });
  const r = await runSuite(["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${out}`], SUITE_MINUTES[project]);
  if (fs.existsSync(out)) {
    const j = JSON.parse(fs.readFileSync(out, "utf8"));
    totals.passed += j.numPassedTests ?? 0;
    totals.failed += j.numFailedTests ?? 0;
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    if ((j.numTotalTests ?? 0) === 0 && project !== "e2e") failures.push(`${project}: no tests ran`);
  }
  if (r.status !== 0) failures.push(project);
}

console.log(`\nSummary: typecheck ${failures.includes("typecheck") ? "FAILED" : "ok"}; suites failed: ${failures.filter((f) => f !== "typecheck").join(", ") || "none"}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
