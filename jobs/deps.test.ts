// The production path for liveness deps: master key from the data dir (created once, 0600) or
// STOWAWAY_ENCRYPTION_KEY, verifier base URLs from STOWAWAY_VERIFIER_BASE_URLS.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { startProviderEmulator } from "@/lib/liveness/provider-emulator";
import { fingerprintOf, open, seal } from "@/lib/liveness/seal";
import { livenessDepsFromEnv } from "./deps";

describe("livenessDepsFromEnv", () => {
  it("derives the sealing key from <dataDir>/encryption-key and calls the configured base URLs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stowaway-liveness-"));
    const emu = await startProviderEmulator({ live: ["npm_LiveTokenForDepsTest000000000000001"] });
    try {
      const env = parseEnv({ STOWAWAY_DATA_DIR: dir, STOWAWAY_VERIFIER_BASE_URLS: JSON.stringify({ npm: emu.url }) });
      const a = await livenessDepsFromEnv(env);
      const keyFile = path.join(dir, "encryption-key");
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      // a second process start reads the same key: values sealed before a restart still open
      const b = await livenessDepsFromEnv(env);
      const binding = { fingerprint: fingerprintOf("x".repeat(40)), detector: "npm-token" };
      const sealed = seal(a.ring, binding, { secret: "x".repeat(40) });
      expect(b.ring.current.version).toBe(a.ring.current.version);
      expect(open(b.ring, binding, sealed)).toEqual({ secret: "x".repeat(40) });
      expect(await a.client.verify("npm-token", { secret: "npm_LiveTokenForDepsTest000000000000001" })).toEqual({ liveness: "live", reason: "authenticated" });
      expect(emu.hits.get("/-/whoami")).toBe(1);
      // STOWAWAY_ENCRYPTION_KEY wins over the file
      const c = await livenessDepsFromEnv(parseEnv({ STOWAWAY_DATA_DIR: dir, STOWAWAY_ENCRYPTION_KEY: "ab".repeat(32) }));
      expect(c.ring.current.version).not.toBe(a.ring.current.version);
      expect(c.detect("NPM_TOKEN=nothing-here", { source: "env" })).toEqual([]);
      // rotation: the old key listed as previous still opens what it sealed; new values use the new key
      const fileKey = fs.readFileSync(keyFile, "utf8").trim();
      const rotated = await livenessDepsFromEnv(parseEnv({ STOWAWAY_DATA_DIR: dir, STOWAWAY_ENCRYPTION_KEY: "ab".repeat(32), STOWAWAY_ENCRYPTION_KEY_PREVIOUS: fileKey }));
      expect(open(rotated.ring, binding, sealed)).toEqual({ secret: "x".repeat(40) });
      expect(seal(rotated.ring, binding, { secret: "x".repeat(40) }).keyVersion).toBe(c.ring.current.version);
      expect(() => open(c.ring, binding, sealed)).toThrow(/another|does not have/);
      expect(() => parseEnv({ STOWAWAY_ENCRYPTION_KEY_PREVIOUS: "short" })).toThrow(/STOWAWAY_ENCRYPTION_KEY_PREVIOUS/);
    } finally {
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
