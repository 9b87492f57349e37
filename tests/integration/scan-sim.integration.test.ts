// The demo world end to end: every image that carries a planted secret is scanned through the
// real registry client against the simulator (HTTP on 127.0.0.1) with the real detectors.
// Every planted secret's sha256 must be a finding's fingerprint (with the planted deleted
// status), and no decoy's sha256 may ever appear.
import { createHash } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryReader } from "@/lib/hub";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile, type World } from "@/lib/hubsim/world";
import { scanImage } from "@/lib/scan";
import type { ImageScanResult } from "@/lib/scan/types";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const WORLD = path.resolve(__dirname, "../../lib/hubsim/worlds/acme-rockets.json");

let sim: HubSim;
let world: World;
const results = new Map<string, ImageScanResult>();

beforeAll(async () => {
  world = await loadWorldFile(WORLD);
  sim = await startHubSim({ world, pullLimit: 100_000 });
  const registry = createRegistryReader({ registryUrl: sim.registryUrl });
  const images = new Set<string>();
  for (const p of world.expected?.plantedSecrets ?? []) if (p.source !== "readme") images.add(p.image);
  for (const d of world.expected?.decoys ?? []) if (d.image && /:[^/]+$/.test(d.image)) images.add(d.image);
  for (const image of images) results.set(image, await scanImage(image, { registry }));
});

afterAll(async () => {
  await sim?.close();
});

describe("scan-image against the Acme Rockets world", () => {
  it("has planted secrets to look for", () => {
    expect((world.expected?.plantedSecrets ?? []).filter((p) => p.source !== "readme").length).toBeGreaterThan(20);
  });

  it("scans every image completely", () => {
    for (const [image, r] of results) expect({ image, errors: r.errors }).toEqual({ image, errors: [] });
  });

  it("finds every planted secret (not READMEs: those are not part of an image) with its deleted status", () => {
    const missing: string[] = [];
    for (const p of world.expected?.plantedSecrets ?? []) {
      if (p.source === "readme") continue;
      const r = results.get(p.image)!;
      const f = r.findings.find((x) => x.fingerprint === sha(p.value));
      if (!f) {
        missing.push(`${p.kind} in ${p.image} (${p.where})`);
        continue;
      }
      if (p.source) expect({ where: p.where, sources: f.locations.map((l) => l.source).includes(p.source) }).toEqual({ where: p.where, sources: true });
      if (p.source === "file") {
        const fileLocs = f.locations.filter((l) => l.source === "file");
        expect({ where: p.where, deleted: fileLocs.some((l) => l.deleted === p.deleted) }).toEqual({ where: p.where, deleted: true });
      }
      if (p.platform) expect(f.locations.some((l) => l.platform === p.platform)).toBe(true);
    }
    expect(missing).toEqual([]);
  });

  it("reports no decoy", () => {
    const decoys = new Map((world.expected?.decoys ?? []).map((d) => [sha(d.value), d.why]));
    const hits: string[] = [];
    for (const [image, r] of results) for (const f of r.findings) if (decoys.has(f.fingerprint)) hits.push(`${decoys.get(f.fingerprint)} in ${image} (${f.detector})`);
    expect(hits).toEqual([]);
  });

  it("keeps raw values out of every result", () => {
    const all = JSON.stringify([...results.values()]);
    for (const p of world.expected?.plantedSecrets ?? []) if (p.value.length >= 12) expect(all.includes(p.value)).toBe(false);
  });
});
