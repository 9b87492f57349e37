// Test-only detector: "SECRET_" followed by 8+ upper-case letters or digits. Lets scanner tests
// run independently of the real detector set.
import type { DetectorMatch, TextContext } from "../types";

export function testDetect(text: string, _ctx: TextContext): DetectorMatch[] {
  const out: DetectorMatch[] = [];
  const re = /SECRET_[A-Z0-9]{8,}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < m.index; i = text.indexOf("\n", i + 1)) line++;
    out.push({ detector: "test-secret", provider: "test", severity: "high", secret: m[0], line, hints: [] });
  }
  return out;
}
