// `stowaway` command-line entry. Each sub-command lives in ./commands/<name>.ts and exports
// `run(argv): Promise<number>` (the exit code). Errors print a message on stderr, never a stack.

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  "hub-sim": { summary: "serve a simulated Docker Hub from a world file", load: () => import("./commands/hub-sim") },
  "scan-image": { summary: "scan one image for secrets", load: () => import("./commands/scan-image") },
  discover: { summary: "find Docker Hub accounts that belong to an identity", load: () => import("./commands/discover") },
  "db-migrate": { summary: "apply database migrations", load: () => import("./commands/db-migrate") },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(12)} ${v.summary}`);
  return `usage: stowaway <command> [options]\n\ncommands:\n${rows.join("\n")}\n\nRun \`stowaway <command> --help\` for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(usage());
    return cmd ? 0 : 2;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    process.stderr.write(`stowaway: unknown command "${cmd}"\n\n${usage()}`);
    return 2;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`stowaway ${cmd}: ${msg}\n`);
    if (process.env.STOWAWAY_DEBUG) console.error(e);
    return 2;
  }
}
