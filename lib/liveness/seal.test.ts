import { describe, expect, it } from "vitest";
import { fingerprintOf, Keyring, open, seal, SealError } from "./seal";

const K1 = "a".repeat(64);
const K2 = "0123456789abcdef".repeat(4);
const SECRET = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";

function binding(secret = SECRET) {
  return { fingerprint: fingerprintOf(secret), detector: "github-pat" };
}

describe("seal / open (AES-256-GCM)", () => {
  it("round-trips a secret and an AWS pair, with a fresh IV every time", () => {
    const ring = new Keyring([K1]);
    const a = seal(ring, binding(), { secret: SECRET });
    const b = seal(ring, binding(), { secret: SECRET });
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.iv, "base64")).toHaveLength(12);
    expect(Buffer.from(a.authTag, "base64")).toHaveLength(16);
    expect(open(ring, binding(), a)).toEqual({ secret: SECRET });
    const pair = seal(ring, binding(), { secret: SECRET, keyId: "AKIAIOSFODNN7EXAMPLE" });
    expect(open(ring, binding(), pair)).toEqual({ secret: SECRET, keyId: "AKIAIOSFODNN7EXAMPLE" });
  });

  it("never stores the plaintext or the master key in any field", () => {
    const ring = new Keyring([K1]);
    const s = seal(ring, binding(), { secret: SECRET });
    const all = JSON.stringify(s);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SECRET.slice(4, 20));
    expect(all).not.toContain(K1);
    expect(Buffer.from(s.ciphertext, "base64").toString("latin1")).not.toContain(SECRET);
    expect(s.keyVersion).toMatch(/^k1:[0-9a-f]{16}$/);
  });

  it("detects tampering with the ciphertext, the tag, the IV", () => {
    const ring = new Keyring([K1]);
    const s = seal(ring, binding(), { secret: SECRET });
    const flip = (b64: string) => {
      const b = Buffer.from(b64, "base64");
      b[0] = b[0]! ^ 1;
      return b.toString("base64");
    };
    for (const t of [{ ...s, ciphertext: flip(s.ciphertext) }, { ...s, authTag: flip(s.authTag) }, { ...s, iv: flip(s.iv) }]) {
      expect(() => open(ring, binding(), t)).toThrow(SealError);
      try {
        open(ring, binding(), t);
      } catch (e) {
        expect((e as SealError).kind).toBe("tampered");
        expect(String(e)).not.toContain(SECRET);
      }
    }
  });

  it("refuses a sealed value moved onto another finding (fingerprint/detector are bound)", () => {
    const ring = new Keyring([K1]);
    const s = seal(ring, binding(), { secret: SECRET });
    expect(() => open(ring, { ...binding(), detector: "npm-token" }, s)).toThrow(/failed authentication/);
    expect(() => open(ring, binding("other-secret-value-xxxxxxxx"), s)).toThrow(SealError);
  });

  it("a wrong key is an error: unknown version, or a forged version with the wrong key", () => {
    const s = seal(new Keyring([K1]), binding(), { secret: SECRET });
    const other = new Keyring([K2]);
    expect(() => open(other, binding(), s)).toThrow(expect.objectContaining({ kind: "unknown-key" }));
    expect(() => open(other, binding(), { ...s, keyVersion: other.current.version })).toThrow(expect.objectContaining({ kind: "tampered" }));
  });

  it("rotation: a ring with the new key first still opens values sealed with the old key", () => {
    const old = seal(new Keyring([K1]), binding(), { secret: SECRET });
    const rotated = new Keyring([K2, K1]);
    expect(open(rotated, binding(), old)).toEqual({ secret: SECRET });
    expect(seal(rotated, binding(), { secret: SECRET }).keyVersion).toBe(new Keyring([K2]).current.version);
  });

  it("rejects short master keys", () => {
    expect(() => new Keyring(["short"])).toThrow(/at least 32/);
  });
});
