import { describe, expect, it } from "vitest";
import { parseIdentity } from "./identity-input";
import { buildSearchPlan, compact, domainLabel, isGeneric, nameTerms } from "./terms";

const acme = parseIdentity({
  domains: ["acme-rockets.com", "acmerockets.io"],
  emailPatterns: ["*@acme-rockets.com"],
  knownNames: ["Acme Rockets", { name: "Skylift", category: "product" }, { name: "acme-rockets", category: "github_org" }, "app", "HQ"],
  sanctioned: ["acmerockets"],
  exclusions: ["acme-anvils"],
});

describe("name helpers", () => {
  it("compacts names and takes the registrable domain label", () => {
    expect(compact("Acme Rockets, Inc.")).toBe("acmerocketsinc");
    expect(compact("Ácme-Röckets")).toBe("acmerockets");
    expect(domainLabel("acme-rockets.com")).toBe("acme-rockets");
    expect(domainLabel("acmerockets.io")).toBe("acmerockets");
    expect(domainLabel("shop.acme.co.uk")).toBe("acme");
    expect(domainLabel("mail.globex.de")).toBe("globex");
  });
  it("flags generic and short names", () => {
    expect(isGeneric("app")).toBe(true);
    expect(isGeneric("HQ")).toBe(true);
    expect(isGeneric("xyz")).toBe(true);
    expect(isGeneric("Acme Rockets")).toBe(false);
    expect(isGeneric("skylift")).toBe(false);
  });
});

describe("nameTerms", () => {
  it("merges brand and domain spellings, keeps generic names apart with warnings", () => {
    const t = nameTerms(acme);
    const main = t.strong.find((x) => x.compact === "acmerockets")!;
    expect(main.forms).toEqual(expect.arrayContaining(["acmerockets", "acme-rockets", "acme_rockets"]));
    expect(main.strength).toBe(1);
    expect(t.strong.find((x) => x.compact === "skylift")?.origin).toBe("product");
    // first word of the brand, weaker
    expect(t.strong.find((x) => x.compact === "acme")?.strength).toBeLessThan(0.5);
    expect(t.weak.map((w) => w.compact).sort()).toEqual(["app", "hq"]);
    expect(t.warnings.map((w) => [w.code, w.value])).toEqual(
      expect.arrayContaining([
        ["generic_name", "app"],
        ["short_name", "HQ"],
      ]),
    );
  });
  it("skips an excluded first word and warns when nothing strong is left", () => {
    const onlyGeneric = parseIdentity({ knownNames: ["api", "app"] });
    const t = nameTerms(onlyGeneric);
    expect(t.strong).toEqual([]);
    expect(t.warnings.some((w) => w.code === "no_strong_terms")).toBe(true);
    const excluded = nameTerms(parseIdentity({ knownNames: ["Globex Systems"], exclusions: ["globex"] }));
    expect(excluded.strong.map((s) => s.compact)).toEqual(["globexsystems"]);
  });
});

describe("buildSearchPlan", () => {
  it("derives the common namespace variants", () => {
    const plan = buildSearchPlan(acme);
    const ns = plan.lookups.map((l) => l.namespace);
    for (const v of ["acme-rockets", "acme_rockets", "acmerocketsinc", "acmerockets-dev", "acmerocketslabs", "acmerockets_io", "acmecorp", "acme-corp", "acmeinc", "acme-dev", "acmelabs", "acme_io", "skylift", "acmerockets-app"]) {
      expect(ns).toContain(v);
    }
    // sanctioned namespaces are inventory, not probed as candidates
    expect(ns).not.toContain("acmerockets");
    // generic names are never probed or searched alone
    expect(ns).not.toContain("app");
    expect(plan.searches.map((s) => s.query)).not.toContain("app");
    expect(plan.searches.map((s) => s.query)).toContain("acmerockets app");
  });
  it("orders by expected value and is deterministic", () => {
    const a = buildSearchPlan(acme);
    const b = buildSearchPlan(structuredClone(acme));
    expect(a).toEqual(b);
    const idx = (n: string) => a.lookups.findIndex((l) => l.namespace === n);
    expect(idx("acme-rockets")).toBeLessThan(idx("acmerocketsinc"));
    expect(idx("acmerocketsinc")).toBeLessThan(idx("acmerockets_team"));
    expect(idx("acmerocketsinc")).toBeLessThan(idx("acmecorp")); // full name beats first word
    for (let i = 1; i < a.lookups.length; i++) expect(a.lookups[i - 1]!.value).toBeGreaterThanOrEqual(a.lookups[i]!.value);
    expect(a.searches[0]!.query).toBe("acmerockets");
  });
  it("cuts searches to the budget and says so", () => {
    const plan = buildSearchPlan(acme, { maxSearches: 2 });
    expect(plan.searches).toHaveLength(2);
    expect(plan.warnings.some((w) => w.code === "budget_truncated" && w.value === "searches")).toBe(true);
    expect(buildSearchPlan(acme, { maxSearches: 50 }).warnings.some((w) => w.code === "budget_truncated")).toBe(false);
  });
});

describe("uncategorised names", () => {
  it("the settings UI's default category (other) counts like a brand", () => {
    const ui = parseIdentity({ knownNames: [{ name: "Acme Rockets", category: "other" }] });
    const t = nameTerms(ui);
    expect(t.strong.find((x) => x.compact === "acmerockets")?.strength).toBe(1);
    expect(t.strong.some((x) => x.compact === "acme")).toBe(true);
  });
});
