// `stowaway discover` as a user runs it: a child process against the simulator over HTTP.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile } from "@/lib/hubsim/world";

const BIN = path.resolve("bin/stowaway.mjs");
const EXAMPLE = path.resolve("lib/discovery/examples/identity.acme-rockets.json");
let sim: HubSim;
let dir: string;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    for (const k of ["STOWAWAY_HUB_API_URL", "STOWAWAY_REGISTRY_URL", "STOWAWAY_SEARCH_URL", "STOWAWAY_HUB_USERNAME", "STOWAWAY_HUB_TOKEN"]) delete env[k];
    const p = spawn(process.execPath, [BIN, "discover", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const urls = () => ["--hub-api-url", sim.hubApiUrl, "--registry-url", sim.registryUrl, "--search-url", sim.searchUrl];

beforeAll(async () => {
  sim = await startHubSim({ world: await loadWorldFile("lib/hubsim/worlds/acme-rockets.json") });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-discover-cli-"));
});
afterAll(async () => {
  await sim?.close();
});

describe("stowaway discover", () => {
  it("prints candidates with confidence, status and evidence as JSON", async () => {
    const r = await run(["--identity", EXAMPLE, ...urls(), "--format", "json"]);
    expect(r.stderr).toMatch(/"app" is a common word/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      candidates: Array<{ namespace: string; status: string; confidence: number; evidence: Array<{ type: string; value: string; source: string; detail: string; contribution: number }> }>;
      summary: Record<string, number>;
      errors: unknown[];
    };
    expect(out.errors).toEqual([]);
    const byNs = new Map(out.candidates.map((c) => [c.namespace, c]));
    expect(byNs.get("acmerockets")?.status).toBe("sanctioned");
    const launch = byNs.get("launchpad-team")!;
    expect(launch.status).toBe("likely");
    expect(launch.evidence[0]).toMatchObject({ type: "content_email", value: "launchpad@acme-rockets.com", source: "image launchpad-team/scheduler:latest label maintainer" });
    expect(byNs.get("acme-anvils")!.confidence).toBeLessThan(0.5);
    expect(out.summary.likely).toBeGreaterThan(0);
    // the output never carries secret values: a planted AWS key id from the world is absent
    expect(r.stdout).not.toMatch(/AKIA[A-Z2-7]{16}/);
  });

  it("table format, threshold filter, domain audit and dismissals", async () => {
    const audit = path.join(dir, "audit.csv");
    fs.writeFileSync(audit, 'Username,Name,Email,Date joined\nrocketeer42,"R, K",r.k@acme-rockets.com,2022-01-01\nbad user!,x,y@acme-rockets.com,\n');
    const r = await run(["--identity", EXAMPLE, ...urls(), "--no-files", "--domain-audit", audit, "--dismissed", "kleinr", "--min-confidence", "0.5", "--format", "table"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/error row 3, username: "bad user!" is not a Docker Hub username/);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^NAMESPACE\s+STATUS\s+CONF\s+EVIDENCE/);
    expect(r.stdout).toMatch(/rocketeer42\s+likely\s+0\.99\s+\+0\.99 domain_audit: Docker's domain audit lists rocketeer42/);
    expect(r.stdout).not.toMatch(/^acme-anvils /m);
    // kleinr was dismissed before: below the filter now
    expect(r.stdout).not.toMatch(/^kleinr /m);
  });

  it("rejects bad identity input with clear errors and exit code 2", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ domains: ["acme..com"], emailPatterns: ["*@*"], knownNames: [""], cloudAccountIds: ["123"] }));
    const r = await run(["--identity", bad, ...urls()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("The identity is invalid:");
    expect(r.stderr).toMatch(/domains\.0: Domain labels may contain only letters/);
    expect(r.stderr).toMatch(/emailPatterns\.0: email pattern "\*@\*" .*would match every email/);
    expect(r.stderr).toMatch(/knownNames\.0\.name: name is empty/);
    expect(r.stderr).toMatch(/cloudAccountIds\.0\.id: .*12 digits/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace

    const notJson = path.join(dir, "x.json");
    fs.writeFileSync(notJson, "{nope");
    expect((await run(["--identity", notJson])).stderr).toMatch(/not valid JSON/);
    const missing = await run([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--identity is required/);
    const badUrl = await run(["--identity", EXAMPLE, "--hub-api-url", "ftp://x"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--hub-api-url must be an absolute http\(s\) URL/);
  });
});
