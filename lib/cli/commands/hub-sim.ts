// `stowaway hub-sim --world FILE [--port N] [--host H] [--blob-port N] [--relative-next]`:
// serve a simulated Docker Hub until killed, printing the URLs and env vars to point Stowaway at it.
import { startHubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";

const HELP = `usage: stowaway hub-sim --world FILE [--port N] [--host 127.0.0.1] [--blob-port N] [--relative-next]

Serves the Docker Hub API, v1 search, the token service and a read-only registry v2 from a
world file (see docs/world-format.md). Blob downloads redirect to a second port (the "CDN").
Runs until interrupted.
`;

function parseArgs(argv: string[]): { world?: string; port: number; host: string; blobPort: number; relativeNext: boolean; help: boolean } {
  const out = { world: undefined as string | undefined, port: 5055, host: "127.0.0.1", blobPort: 0, relativeNext: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${flag} needs a value`);
      return v;
    };
    const port = (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`${flag} must be a port number 0-65535, got "${v}"`);
      return Number(v);
    };
    switch (flag) {
      case "--world":
        out.world = value();
        break;
      case "--port":
        out.port = port(value());
        break;
      case "--blob-port":
        out.blobPort = port(value());
        break;
      case "--host":
        out.host = value();
        break;
      case "--relative-next":
        out.relativeNext = true;
        break;
      case "--help":
      case "-h":
        out.help = true;
        break;
      default:
        throw new Error(`unknown option "${a}"\n\n${HELP}`);
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!args.world) {
    process.stderr.write(`stowaway hub-sim: --world FILE is required\n\n${HELP}`);
    return 2;
  }
  const world = await loadWorldFile(args.world);
  const sim = await startHubSim({ world, port: args.port, host: args.host, blobPort: args.blobPort, relativeNext: args.relativeNext });
  const images = world.images.length;
  process.stdout.write(
    [
      `hub-sim: world "${world.name}" — ${world.accounts.length} accounts, ${world.repositories.length} repositories, ${images} images`,
      `  Hub API      ${sim.hubApiUrl}   (/v2/namespaces/…, /v2/users/…, /api/search/v4)`,
      `  v1 search    ${sim.searchUrl}/v1/search?q=…`,
      `  token        ${sim.authUrl}`,
      `  registry v2  ${sim.registryUrl}/v2/`,
      `  blob origin  ${sim.blobUrl}   (blob GETs redirect here; Authorization is rejected)`,
      "",
      "Point Stowaway at it:",
      `  export STOWAWAY_HUB_API_URL=${sim.hubApiUrl} STOWAWAY_REGISTRY_URL=${sim.registryUrl} STOWAWAY_SEARCH_URL=${sim.searchUrl}`,
      "",
      "Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sim.close();
  return 0;
}
