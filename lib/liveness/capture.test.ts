import { describe, expect, it } from "vitest";
import { scanText } from "@/lib/scan/detectors";
import { CS, Fakes } from "@/lib/scan/detectors/test-fakes";
import { awsKeyIdNear, createSecretCapture } from "./capture";
import { fingerprintOf, Keyring, open } from "./seal";

const fk = new Fakes(4242);
const GH = fk.checksummed("ghp_");
const NPM = fk.checksummed("npm_");
const AWS_ID = "AKIA" + fk.s(CS.upperDigits, 16);
const AWS_SECRET = "aB3/" + fk.s(CS.alnum, 30) + "Zq9+xY";
const RING = new Keyring(["f".repeat(64)]);

const TEXT = [
  `GITHUB_TOKEN=${GH}`,
  `NPM_TOKEN=${NPM}`,
  "[default]",
  `aws_access_key_id = ${AWS_ID}`,
  `aws_secret_access_key = ${AWS_SECRET}`,
  `password = "${fk.s(CS.alnum, 24)}x9!Q"`,
].join("\n");

describe("createSecretCapture (wrapping the scanner's detect)", () => {
  it("returns the detector's matches unchanged and holds only verifiable secrets", () => {
    const cap = createSecretCapture(scanText);
    const direct = scanText(TEXT, { source: "file", path: "app/.env" });
    const wrapped = cap.detect(TEXT, { source: "file", path: "app/.env" });
    expect(wrapped).toEqual(direct);
    const detectors = direct.map((m) => m.detector).sort();
    expect(detectors).toEqual(expect.arrayContaining(["aws-access-key", "github-pat", "npm-token"]));
    // generic secrets have no verifier: not held
    expect(cap.size).toBe(3);
  });

  it("seals every held value (AWS with its key id), then forgets them", () => {
    const cap = createSecretCapture(scanText);
    cap.detect(TEXT, { source: "file", path: "app/.env" });
    cap.detect(TEXT, { source: "env" }); // same secrets again: held once
    const sealed = cap.sealAll(RING);
    expect(sealed).toHaveLength(3);
    expect(cap.size).toBe(0);
    const byDet = new Map(sealed.map((s) => [s.detector, s]));
    const aws = byDet.get("aws-access-key")!;
    expect(aws.fingerprint).toBe(fingerprintOf(AWS_SECRET));
    expect(open(RING, aws, aws)).toEqual({ secret: AWS_SECRET, keyId: AWS_ID });
    const gh = byDet.get("github-pat")!;
    expect(open(RING, gh, gh)).toEqual({ secret: GH });
    expect(JSON.stringify(sealed)).not.toContain(GH);
    expect(JSON.stringify(sealed)).not.toContain(AWS_SECRET);
  });

  it("is bounded: a hostile text with many tokens holds at most `max`", () => {
    const cap = createSecretCapture(scanText, { max: 5 });
    const many = Array.from({ length: 20 }, () => `T=${fk.checksummed("ghp_")}`).join("\n");
    expect(cap.detect(many, { source: "file", path: "x.env" }).length).toBeGreaterThanOrEqual(20);
    expect(cap.size).toBe(5);
  });
});

describe("awsKeyIdNear", () => {
  it("finds the nearest key id within the detector's window, and none when too far", () => {
    const other = "AKIA" + fk.s(CS.upperDigits, 16);
    const t = `${other}\n${"x".repeat(600)}\nid=${AWS_ID}\nsecret=${AWS_SECRET}`;
    expect(awsKeyIdNear(t, AWS_SECRET)).toBe(AWS_ID);
    expect(awsKeyIdNear(`${AWS_ID}${" ".repeat(3000)}${AWS_SECRET}`, AWS_SECRET)).toBeUndefined();
    expect(awsKeyIdNear("nothing here", AWS_SECRET)).toBeUndefined();
  });
});

describe("AWS pairs split across ENV entries", () => {
  it("pairs a lone secret with the image's only lone key id, and never guesses among several", () => {
    const id = "AKIA" + fk.s(CS.upperDigits, 16);
    const secret = "Qw7/" + fk.s(CS.alnum, 30) + "Er5+tY";
    const one = createSecretCapture(scanText);
    one.detect(`AWS_ACCESS_KEY_ID=${id}`, { source: "env" });
    one.detect(`AWS_SECRET_ACCESS_KEY=${secret}`, { source: "env" });
    const [s1] = one.sealAll(RING).filter((s) => s.detector === "aws-secret-access-key");
    expect(s1).toBeDefined();
    expect(open(RING, s1!, s1!)).toEqual({ secret, keyId: id });

    const two = createSecretCapture(scanText);
    two.detect(`AWS_ACCESS_KEY_ID=${id}`, { source: "env" });
    two.detect(`OTHER_KEY_ID=AKIA${fk.s(CS.upperDigits, 16)}`, { source: "env" });
    two.detect(`AWS_SECRET_ACCESS_KEY=${secret}`, { source: "env" });
    const [s2] = two.sealAll(RING).filter((s) => s.detector === "aws-secret-access-key");
    expect(open(RING, s2!, s2!)).toEqual({ secret });
  });
});
