// `stowaway discover --identity identity.json [--hub-api-url URL] [--registry-url URL]
//   [--search-url URL] [--domain-audit audit.csv] [--format json|table]`
// One-shot discovery without a database: prints candidates with confidence, status and evidence.
// Exit 0 when the run completed (even with some failed Hub calls, listed in the output), 2 on bad
// input or when the Hub could not be reached at all.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { isAppError } from "../../errors";
import { parseDomainAudit, formatAuditIssues } from "../../discovery/domain-audit";
import { formatIdentityErrors, parseIdentityJson } from "../../discovery/identity-input";
import { runDiscovery, type DiscoveryResult } from "../../discovery/run";
import { createHubClients } from "../../discovery/hub-clients";
import { createLightScanner } from "../../discovery/light-scan";
import type { Budget, Candidate, DomainAuditRow } from "../../discovery/types";

const USAGE = `usage: stowaway discover --identity FILE [options]

Finds Docker Hub accounts that belong to the identity (domains, email patterns, known names,
sanctioned namespaces, exclusions, cloud account ids; see docs/discovery.md) and prints each
candidate with its confidence, status and evidence. Needs no database.

options:
  --identity FILE        identity.json (required)
  --domain-audit FILE    Docker Business domain-audit CSV export (strongest evidence)
  --hub-api-url URL      Hub API base (default $STOWAWAY_HUB_API_URL or https://hub.docker.com)
  --registry-url URL     registry base (default $STOWAWAY_REGISTRY_URL or https://registry-1.docker.io)
  --search-url URL       v1 search base (default $STOWAWAY_SEARCH_URL or https://index.docker.io)
  --no-images            do not read image configs or files (no registry pulls)
  --no-files             read image configs but not the top layers' files
  --namespaces NS,NS     extra namespaces to examine (e.g. employees' Docker IDs)
  --dismissed NS,NS      namespaces an analyst dismissed before (negative evidence)
  --max-searches N       search budget per run
  --max-profiles N       profile look-up budget per run
  --max-images N         image-config budget per run (each costs a registry pull)
  --likely X             likely threshold (default 0.8)
  --review X             review threshold (default 0.5)
  --min-confidence X     only print candidates at or above X (sanctioned are always printed)
  --format json|table    output format (default json)
`;

function fail(msg: string): number {
  process.stderr.write(`stowaway discover: ${msg}\n`);
  return 2;
}

function num(v: string | undefined, name: string, min: number, max: number): number | undefined | Error {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) return new Error(`--${name} must be a number between ${min} and ${max}`);
  return n;
}

function url(v: string | undefined, name: string): string | undefined | Error {
  if (v === undefined || v === "") return undefined;
  try {
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return v.replace(/\/+$/, "");
  } catch {
    return new Error(`--${name} must be an absolute http(s) URL`);
  }
}

