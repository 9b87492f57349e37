import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprint, mask } from "./fingerprint";

describe("fingerprint", () => {
  it("is the lowercase hex SHA-256 of the UTF-8 bytes", () => {
    expect(fingerprint("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const s = "pässwörd-€";
    expect(fingerprint(s)).toBe(createHash("sha256").update(Buffer.from(s, "utf8")).digest("hex"));
    expect(fingerprint(s)).toMatch(/^[0-9a-f]{64}$/);
  });
  it("differs for values differing only in whitespace (exactly as it appears)", () => {
    expect(fingerprint("secret")).not.toBe(fingerprint("secret\n"));
  });
});

describe("mask", () => {
  const revealed = (m: string) => m.replace(/\*/g, "").length;

  it("keeps a known prefix and the tail of long secrets", () => {
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    const m = mask(token);
    expect(m.startsWith("ghp_")).toBe(true);
    expect(m.endsWith(token.slice(-4))).toBe(true);
    expect(m).toContain("****");
    expect(m).not.toContain(token.slice(4, 30));
  });
  it("keeps AKIA and sk_live_ prefixes", () => {
    expect(mask("AKIAY34FZKBOKMUTVV7A").startsWith("AKIA")).toBe(true);
    expect(mask("sk_live_" + "x9Y8z7W6v5U4t3S2r1Q0p9O8n7").startsWith("sk_live_")).toBe(true);
  });
  it("shows the BEGIN marker of a PEM key and nothing of its body", () => {
    const body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7".repeat(10);
    const m = mask(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`);
    expect(m.startsWith("-----BEGIN ")).toBe(true);
    expect(m).not.toContain("MIIE");
  });
  it("fully masks short secrets", () => {
    for (const s of ["a", "hunter2", "abc1234"]) {
      expect(mask(s)).toMatch(/^\*+$/);
    }
  });
  it("never reveals more than 25% of the value", () => {
    const samples = ["password12", "Zx8vQ2mN7pL4kJ9hG6fD3sA1wE5rT8yU0iO2pLkQ", "sk-ant-api03-abc", "github_pat_11AAAA", "x".repeat(200), "é😀é😀é😀é😀é😀é😀"];
    for (const s of samples) {
      const m = mask(s);
      expect(revealed(m)).toBeLessThanOrEqual(Math.floor(Array.from(s).length * 0.25));
      expect(m).not.toBe(s);
    }
  });
  it("does not split surrogate pairs", () => {
    const m = mask("😀".repeat(40));
    expect(m).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
