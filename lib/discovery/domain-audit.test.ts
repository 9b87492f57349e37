import { describe, expect, it } from "vitest";
import { parseCsv, parseDomainAudit } from "./domain-audit";

describe("parseCsv (RFC 4180)", () => {
  it("handles quotes, escaped quotes, commas and newlines inside quotes, CRLF and a BOM", () => {
    const text = '\uFEFFa,b,c\r\n"x, y","he said ""hi""","multi\nline"\r\n\r\nlast,,\n';
    expect(parseCsv(text)).toEqual([
      { row: 1, fields: ["a", "b", "c"] },
      { row: 2, fields: ["x, y", 'he said "hi"', "multi\nline"] },
      { row: 4, fields: ["last", "", ""] },
    ]);
  });
  it("accepts a final record without a newline and rejects unclosed quotes", () => {
    expect(parseCsv("a,b\n1,2")).toEqual([
      { row: 1, fields: ["a", "b"] },
      { row: 2, fields: ["1", "2"] },
    ]);
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/not closed/);
    expect(() => parseCsv('a,b\n"1"x,2\n')).toThrow(/after a closing quote/);
  });
});

describe("parseDomainAudit", () => {
  it("parses Docker's export with tolerant headers", () => {
    const csv = [
      '"Username","Name","Email","Date joined"',
      'jdoe-acme,"Doe, Jane",Jane.Doe@Acme-Rockets.com,2023-04-01 10:00:00',
      "rocketbuilder,,ci@acme-rockets.com,",
    ].join("\n");
    const r = parseDomainAudit(csv);
    expect(r.issues).toEqual([]);
    expect(r.rows).toEqual([
      { username: "jdoe-acme", name: "Doe, Jane", email: "jane.doe@acme-rockets.com", dateJoined: new Date("2023-04-01 10:00:00").toISOString() },
      { username: "rocketbuilder", name: null, email: "ci@acme-rockets.com", dateJoined: null },
    ]);
    const alt = parseDomainAudit("DOCKER_ID,e-mail,joined\nabc1,a@b.io,not a date\n");
    expect(alt.rows).toEqual([{ username: "abc1", name: null, email: "a@b.io", dateJoined: null }]);
    expect(alt.issues).toEqual([{ row: 2, field: "dateJoined", level: "warning", message: '"not a date" is not a date; kept the row without it' }]);
  });
  it("gives one clear error per bad row and keeps the good ones", () => {
    const csv = ["Username,Email", ",x@acme.com", "Bad Name!,y@acme.com", "okuser,not-an-email", "okuser2,", "okuser3,z@acme.com", "okuser3,z2@acme.com"].join("\n");
    const r = parseDomainAudit(csv);
    expect(r.rows.map((x) => x.username)).toEqual(["okuser3"]);
    expect(r.issues.map((i) => [i.row, i.field, i.level])).toEqual([
      [2, "username", "error"],
      [3, "username", "error"],
      [4, "email", "error"],
      [5, "email", "error"],
      [7, "username", "warning"],
    ]);
    expect(r.issues[0]!.message).toBe("username is empty");
    expect(r.issues[2]!.message).toBe('"not-an-email" is not an email address');
  });
  it("reports missing columns and empty or broken files", () => {
    expect(parseDomainAudit("Name,Date joined\nJane,2023-01-01\n").issues.map((i) => i.field)).toEqual(["username", "email"]);
    expect(parseDomainAudit("").issues[0]!.message).toBe("the file is empty");
    expect(parseDomainAudit('Username,Email\n"broken,x\n').issues[0]!.message).toMatch(/not closed/);
  });
});
