import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Rng, SecretFactory } from "./kit";

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function b62(n: number): string {
  let s = "";
  for (let v = n; v > 0; v = Math.floor(v / 62)) s = B62[v % 62] + s;
  return s.padStart(6, "0");
}
// Independent decoder (as published for AWS key ids): base32 → first 6 bytes → (n & 0x7fffffffff80) >> 7
function awsAccount(id: string): string {
  const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of id.slice(4)) bits += alpha.indexOf(c).toString(2).padStart(5, "0");
  const n = BigInt(`0b${bits.slice(0, 48)}`);
  return ((n & 0x7fffffffff80n) >> 7n).toString().padStart(12, "0");
}

describe("SecretFactory", () => {
  const S = new SecretFactory(new Rng(1));

  it("makes GitHub and npm tokens with a valid CRC32 checksum, and decoys with a wrong one", () => {
    for (const t of [S.ghp(), S.npm()]) {
      expect(t).toMatch(/^(ghp|npm)_[A-Za-z0-9]{36}$/);
      const body = t.slice(4, 34);
      expect(t.slice(34)).toBe(b62(crc32(body)));
    }
    const bad = S.badChecksum("ghp_");
    expect(bad.slice(34)).not.toBe(b62(crc32(bad.slice(4, 34))));
  });

  it("encodes the AWS account id in the access key id", () => {
    for (const acct of ["418273645091", "000000000001", "999988887777"]) {
      const { id, secret } = S.aws(acct);
      expect(id).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(awsAccount(id)).toBe(acct);
      expect(secret).toMatch(/^[A-Za-z0-9+/]{40}$/);
    }
  });

  it("produces provider shapes", () => {
    expect(S.stripe()).toMatch(/^sk_live_[A-Za-z0-9]{40}$/);
    expect(S.anthropic()).toMatch(/^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/);
    expect(S.huggingface()).toMatch(/^hf_[A-Za-z]{34}$/);
    expect(S.slackWebhook()).toMatch(/^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8}\/B[A-Z0-9]{10}\/[A-Za-z0-9]{24}$/);
    const pem = S.rsaPem();
    expect(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----\n")).toBe(true);
    expect(pem.endsWith("\n-----END RSA PRIVATE KEY-----")).toBe(true);
    const ssh = S.opensshPem();
    const body = Buffer.from(ssh.split("\n").slice(1, -1).join(""), "base64");
    expect(body.subarray(0, 15).toString("latin1")).toBe("openssh-key-v1\0");
    expect(body.subarray(19, 23).toString()).toBe("none");
    const sa = S.gcpServiceAccount("proj-x", "deployer");
    expect(JSON.parse(sa.json).private_key.trim()).toBe(sa.pem);
  });

  it("is deterministic for a seed", () => {
    expect(new SecretFactory(new Rng(5)).ghp()).toBe(new SecretFactory(new Rng(5)).ghp());
    expect(new SecretFactory(new Rng(5)).ghp()).not.toBe(new SecretFactory(new Rng(6)).ghp());
  });
});
