import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { compileEmailPattern, emailPatternProblem } from "./email-pattern";
import { formatIdentityErrors, parseIdentity, parseIdentityJson } from "./identity-input";

function issues(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseIdentity(input);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("INVALID_INPUT");
    return (e as AppError).issues ?? [];
  }
  throw new Error("expected the identity to be rejected");
}

describe("parseIdentity", () => {
  it("normalises a valid identity", () => {
    const id = parseIdentity({
      domains: ["Acme-Rockets.com.", "acme-rockets.com"],
      emailPatterns: ["*@Acme-Rockets.com"],
      knownNames: ["Acme Rockets", { name: "acme-rockets", category: "github_org" }],
      githubOrgs: ["acme-labs"],
      sanctioned: ["AcmeRockets"],
      exclusions: ["Acme Anvils"],
      cloudAccountIds: ["123456789012", { provider: "azure", id: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0" }],
      packageScopes: ["acme-rockets"],
    });
    expect(id.domains).toEqual(["acme-rockets.com"]);
    expect(id.emailPatterns).toEqual(["*@acme-rockets.com"]);
    expect(id.knownNames).toEqual([
      { name: "Acme Rockets", category: "brand" },
      { name: "acme-rockets", category: "github_org" },
      { name: "acme-labs", category: "github_org" },
    ]);
    expect(id.sanctioned).toEqual(["acmerockets"]);
    expect(id.exclusions).toEqual(["acme anvils"]);
    expect(id.cloudAccountIds).toEqual([
      { provider: "aws", id: "123456789012" },
      { provider: "azure", id: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
    ]);
    expect(id.packageScopes).toEqual(["@acme-rockets"]);
  });

  it("rejects invalid domains with the field path", () => {
    const i = issues({ domains: ["acme..com", "10.0.0.1", "*.acme.com", "localhost", "acme.com"], knownNames: ["Acme"] });
    expect(i.map((x) => x.path)).toEqual(["domains.0", "domains.1", "domains.2", "domains.3"]);
    expect(i[1]!.message).toMatch(/not an IP address/);
    expect(i[2]!.message).toMatch(/Wildcards are not allowed/);
    expect(i[3]!.message).toMatch(/full domain with a suffix/);
    // URLs are normalised the way the app's settings page does
    expect(parseIdentity({ domains: ["https://www.Acme.com/about"] }).domains).toEqual(["acme.com"]);
  });

  it("rejects catastrophic and overlong email patterns", () => {
    const i = issues({
      domains: ["acme.com"],
      emailPatterns: ["*@*", "*@*.com", "a*b*c*d*e*@acme.com", `${"a".repeat(300)}@acme.com`, "no-at-sign", "*@acme.com"],
    });
    expect(i.map((x) => x.path)).toEqual(["emailPatterns.0", "emailPatterns.1", "emailPatterns.2", "emailPatterns.3", "emailPatterns.4"]);
    expect(i[0]!.message).toMatch(/would match every email/);
    expect(i[1]!.message).toMatch(/not a valid domain|every email/);
    expect(i[2]!.message).toMatch(/wildcards/);
    expect(i[3]!.message).toMatch(/longer than/);
    expect(i[4]!.message).toMatch(/exactly one "@"/);
  });

  it("rejects empty names, bad account ids and unknown keys", () => {
    const i = issues({
      knownNames: ["", "   ", { name: "x", category: "github_org" }, { name: "???", category: "brand" }],
      cloudAccountIds: ["12345", { provider: "gcp", id: "!" }],
      surprise: true,
    });
    const paths = i.map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining(["knownNames.0.name", "knownNames.1.name", "knownNames.3.name", "cloudAccountIds.0.id", "cloudAccountIds.1.id"]));
    expect(i.find((x) => x.path === "knownNames.0.name")!.message).toBe("name is empty");
    expect(i.find((x) => x.path === "cloudAccountIds.0.id")!.message).toMatch(/12 digits/);
    expect(i.some((x) => /surprise/.test(x.message))).toBe(true);
  });

  it("needs something to search for", () => {
    expect(issues({ domains: [], knownNames: [] })[0]!.message).toMatch(/at least one domain or known name/);
  });

  it("reports JSON syntax errors and formats issues for stderr", () => {
    expect(() => parseIdentityJson("{nope")).toThrow(/not valid JSON/);
    try {
      parseIdentityJson(JSON.stringify({ domains: ["bad domain"] }));
    } catch (e) {
      expect(formatIdentityErrors(e as AppError)).toMatch(/^The identity is invalid:\n {2}domains\.0: \S/);
    }
  });
});

describe("email patterns", () => {
  it("matches wildcards, subdomains and name placeholders", () => {
    const any = compileEmailPattern("*@acme-rockets.com");
    expect(any.matches("jane.doe@acme-rockets.com")).toBe(true);
    expect(any.matches("JANE@ACME-ROCKETS.COM")).toBe(true);
    expect(any.matches("jane@acme-rockets.com.evil.io")).toBe(false);
    expect(any.matches("jane@evil-acme-rockets.com")).toBe(false);
    const sub = compileEmailPattern("*@*.acmerockets.io");
    expect(sub.matches("ci@build.acmerockets.io")).toBe(true);
    expect(sub.matches("ci@acmerockets.io")).toBe(false);
    const fl = compileEmailPattern("first.last@acmerockets.io");
    expect(fl.matches("jane.doe@acmerockets.io")).toBe(true);
    expect(fl.matches("jdoe@acmerockets.io")).toBe(false);
    expect(fl.matches("jane.doe2@acmerockets.io")).toBe(false);
    const initial = compileEmailPattern("{f}{last}@acme.com");
    expect(initial.matches("jdoe@acme.com")).toBe(true);
    expect(initial.matches("jo.doe@acme.com")).toBe(false);
    const literal = compileEmailPattern("security@acme.com");
    expect(literal.matches("security@acme.com")).toBe(true);
    expect(literal.matches("xsecurity@acme.com")).toBe(false);
  });
  it("stays linear on hostile input", () => {
    const p = compileEmailPattern("*a*a*a*a@acme.com");
    const hostile = `${"a".repeat(240)}@acme.co`;
    expect(p.matches(hostile)).toBe(false);
    expect(p.matches(`${"a".repeat(300)}@acme.com`)).toBe(false); // over 254: refused outright
  });
  it("explains unknown placeholders", () => {
    expect(emailPatternProblem("{nick}@acme.com")).toMatch(/unknown placeholder/);
    expect(emailPatternProblem("a**@acme.com")).toMatch(/\*\*/);
  });
});
