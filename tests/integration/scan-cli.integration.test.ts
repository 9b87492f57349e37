// scan-image end to end: the real registry client against the Docker Hub simulator over HTTP on
// 127.0.0.1, the real detectors, and the CLI as a child process.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryReader } from "@/lib/hub";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { parseWorld, type WorldInput } from "@/lib/hubsim/world";
import { scanImage } from "@/lib/scan";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const ROOT = path.resolve(__dirname, "../..");

// invented values of the right shape
const PG_PASS = "Xk9vQ2mPzR7tLw4N";
const STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dcXq";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8kLm3nVa";
const JAR_PASS = "Jq7rT2vL9mWx4KpZ";

function world(): WorldInput {
  return {
    name: "scan-cli-test",
    pullLimit: 1000,
    accounts: [{ namespace: "acme", type: "organization" }],
    repositories: [
      {
        namespace: "acme",
        name: "app",
        tags: [
          { name: "1.0", image: "multi" },
          { name: "broken", image: "broken" },
        ],
      },
    ],
    images: [
      {
        id: "multi",
        platforms: ["amd64", "arm64"].map((architecture) => ({
          os: "linux",
          architecture,
          config: { Env: ["PATH=/usr/bin", `STRIPE_KEY=${STRIPE}`], Labels: {}, history: [] },
          layers: [
            {
              compression: "gzip" as const,
              files: [
                { path: "app/.env", content: `DATABASE_URL=postgres://app:${PG_PASS}@db.acme.internal:5432/app\n` },
                {
                  path: "app/lib/legacy.jar",
                  archive: { format: "zip" as const, files: [{ path: "config/app.properties", content: `jdbc.url=postgres://svc:${JAR_PASS}@db2.acme.internal/x\n` }] },
                },
              ],
            },
            {
              compression: "zstd" as const,
              files: [{ path: "root/.aws/credentials", content: `[default]\naws_access_key_id = AKIAZ7Q3VXW2KL4NM5PR\naws_secret_access_key = ${AWS_SECRET}\n` }],
            },
            { compression: "none" as const, delete: ["app/.env", "root/.aws"] },
          ],
        })),
      },
      {
        id: "broken",
        platforms: [
          {
            os: "linux",
            architecture: "amd64",
            config: { Env: [], Labels: {}, history: [] },
            layers: [
              { compression: "gzip" as const, files: [{ path: "a/.env", content: `DATABASE_URL=postgres://a:${PG_PASS}@h/x\n` }] },
              { compression: "gzip" as const, files: [{ path: "b/settings.env", content: `STRIPE_KEY=${STRIPE}\n` }] },
            ],
          },
        ],
      },
    ],
  };
}

let sim: HubSim;

beforeAll(async () => {
  sim = await startHubSim({ world: parseWorld(world()) });
});
afterAll(async () => {
  await sim?.close();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, "bin/stowaway.mjs"), "scan-image", ...args], { cwd: ROOT, env: { ...process.env, STOWAWAY_REGISTRY_URL: "" } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("scanImage against the simulator", () => {
  it("finds config, file, nested-jar and zstd-layer secrets on both platforms, marking whiteouts", async () => {
    const registry = createRegistryReader({ registryUrl: sim.registryUrl });
    const r = await scanImage("acme/app:1.0", { registry });
    expect(r.errors).toEqual([]);
    expect(r.platforms).toEqual(["linux/amd64", "linux/arm64"]);
    const fp = (s: string) => r.findings.find((f) => f.fingerprint === sha(s));
    const pg = fp(PG_PASS)!;
    expect(pg.locations.map((l) => [l.path, l.platform, l.deleted])).toEqual([
      ["/app/.env", "linux/amd64", true],
      ["/app/.env", "linux/arm64", true],
    ]);
    expect(pg.deleted).toBe(true);
    const aws = fp(AWS_SECRET)!;
    expect(aws.deleted).toBe(true);
    expect(aws.locations).toHaveLength(2);
    const jar = fp(JAR_PASS)!;
    expect(jar.path).toBe("/app/lib/legacy.jar!/config/app.properties");
    expect(jar.deleted).toBe(false);
    const stripe = fp(STRIPE)!;
    expect(stripe.source).toBe("env");
    expect(stripe.locations).toHaveLength(2);
    expect(JSON.stringify(r)).not.toContain(PG_PASS);
    expect(JSON.stringify(r)).not.toContain(STRIPE);
  });

  it("records a layer whose blob fails its digest and still scans the rest", async () => {
    // learn the first layer's digest, then serve that blob with a flipped byte
    const clean = await createRegistryReader({ registryUrl: sim.registryUrl }).resolveImage("acme/app", "broken");
    const bad = clean.platforms[0]!.layers[0]!.digest.replace("sha256:", "");
    const faulty = await startHubSim({
      world: parseWorld(world()),
      faults: [{ kind: "wrong-digest", match: { host: "blob", path: bad, method: "ANY" } }],
    });
    try {
      const registry = createRegistryReader({ registryUrl: faulty.registryUrl });
      const r = await scanImage("acme/app:broken", { registry });
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.message).toMatch(/digest/i);
      expect(r.findings.some((f) => f.fingerprint === sha(STRIPE))).toBe(true);
    } finally {
      await faulty.close();
    }
  });
});

describe("stowaway scan-image CLI", () => {
  it("prints the JSON contract and exits 0", async () => {
    const { code, stdout } = await cli(["acme/app:1.0", "--registry-url", sim.registryUrl, "--platform", "linux/arm64"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(["image", "digest", "platforms", "findings", "stats", "errors"]);
    expect(out.image).toBe("acme/app:1.0");
    expect(out.platforms).toEqual(["linux/arm64"]);
    expect(Object.keys(out.stats)).toEqual(["layers", "filesScanned", "bytesScanned", "durationMs"]);
    const f = out.findings.find((x: { fingerprint: string }) => x.fingerprint === sha(PG_PASS));
    expect(Object.keys(f)).toEqual(["detector", "severity", "source", "path", "line", "layerDigest", "platform", "deleted", "fingerprint", "masked", "locations"]);
    expect(f.platform).toBe("linux/arm64");
    expect(f.layerDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(stdout).not.toContain(PG_PASS);
  });

  it("prints SARIF 2.1.0 and a table", async () => {
    const sarif = await cli(["acme/app:1.0", "--registry-url", sim.registryUrl, "--format", "sarif"]);
    expect(sarif.code).toBe(0);
    const s = JSON.parse(sarif.stdout);
    expect(s.version).toBe("2.1.0");
    expect(s.runs[0].results.length).toBeGreaterThan(0);
    expect(s.runs[0].results.every((x: { ruleId: string; ruleIndex: number }) => s.runs[0].tool.driver.rules[x.ruleIndex].id === x.ruleId)).toBe(true);
    const table = await cli(["acme/app:1.0", "--registry-url", sim.registryUrl, "--format", "table"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SEVERITY\s+DETECTOR/);
    expect(table.stdout).toContain("deleted");
    expect(table.stdout).not.toContain(STRIPE);
  });

  it("exits 2 with a message (no stack) when the image cannot be scanned", async () => {
    const missing = await cli(["acme/nope:1.0", "--registry-url", sim.registryUrl]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^stowaway scan-image: /);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const bad = await cli(["Not A Ref", "--registry-url", sim.registryUrl]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid image reference/);
    const fmt = await cli(["acme/app:1.0", "--format", "xml"]);
    expect(fmt.code).toBe(2);
  });
});
