import { describe, expect, it } from "vitest";
import { normaliseLayerPath } from "./paths";

describe("normaliseLayerPath", () => {
  it.each([
    ["usr/share/doc/x", "usr/share/doc/x", false, false],
    ["etc/", "etc", false, false],
    ["./etc/passwd", "etc/passwd", false, false],
    ["/etc/passwd", "etc/passwd", true, false],
    ["etc//ssl/./certs/", "etc/ssl/certs", false, false],
    ["a/.hidden/b", "a/.hidden/b", false, false],
    [".bashrc", ".bashrc", false, false],
    ["a/b/../c", "a/c", false, false],
    ["../../etc/shadow", "etc/shadow", false, true],
    ["a/../../x", "x", false, true],
    ["a/..", "", false, false],
    [".", "", false, false],
    ["", "", false, false],
    ["a/b..c/d.", "a/b..c/d.", false, false],
  ])("%j → %j", (raw, path, absolute, escaped) => {
    expect(normaliseLayerPath(raw)).toEqual({ path, absolute, escaped });
  });
});
