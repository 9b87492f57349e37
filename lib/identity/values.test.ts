import { describe, expect, it } from "vitest";
import { normalizeDomain } from "./domain";
import { compileEmailPattern, globMatch, parseEmailPattern } from "./email-pattern";
import { normalizeIdentity } from "./values";

describe("normalizeDomain", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["  ACME.com  ", "acme.com"],
    ["https://www.Acme.com/about?x=1#top", "acme.com"],
    ["http://user@acme.co.uk:8443/path", "acme.co.uk"],
    ["acme.com.", "acme.com"],
    ["bücher.de", "xn--bcher-kva.de"],
    ["sub.acme.io", "sub.acme.io"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeDomain(input)).toEqual({ ok: true, value: expected });
  });

  it.each(["", "localhost", "acme", "10.0.0.1", "*.acme.com", "acme..com", "-acme.com", "acme.c0m", "acme.c", `${"a".repeat(64)}.com`, "[::1]"])(
    "rejects %j with a message",
    (input) => {
      const r = normalizeDomain(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
    },
  );
});

describe("email patterns", () => {
  it("normalises and matches *@domain", () => {
    const p = parseEmailPattern(" *@ACME.com ");
    expect(p).toMatchObject({ ok: true, value: { normalized: "*@acme.com", subdomains: false } });
    if (!p.ok) throw new Error("unreachable");
    const m = compileEmailPattern(p.value);
    expect(m("jane.doe@acme.com")).toBe(true);
    expect(m("JANE@Acme.Com")).toBe(true);
    expect(m("jane@acme.com.evil.io")).toBe(false);
    expect(m("jane@eu.acme.com")).toBe(false);
    expect(m("@acme.com")).toBe(false);
  });

  it("matches literal addresses exactly and wildcard segments", () => {
    const lit = parseEmailPattern("first.last@acme.io");
    const seg = parseEmailPattern("*.*@acme.io");
    if (!lit.ok || !seg.ok) throw new Error("should parse");
    expect(compileEmailPattern(lit.value)("first.last@acme.io")).toBe(true);
    expect(compileEmailPattern(lit.value)("firstxlast@acme.io")).toBe(false);
    expect(compileEmailPattern(seg.value)("jane.doe@acme.io")).toBe(true);
    expect(compileEmailPattern(seg.value)("jane@acme.io")).toBe(false);
  });

  it("supports subdomain wildcards but not the bare domain", () => {
    const p = parseEmailPattern("*@*.acme.com");
    if (!p.ok) throw new Error("should parse");
    const m = compileEmailPattern(p.value);
    expect(m("a@eu.acme.com")).toBe(true);
    expect(m("a@acme.com")).toBe(false);
    expect(m("a@notacme.com")).toBe(false);
  });

  it.each(["*@*", "*@*.com", "acme.com", "a@b@acme.com", "*@acme", "*@ac*me.com", "a b@acme.com", ".a@acme.com", "a..b@acme.com", "*a*b*c*d*e@acme.com", "@acme.com"])(
    "rejects %j",
    (input) => {
      expect(parseEmailPattern(input).ok).toBe(false);
    },
  );

  it("globMatch requires one or more characters per * and stays fast on hostile input", () => {
    expect(globMatch("a*b", "ab")).toBe(false);
    expect(globMatch("a*b", "axb")).toBe(true);
    expect(globMatch("*", "")).toBe(false);
    expect(globMatch("*x*", "axb")).toBe(true);
    const text = "a".repeat(254);
    // Classic backtracking bomb shape; the two-pointer algorithm answers without exponential work.
    expect(globMatch("*a*a*a*b", text)).toBe(false);
  });
});

describe("normalizeIdentity", () => {
  it("known names: category default, warnings for generic and short names", () => {
    const r = normalizeIdentity("known_name", { value: "  Acme   Rockets " });
    expect(r).toMatchObject({ ok: true, item: { value: "Acme Rockets", normalized: "acme rockets", category: "other", warnings: [] } });
    const api = normalizeIdentity("known_name", { value: "api", category: "product" });
    expect(api.ok && api.item.warnings.length).toBe(2);
    const ab = normalizeIdentity("known_name", { value: "AB", category: "brand" });
    expect(ab.ok && ab.item.warnings.some((w) => /short/i.test(w))).toBe(true);
  });

  it("known names: validates category, github org and host names", () => {
    expect(normalizeIdentity("known_name", { value: "acme", category: "planet" })).toMatchObject({ ok: false, problems: [{ path: "category" }] });
    expect(normalizeIdentity("known_name", { value: "acme--rockets-", category: "github_org" }).ok).toBe(false);
    expect(normalizeIdentity("known_name", { value: "Acme-Rockets", category: "github_org" })).toMatchObject({ ok: true, item: { normalized: "acme-rockets" } });
    expect(normalizeIdentity("known_name", { value: "build01.corp.acme.", category: "host" })).toMatchObject({ ok: true, item: { value: "build01.corp.acme" } });
    expect(normalizeIdentity("known_name", { value: "bad host!", category: "host" }).ok).toBe(false);
  });

  it("sanctioned namespaces follow Docker Hub rules and accept hub URLs", () => {
    expect(normalizeIdentity("sanctioned_namespace", { value: "https://hub.docker.com/u/AcmeRockets/" })).toMatchObject({ ok: true, item: { normalized: "acmerockets" } });
    expect(normalizeIdentity("sanctioned_namespace", { value: "acme_rockets-ci" }).ok).toBe(true);
    for (const bad of ["a", "-acme", "acme-", "acme rockets", "acme/rockets", "ACME!"]) {
      expect(normalizeIdentity("sanctioned_namespace", { value: bad }).ok, bad).toBe(false);
    }
  });

  it("cloud account ids per provider", () => {
    expect(normalizeIdentity("cloud_account_id", { value: "1234-5678-9012" })).toMatchObject({ ok: true, item: { normalized: "123456789012", category: "aws" } });
    expect(normalizeIdentity("cloud_account_id", { value: "12345" }).ok).toBe(false);
    expect(normalizeIdentity("cloud_account_id", { value: "acme-prod-1", category: "gcp" }).ok).toBe(true);
    expect(normalizeIdentity("cloud_account_id", { value: "x", category: "ibm" })).toMatchObject({ ok: false, problems: [{ path: "category" }] });
  });

  it("bad input never throws: empty, non-string, overlong, bad notes", () => {
    expect(normalizeIdentity("domain", { value: "" })).toMatchObject({ ok: false, problems: [{ path: "value" }] });
    expect(normalizeIdentity("domain", { value: 42 as unknown as string }).ok).toBe(false);
    expect(normalizeIdentity("exclusion", { value: "x".repeat(301) }).ok).toBe(false);
    expect(normalizeIdentity("domain", { value: "acme.com", notes: "n".repeat(501) })).toMatchObject({ ok: false, problems: [{ path: "notes" }] });
  });
});
