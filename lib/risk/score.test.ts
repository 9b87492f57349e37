import { describe, expect, it } from "vitest";
import { scoreAccount, scorePosture, type AccountFindingInput, type AccountRiskInput } from "./score";

const now = new Date("2026-11-27T00:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const f = (over: Partial<AccountFindingInput> = {}): AccountFindingInput => ({
  severity: "critical",
  status: "open",
  liveness: "unknown",
  images: 1,
  inLatest: true,
  ...over,
});
const base = (over: Partial<AccountRiskInput> = {}): AccountRiskInput => ({
  status: "likely",
  confidence: 0.9,
  pullCount: 5000,
  lastPushAt: daysAgo(3),
  findings: [f()],
  now,
  ...over,
});

describe("scoreAccount", () => {
  it("is 0 for an account with no open findings, whatever its attribution", () => {
    expect(scoreAccount(base({ findings: [] })).score).toBe(0);
    expect(scoreAccount(base({ findings: [f({ status: "revoked" }), f({ status: "false_positive" })] })).score).toBe(0);
  });

  it("claimed and clean trends to 0; claimed with an open secret still scores", () => {
    expect(scoreAccount(base({ status: "sanctioned", findings: [f({ status: "revoked" })] })).score).toBe(0);
    expect(scoreAccount(base({ status: "sanctioned" })).score).toBeGreaterThan(0);
  });

  it("a dismissed account scores 0 (not ours)", () => {
    const r = scoreAccount(base({ status: "dismissed" }));
    expect(r.score).toBe(0);
    expect(r.parts.attribution.value).toBe(0);
  });

  it("an offboarded account keeps scoring its open findings (history is kept)", () => {
    expect(scoreAccount(base({ status: "offboarded" })).score).toBeGreaterThan(0);
  });

  it("scales with attribution confidence", () => {
    const low = scoreAccount(base({ confidence: 0.3 })).score;
    const high = scoreAccount(base({ confidence: 0.95 })).score;
    expect(high).toBeGreaterThan(low);
  });

  it("orders by worst severity, then by number of findings", () => {
    const sev = (s: AccountFindingInput["severity"]) => scoreAccount(base({ findings: [f({ severity: s })] })).score;
    expect(sev("critical")).toBeGreaterThan(sev("high"));
    expect(sev("high")).toBeGreaterThan(sev("medium"));
    expect(sev("medium")).toBeGreaterThan(sev("low"));
    const one = scoreAccount(base({ findings: [f({ severity: "high" })] })).score;
    const many = scoreAccount(base({ findings: Array.from({ length: 8 }, () => f({ severity: "high" })) })).score;
    expect(many).toBeGreaterThan(one);
    // many medium findings do not outrank one critical
    const mediums = scoreAccount(base({ findings: Array.from({ length: 20 }, () => f({ severity: "medium" })) })).score;
    expect(sev("critical")).toBeGreaterThan(mediums);
  });

  it("exposure: more pulls, recent pushes, secrets in latest tag score higher", () => {
    const s = (o: Partial<AccountRiskInput>) => scoreAccount(base(o)).score;
    expect(s({ pullCount: 1_000_000 })).toBeGreaterThan(s({ pullCount: 3 }));
    expect(s({ lastPushAt: daysAgo(1) })).toBeGreaterThan(s({ lastPushAt: daysAgo(700) }));
    expect(s({ findings: [f({ inLatest: true })] })).toBeGreaterThan(s({ findings: [f({ inLatest: false })] }));
    expect(s({ findings: [f({ images: 12 })] })).toBeGreaterThan(s({ findings: [f({ images: 1 })] }));
  });

  it("stays within 0..100 and its parts multiply to the score", () => {
    const r = scoreAccount(base({ status: "confirmed", pullCount: 10 ** 9, findings: Array.from({ length: 50 }, () => f({ liveness: "live", images: 40 })) }));
    expect(r.score).toBeLessThanOrEqual(100);
    expect(r.score).toBeGreaterThan(90);
    const prod = 100 * r.parts.attribution.value * r.parts.findings.value * r.parts.exposure.value;
    expect(Math.abs(prod - r.score)).toBeLessThanOrEqual(2);
    expect(r.parts.worstSeverity).toBe("critical");
    expect(r.parts.openFindings).toBe(50);
  });
});

describe("scorePosture", () => {
  it("is 0 for a clean organisation and reports MTTR", () => {
    const p = scorePosture({ accountRisks: [0, 0], openFindings: 0, openCritical: 0, liveSecrets: 0, shadowAccounts: 0, remediationHours: [10, 20] });
    expect(p.score).toBe(0);
    expect(p.mttrHours).toBe(15);
  });

  it("is dominated by the riskiest account and floored by open criticals", () => {
    const one = scorePosture({ accountRisks: [80], openFindings: 1, openCritical: 0, liveSecrets: 0, shadowAccounts: 1, remediationHours: [] });
    expect(one.score).toBe(80);
    const spread = scorePosture({ accountRisks: [80, 10, 10, 10, 10], openFindings: 5, openCritical: 0, liveSecrets: 0, shadowAccounts: 5, remediationHours: [] });
    expect(spread.score).toBeLessThan(one.score);
    const floor = scorePosture({ accountRisks: [5], openFindings: 3, openCritical: 3, liveSecrets: 0, shadowAccounts: 1, remediationHours: [] });
    expect(floor.score).toBe(45);
    expect(floor.mttrHours).toBeNull();
  });
});
