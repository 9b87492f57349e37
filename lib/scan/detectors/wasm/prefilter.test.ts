import { describe, expect, it } from "vitest";
import { rng } from "../../test-rng";
import { KeywordPrefilter } from "./prefilter";

const KEYWORDS = ["password", "sk_live_", "akia", "eyj", "://", "-us", "private_key", "xoxb-"];

function hits(p: KeywordPrefilter, text: string, bytes?: Uint8Array): string[] {
  const out: string[] = [];
  p.scan(text, (k, s) => out.push(`${p.keywords[k]}@${s}`), bytes);
  return out;
}

describe("KeywordPrefilter", () => {
  const p = new KeywordPrefilter(KEYWORDS);

  it("finds keywords case-insensitively, including at the start and the end of the text", () => {
    expect(hits(p, "eyJhbG")).toEqual(["eyj@0"]);
    expect(hits(p, "x PassWord")).toEqual(["password@2"]);
    expect(hits(p, "https://h")).toEqual(["://@5"]);
    expect(hits(p, "AKIA")).toEqual(["akia@0"]);
    expect(hits(p, "nothing to see here")).toEqual([]);
  });

  it("matches keywords flagged exact-case only with their exact spelling, on strings and on bytes", () => {
    const exact = new KeywordPrefilter(["AKIA", "ghp_", "password"], [true, true, false]);
    for (const text of ["akia Akia AKIA GHP_ ghp_ PASSWORD", `${"z".repeat(256 * 1024 - 2)}AKIAakia`]) {
      const out = hits(exact, text);
      expect(out).toEqual(hits(exact, text, Buffer.from(text, "latin1")));
      expect(out.filter((h) => h.startsWith("akia")).length).toBe(1);
    }
    expect(hits(exact, "akia Akia AKIA GHP_ ghp_ PASSWORD")).toEqual(["akia@10", "ghp_@20", "password@25"]);
  });

  it("finds keywords that straddle the 256 KiB chunk boundary", () => {
    for (const shift of [1, 2, 3, 4, 6]) {
      const text = `${"x".repeat(256 * 1024 - shift)}PRIVATE_KEY sk_live_ eyJ`;
      const at = 256 * 1024 - shift;
      expect(hits(p, text)).toEqual([`private_key@${at}`, `sk_live_@${at + 12}`, `eyj@${at + 21}`]);
    }
  });

  it("gives the same hits from latin1 bytes as from the string, and no folding lookalikes", () => {
    // \u00c1 folds to "a" under (b | 0x20) & 0x7f: a candidate, but not a keyword
    const samples = [
      "\u00c1KIA \u00d0ASSWORD passwor\u00c4 -US- sk_live_x ://",
      `${"y".repeat(256 * 1024 - 2)}xoxb-1 \u00e1kia AKIA`,
      "eyJ",
      "-us",
    ];
    for (const s of samples) {
      const fromString = hits(p, s);
      expect(hits(p, s, Buffer.from(s, "latin1"))).toEqual(fromString);
      expect(fromString.some((h) => h.startsWith("akia@0") || h.startsWith("password@5"))).toBe(false);
    }
    expect(hits(p, samples[0] as string)).toEqual(["-us@23", "sk_live_@28", "://@38"]);
  });

  it("verifies byte candidates exactly as the string path does, also for keywords cut by a chunk edge or the text's ends", () => {
    // the byte path verifies in WebAssembly and hands keywords reaching outside a chunk's copy
    // back to JavaScript; the string path verifies in JavaScript: they must agree everywhere
    const mixed = new KeywordPrefilter(["AKIA", "ghp_", "password", "://", "-us", "private_key", "eyj", "sk_live_"], [true, true, false, false, false, false, false, true]);
    const r = rng(5);
    const words = ["AKIA", "akia", "ghp_", "GHP_", "password", "PassWord", "://", "-US", "PRIVATE_KEY", "eyJ", "sk_live_", "SK_LIVE_"];
    const CHUNK = 256 * 1024;
    for (let t = 0; t < 60; t++) {
      const len = [5, 40, CHUNK - 1, CHUNK, CHUNK + 7, 2 * CHUNK + 3][t % 6] as number;
      const b = Buffer.alloc(len, "z");
      for (let j = 0; j < 8; j++) {
        const w = words[Math.floor(r() * words.length)] as string;
        const edge = [0, CHUNK, 2 * CHUNK, len - w.length][Math.floor(r() * 4)] as number;
        const at = edge + Math.floor(r() * 24) - 12;
        if (at >= 0 && at + w.length <= len) b.write(w, at, "latin1");
      }
      const text = b.toString("latin1");
      expect(hits(mixed, text, b)).toEqual(hits(mixed, text));
    }
  });

  it("finds a case-insensitive keyword in any casing at any alignment (the gate holds every case variant)", () => {
    const casings = [(k: string) => k, (k: string) => k.toUpperCase(), (k: string) => [...k].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch)).join("")];
    for (const kw of KEYWORDS) {
      for (const spell of casings) {
        for (let pad = 0; pad < 4; pad++) {
          const text = `${"~".repeat(pad)}${spell(kw)}~`;
          expect(hits(p, text), `${JSON.stringify(text)}`).toContain(`${kw}@${pad}`);
        }
      }
    }
  });

  it("matches an exact-case keyword at any alignment, and not its other casings", () => {
    const exact = new KeywordPrefilter(["EAAA", "xoxb-", "sk_live_"], [true, true, true]);
    for (let pad = 0; pad < 4; pad++) {
      const pre = "#".repeat(pad);
      expect(hits(exact, `${pre}EAAA ${pre}xoxb- ${pre}sk_live_`).length).toBe(3);
      expect(hits(exact, `${pre}eaaa ${pre}XOXB- ${pre}SK_LIVE_ ${pre}Eaaa`)).toEqual([]);
    }
  });
});
