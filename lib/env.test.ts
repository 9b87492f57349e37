import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults to the embedded database, embedded jobs and the real Docker Hub", () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.jobsMode).toBe("embedded");
    expect(e.STOWAWAY_REGISTRY_URL).toBe("https://registry-1.docker.io");
    expect(e.dataDir).toMatch(/\.data$/);
  });

  it("treats empty strings as unset (a copied .env.example)", () => {
    expect(parseEnv({ DATABASE_URL: "", OIDC_ISSUER: "" }).DATABASE_URL).toBeUndefined();
  });

  it("rejects a non-postgres DATABASE_URL with a readable message", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres/);
  });

  it("lists every problem at once", () => {
    try {
      parseEnv({ OIDC_ISSUER: "https://id.example", PORT: "99999", INNGEST_EVENT_KEY: "k" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join("\n");
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together/);
      expect(problems).toMatch(/INNGEST_SIGNING_KEY/);
    }
  });

  it("selects Inngest mode only with both keys", () => {
    expect(parseEnv({ INNGEST_EVENT_KEY: "a", INNGEST_SIGNING_KEY: "signkey-prod-b" }).jobsMode).toBe("inngest");
  });
});
