// `npm start`: validates configuration, applies migrations, builds the app when the build is
// missing or older than the sources, then serves it (embedded database unless DATABASE_URL is set).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const fail = (m) => {
  console.error(`\n✖ stowaway: ${m}`);
  process.exit(1);
};

if (!fs.existsSync("node_modules/.bin/next")) fail("dependencies are not installed: run `npm install` first.");
if (!fs.existsSync("lib/db/generated/client.ts")) {
  if (spawnSync("node", ["scripts/prisma-generate.mjs"], { stdio: "inherit", env }).status !== 0) fail("prisma generate failed.");
}

// Configuration is validated (and migrations applied) by the CLI so errors read as messages.
const mig = spawnSync("node", ["bin/stowaway.mjs", "db-migrate"], { stdio: "inherit", env });
if (mig.status !== 0) fail("could not prepare the database (see the message above).");

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) {
    if (e === "node_modules" || e === "generated" || e.startsWith(".")) continue;
    max = Math.max(max, newestMtime(path.join(p, e)));
  }
  return max;
}
const sources = ["app", "lib", "jobs", "public", "next.config.ts", "package.json", "instrumentation.ts", "prisma/schema.prisma"];
const built = fs.existsSync(".next/BUILD_ID") ? fs.statSync(".next/BUILD_ID").mtimeMs : 0;
if (!built || sources.some((s) => newestMtime(s) > built)) {
  console.log("▶ building the app (first start, or sources changed) …");
  if (spawnSync("npx", ["next", "build"], { stdio: "inherit", env }).status !== 0) fail("the build failed (see above).");
}

const port = env.PORT || "3000";
const child = spawn("npx", ["next", "start", "-p", port, "-H", env.HOST || "0.0.0.0"], { stdio: ["inherit", "pipe", "inherit"], env });
let announced = false;
child.stdout.on("data", (d) => {
  process.stdout.write(d);
  if (!announced && /ready|started|Local:/i.test(String(d))) {
    announced = true;
    console.log(`\n  Stowaway is running at http://localhost:${port}\n  (${env.DATABASE_URL ? "PostgreSQL" : `embedded database in ${env.STOWAWAY_DATA_DIR || "./.data"}`})\n`);
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
