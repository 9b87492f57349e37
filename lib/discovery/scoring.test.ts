import { describe, expect, it } from "vitest";
import { explain, REPEAT_FACTOR, scoreEvidence, statusFor } from "./scoring";
import type { Evidence, EvidenceType } from "./types";

const e = (type: EvidenceType, weight: number, value: string = type): Evidence => ({ type, weight, value, source: "test", detail: `${type} test item` });

describe("scoreEvidence", () => {
  it("combines positive items by noisy-OR and explains each contribution", () => {
    const s = scoreEvidence([e("name_exact", 0.2), e("profile_url", 0.7), e("profile_company", 0.6)]);
    expect(s.confidence).toBeCloseTo(1 - 0.8 * 0.3 * 0.4, 3);
    expect(s.status).toBe("likely");
    // strongest first; contributions add up to the confidence
    expect(s.evidence.map((x) => x.type)).toEqual(["profile_url", "profile_company", "name_exact"]);
    expect(s.evidence.map((x) => x.contribution)).toEqual([0.7, 0.18, 0.024]);
    const sum = s.evidence.reduce((n, x) => n + (x.contribution ?? 0), 0);
    expect(sum).toBeCloseTo(s.confidence, 2);
  });
  it("repeats of one type count at a quarter", () => {
    const one = scoreEvidence([e("content_host", 0.6, "a.acme.com")]);
    const two = scoreEvidence([e("content_host", 0.6, "a.acme.com"), e("content_host", 0.6, "b.acme.com")]);
    expect(two.confidence).toBeCloseTo(1 - 0.4 * (1 - 0.6 * REPEAT_FACTOR), 3);
    expect(two.confidence).toBeGreaterThan(one.confidence);
    expect(two.confidence).toBeLessThan(1 - 0.4 * 0.4);
  });
  it("a name match alone stays below review; negative items multiply down", () => {
    expect(scoreEvidence([e("name_exact", 0.2)]).status).toBe("candidate");
    const s = scoreEvidence([e("content_email", 0.85), e("exclusion", 0.05)]);
    expect(s.confidence).toBeCloseTo(0.85 * 0.05, 3);
    expect(s.status).toBe("candidate");
    const neg = s.evidence.find((x) => x.type === "exclusion")!;
    expect(neg.contribution).toBeLessThan(0);
    const dismissed = scoreEvidence([e("content_email", 0.85), e("previously_dismissed", 0.5)]);
    expect(dismissed.status).toBe("candidate");
    expect(scoreEvidence([e("profile_company", 0.6), e("verified_publisher", 0.2)]).confidence).toBeCloseTo(0.12, 3);
  });
  it("thresholds are configurable and inclusive", () => {
    expect(statusFor(0.8)).toBe("likely");
    expect(statusFor(0.79)).toBe("review");
    expect(statusFor(0.5)).toBe("review");
    expect(statusFor(0.49)).toBe("candidate");
    expect(statusFor(0.7, { likely: 0.7, review: 0.3 })).toBe("likely");
    expect(scoreEvidence([e("profile_url", 0.7)], { likely: 0.9, review: 0.75 }).status).toBe("candidate");
  });
  it("sanctioned namespaces are inventory whatever else is seen", () => {
    const s = scoreEvidence([e("sanctioned", 1), e("other_company", 0.5)]);
    expect(s).toMatchObject({ confidence: 1, status: "sanctioned" });
  });
  it("no evidence is zero, and explain() lists the parts", () => {
    expect(scoreEvidence([])).toMatchObject({ confidence: 0, status: "candidate" });
    expect(explain(scoreEvidence([e("profile_url", 0.7), e("other_company", 0.5)]))).toBe("0.35 = profile_url +0.70, other_company −0.35");
  });
});
