// Child process for the crash test: opens the database, runs the embedded runner against the
// simulator. "run" works until killed (kill -9 from the parent); "drain" finishes everything
// left and exits 0. Config comes as one JSON argument.
import { openDb } from "@/lib/db/client";
import { pipelineDeps, pipelineRunner, type SimUrls } from "./jobs-pipeline";

interface ChildConfig {
  mode: "run" | "drain";
  databaseUrl?: string;
  dataDir: string;
  sim: SimUrls;
  leaseMs: number;
}

async function main() {
  const cfg = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
  const h = await openDb({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  const runner = pipelineRunner(h.prisma, pipelineDeps(h.prisma, cfg.sim), { leaseMs: cfg.leaseMs, workerId: `child-${process.pid}` });
  if (cfg.mode === "run") {
    runner.start();
    process.stdout.write("started\n");
    await new Promise(() => {}); // until killed
  }
  await runner.drain(600_000);
  await runner.stop();
  await h.close();
  process.stdout.write("drained\n");
}

main().catch((e) => {
  process.stderr.write(`child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