export async function run(argv: string[]): Promise<number> {
  let a: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      options: {
        identity: { type: "string" },
        "domain-audit": { type: "string" },
        "hub-api-url": { type: "string" },
        "registry-url": { type: "string" },
        "search-url": { type: "string" },
        "no-images": { type: "boolean", default: false },
        "no-files": { type: "boolean", default: false },
        namespaces: { type: "string" },
        dismissed: { type: "string" },
        "max-searches": { type: "string" },
        "max-profiles": { type: "string" },
        "max-images": { type: "string" },
        likely: { type: "string" },
        review: { type: "string" },
        "min-confidence": { type: "string" },
        format: { type: "string", default: "json" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  }
  try {
    a = parse();
  } catch (e) {
    return fail(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  const o = a.values;
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!o.identity) return fail(`--identity is required\n\n${USAGE}`);
  if (o.format !== "json" && o.format !== "table") return fail(`--format must be json or table`);

  const numbers = {
    maxSearches: num(o["max-searches"], "max-searches", 0, 500),
    maxProfiles: num(o["max-profiles"], "max-profiles", 0, 5000),
    maxImageConfigs: num(o["max-images"], "max-images", 0, 5000),
    likely: num(o.likely, "likely", 0, 1),
    review: num(o.review, "review", 0, 1),
    min: num(o["min-confidence"], "min-confidence", 0, 1),
  };
  for (const v of Object.values(numbers)) if (v instanceof Error) return fail(v.message);
  const urls = {
    hubApiUrl: url(o["hub-api-url"] ?? process.env.STOWAWAY_HUB_API_URL, "hub-api-url"),
    registryUrl: url(o["registry-url"] ?? process.env.STOWAWAY_REGISTRY_URL, "registry-url"),
    searchUrl: url(o["search-url"] ?? process.env.STOWAWAY_SEARCH_URL, "search-url"),
  };
  for (const v of Object.values(urls)) if (v instanceof Error) return fail(v.message);

  let identityText: string;
  try {
    identityText = fs.readFileSync(o.identity, "utf8");
  } catch (e) {
    return fail(`cannot read ${o.identity}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let identity;
  try {
    identity = parseIdentityJson(identityText);
  } catch (e) {
    if (isAppError(e)) return fail(`${o.identity}: ${formatIdentityErrors(e)}`);
    throw e;
  }

  let domainAudit: DomainAuditRow[] | undefined;
  if (o["domain-audit"]) {
    let csv: string;
    try {
      csv = fs.readFileSync(o["domain-audit"], "utf8");
    } catch (e) {
      return fail(`cannot read ${o["domain-audit"]}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const parsed = parseDomainAudit(csv);
    for (const line of formatAuditIssues(parsed.issues)) process.stderr.write(`${o["domain-audit"]}: ${line}\n`);
    if (parsed.rows.length === 0 && parsed.issues.some((i) => i.level === "error")) return fail(`${o["domain-audit"]}: no usable rows`);
    domainAudit = parsed.rows;
  }

  const likely = numbers.likely as number | undefined;
  const review = numbers.review as number | undefined;
  if (likely !== undefined && review !== undefined && review > likely) return fail("--review must not be above --likely");
  const budget: Partial<Budget> = {};
  if (numbers.maxSearches !== undefined) budget.maxSearches = numbers.maxSearches as number;
  if (numbers.maxProfiles !== undefined) budget.maxProfiles = numbers.maxProfiles as number;
  if (numbers.maxImageConfigs !== undefined) budget.maxImageConfigs = numbers.maxImageConfigs as number;

  const { hub, registry } = createHubClients({
    hubApiUrl: urls.hubApiUrl as string | undefined,
    registryUrl: urls.registryUrl as string | undefined,
    searchUrl: urls.searchUrl as string | undefined,
    username: process.env.STOWAWAY_HUB_USERNAME,
    token: process.env.STOWAWAY_HUB_TOKEN,
  });
  const tty = process.stderr.isTTY;
  const result = await runDiscovery({
    identity,
    hub,
    ...(o["no-images"] ? {} : { registry }),
    ...(o["no-images"] || o["no-files"] ? {} : { scan: createLightScanner(registry) }),
    seedNamespaces: (o.namespaces ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    budget,
    thresholds: { ...(likely !== undefined ? { likely } : {}), ...(review !== undefined ? { review } : {}) },
    priorDismissed: (o.dismissed ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    ...(domainAudit ? { domainAudit } : {}),
    ...(tty ? { onProgress: (p) => process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   ${p.phase === "done" ? "\n" : ""}`) } : {}),
  });
  for (const w of result.warnings) process.stderr.write(`warning: ${w.message}\n`);
  for (const e of result.errors) process.stderr.write(`error: ${e.step} ${e.target}: ${e.message}\n`);
  if (result.stats.searches > 0 && result.errors.filter((e) => e.step === "search").length === result.stats.searches && result.candidates.length === 0) {
    return fail("every search failed; is the Hub API URL right?");
  }
  const min = numbers.min as number | undefined;
  const shown = min === undefined ? result.candidates : result.candidates.filter((c) => c.status === "sanctioned" || c.confidence >= min);
  process.stdout.write(o.format === "json" ? `${JSON.stringify(toJson(result, shown), null, 2)}\n` : table(shown));
  return 0;
}

function toJson(r: DiscoveryResult, shown: Candidate[]) {
  return {
    candidates: shown,
    summary: {
      likely: r.candidates.filter((c) => c.status === "likely").length,
      review: r.candidates.filter((c) => c.status === "review").length,
      candidate: r.candidates.filter((c) => c.status === "candidate").length,
      sanctioned: r.candidates.filter((c) => c.status === "sanctioned").length,
    },
    warnings: r.warnings,
    stats: r.stats,
    errors: r.errors,
  };
}

function table(cands: Candidate[]): string {
  const lines: string[] = [];
  const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  lines.push(`${pad("NAMESPACE", 26)} ${pad("STATUS", 10)} CONF  EVIDENCE`);
  for (const c of cands) {
    const ev = c.evidence.filter((e) => (e.contribution ?? 0) !== 0);
    const first = ev[0];
    lines.push(`${pad(c.namespace, 26)} ${pad(c.status, 10)} ${c.confidence.toFixed(2)}  ${first ? line(first) : "-"}`);
    for (const e of ev.slice(1)) lines.push(`${" ".repeat(43)}${line(e)}`);
  }
  return `${lines.join("\n")}\n`;
}

function line(e: Candidate["evidence"][number]): string {
  const c = e.contribution ?? 0;
  return `${c >= 0 ? "+" : "−"}${Math.abs(c).toFixed(2)} ${e.type}: ${e.detail}`;
}
