import { describe, expect, it } from "vitest";
import { DETECTORS, scanText } from "./index";
import { base62, crc32 } from "./util";

describe("detectors API smoke", () => {
  it("exposes at least 60 detector ids, unique", () => {
    const ids = DETECTORS.map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it("finds a checksum-valid GitHub token with its 1-based line", () => {
    const body = "Qw3rTy7uIo9pAs1dFg5hJk2lZx4cVb";
    const tok = `ghp_${body}${base62(crc32(body), 6)}`;
    const m = scanText(`# config\nTOKEN=${tok}\n`, { source: "file", path: "/app/.env" });
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ detector: "github-pat", secret: tok, line: 2, severity: "critical" });
  });
});
