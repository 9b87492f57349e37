import { describe, expect, it } from "vitest";
import { csvCell, csvFilename, toCsv } from "./csv";

describe("csv", () => {
  it("neutralises spreadsheet formulas in text cells", () => {
    for (const bad of ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
      const out = csvCell(bad);
      expect(out.replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell("acme-dev")).toBe("acme-dev");
  });

  it("keeps real numbers numeric, including negatives", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(42)).toBe("42");
  });

  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(toCsv(["h1", "h2"], [["x", null], [1, true]])).toBe("h1,h2\r\nx,\r\n1,true\r\n");
  });

  it("formats dates as ISO and builds safe filenames", () => {
    expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
    expect(csvFilename("Top accounts/../x", new Date("2026-01-02T00:00:00Z"))).toBe("top-accounts-x-2026-01-02.csv");
  });
});
