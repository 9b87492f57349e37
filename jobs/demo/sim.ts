// `npm run demo` helper: serves the demo world on 127.0.0.1 and prints one JSON line with its
// URLs. The pull budget is raised so the demo finishes in minutes (the real Hub gives an
// anonymous client 100 pulls per 6 hours; the pipeline's throttle would wait for the window).
import path from "node:path";
import { startHubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";
import { startProviderEmulatorForWorld } from "@/lib/liveness/provider-emulator";

async function main() {
  const file = path.resolve(process.argv[2] ?? "lib/hubsim/worlds/acme-rockets.json");
  const world = await loadWorldFile(file);
  const sim = await startHubSim({ world, pullLimit: Number(process.env.DEMO_PULL_LIMIT ?? 5000), apiLimit: 5000 });
  // the providers' identity endpoints for the planted secrets (liveness checks; docs/liveness.md)
  const providers = await startProviderEmulatorForWorld(world);
  process.stdout.write(
    `${JSON.stringify({ hubApiUrl: sim.hubApiUrl, registryUrl: sim.registryUrl, searchUrl: sim.searchUrl, verifierBaseUrls: providers.baseUrls, identity: (world as { identity?: unknown }).identity ?? null })}\n`,
  );
  const stop = () => void Promise.all([sim.close(), providers.close()]).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`hub simulator failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
