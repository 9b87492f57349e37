import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { parseVerifierBaseUrls } from "./config";

describe("STOWAWAY_VERIFIER_BASE_URLS", () => {
  it("accepts a JSON map of known providers to https URLs, or http on loopback", () => {
    expect(parseVerifierBaseUrls(undefined)).toEqual({ ok: true, value: {} });
    expect(parseVerifierBaseUrls('{"github":"https://ghe.acme.example/api/v3","slack":"http://127.0.0.1:4010"}')).toEqual({
      ok: true,
      value: { github: "https://ghe.acme.example/api/v3", slack: "http://127.0.0.1:4010" },
    });
  });

  it("rejects bad JSON, unknown providers, plain http off loopback, credentials in URLs", () => {
    for (const bad of ["not json", '{"gihtub":"https://x"}', '{"github":"http://evil.example"}', '{"npm":"https://u:p@registry.example"}', '{"aws":"ftp://x"}', "[1]"]) {
      const r = parseVerifierBaseUrls(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.problems.join(" ")).toMatch(/STOWAWAY_VERIFIER_BASE_URLS/);
    }
  });

  it("an invalid value stops start-up with a clear configuration error", () => {
    expect(() => parseEnv({ STOWAWAY_VERIFIER_BASE_URLS: '{"github":"http://evil.example"}' })).toThrow(/STOWAWAY_VERIFIER_BASE_URLS/);
    expect(parseEnv({ STOWAWAY_VERIFIER_BASE_URLS: '{"github":"http://127.0.0.1:9"}', STOWAWAY_LIVENESS_DISABLED: "1" }).STOWAWAY_LIVENESS_DISABLED).toBe(true);
  });
});
