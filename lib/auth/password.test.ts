import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblems, verifyPassword, ZSignUpInput } from "./password";
import { FailureLimiter } from "./rate-limit";

describe("password rules", () => {
  it("accepts a long unusual password", () => {
    expect(passwordProblems("violet-harbour-tractor-42", "jane@acme.com")).toEqual([]);
  });
  it.each([
    ["short", "short1!", /at least 12/],
    ["email", "jane@acme.com", /email/],
    ["contains local part", "janedoe-is-great", /email/],
    ["common", "Password1234", /common/],
    ["repeated", "zzzzzzzzzzzzzz", /common/],
  ])("rejects %s", (_label, pw, re) => {
    const email = _label === "contains local part" ? "janedoe@acme.com" : "jane@acme.com";
    expect(passwordProblems(pw, email).join(" ")).toMatch(re);
  });
  it("sign-up schema reports problems on the password field and normalises email", () => {
    const bad = ZSignUpInput.safeParse({ email: "Jane@Acme.com", password: "short" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.every((i) => i.path[0] === "password")).toBe(true);
    const good = ZSignUpInput.safeParse({ email: " Jane@Acme.com ", password: "violet-harbour-tractor-42" });
    expect(good.success && good.data.email).toBe("jane@acme.com");
  });
});

describe("argon2id hashing", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const h = await hashPassword("violet-harbour-tractor-42");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(h).not.toContain("violet");
    expect(await verifyPassword(h, "violet-harbour-tractor-42")).toBe(true);
    expect(await verifyPassword(h, "violet-harbour-tractor-43")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("FailureLimiter", () => {
  it("blocks after max failures inside the window and forgets after it", () => {
    let now = 0;
    const l = new FailureLimiter(3, 1000, () => now);
    l.fail("ip");
    l.fail("ip");
    expect(l.isBlocked("ip")).toBe(false);
    l.fail("ip");
    expect(l.isBlocked("ip")).toBe(true);
    expect(l.isBlocked("other")).toBe(false);
    now = 1001;
    expect(l.isBlocked("ip")).toBe(false);
  });
});
