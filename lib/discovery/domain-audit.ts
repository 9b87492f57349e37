// Docker Business "domain audit" CSV export → validated rows. Every user in it signed up with
// the company's verified email domain, so a matching namespace is the strongest evidence.
// RFC 4180 parsing (quoted fields, "" escapes, commas and newlines inside quotes, CRLF or LF),
// tolerant headers, and one clear message per bad row (row number, field, message).
import type { DomainAuditRow } from "./types";

export const MAX_AUDIT_BYTES = 10 * 1024 * 1024;
export const MAX_AUDIT_ROWS = 100_000;

export interface AuditIssue {
  /** 1-based record number in the file (the header is row 1) */
  row: number;
  field: string;
  message: string;
  level: "error" | "warning";
}

export interface DomainAuditParse {
  rows: DomainAuditRow[];
  issues: AuditIssue[];
  /** header → field mapping used, for the import summary */
  columns: Record<string, string>;
}

export class CsvSyntaxError extends Error {}

/** RFC 4180 records. Returns each record with the 1-based record number. */
export function parseCsv(text: string, maxRecords = MAX_AUDIT_ROWS + 1): Array<{ row: number; fields: string[] }> {
  const out: Array<{ row: number; fields: string[] }> = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM from spreadsheet exports
  let field = "";
  let fields: string[] = [];
  let row = 1;
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    // a blank line is not a record
    if (!(fields.length === 1 && fields[0] === "")) {
      out.push({ row, fields });
      if (out.length > maxRecords) throw new CsvSyntaxError(`more than ${maxRecords - 1} rows; split the file`);
    }
    row++;
    fields = [];
    field = "";
    fieldStarted = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        // after a closing quote only a delimiter or line end may follow
        const n = text[i];
        if (n !== undefined && n !== "," && n !== "\n" && n !== "\r") {
          throw new CsvSyntaxError(`row ${row}: unexpected text after a closing quote`);
        }
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      fieldStarted = false;
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    field += c;
    fieldStarted = true;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(`row ${row}: a quoted field is not closed`);
  if (field !== "" || fields.length > 0) endRecord();
  return out;
}

const HEADER_ALIASES: Record<keyof DomainAuditRow, string[]> = {
  username: ["username", "user name", "docker id", "dockerid", "docker username", "user", "login", "namespace", "docker hub username"],
  name: ["name", "full name", "fullname", "display name"],
  email: ["email", "e mail", "email address", "mail", "user email"],
  dateJoined: ["date joined", "datejoined", "joined", "join date", "joined at", "created", "created at", "date created", "signup date", "sign up date"],
};

const normHeader = (h: string) => h.trim().toLowerCase().replace(/[_\-\s]+/g, " ");

const USERNAME_RE = /^[a-z0-9][a-z0-9_.-]{1,254}$/;
const EMAIL_RE = /^[^\s@"<>,;]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,63}$/i;

export function parseDomainAudit(csv: string): DomainAuditParse {
  const issues: AuditIssue[] = [];
  if (csv.length > MAX_AUDIT_BYTES) {
    return { rows: [], columns: {}, issues: [{ row: 0, field: "(file)", level: "error", message: `file is larger than ${MAX_AUDIT_BYTES / 1024 / 1024} MB` }] };
  }
  let records: Array<{ row: number; fields: string[] }>;
  try {
    records = parseCsv(csv);
  } catch (e) {
    return { rows: [], columns: {}, issues: [{ row: 0, field: "(file)", level: "error", message: e instanceof Error ? e.message : String(e) }] };
  }
  const header = records.shift();
  if (!header) return { rows: [], columns: {}, issues: [{ row: 1, field: "(header)", level: "error", message: "the file is empty" }] };
  const idx: Partial<Record<keyof DomainAuditRow, number>> = {};
  const columns: Record<string, string> = {};
  header.fields.forEach((h, i) => {
    const n = normHeader(h);
    for (const [key, aliases] of Object.entries(HEADER_ALIASES) as Array<[keyof DomainAuditRow, string[]]>) {
      if (idx[key] === undefined && aliases.includes(n)) {
        idx[key] = i;
        columns[h.trim()] = key;
      }
    }
  });
  const missing = (["username", "email"] as const).filter((k) => idx[k] === undefined);
  if (missing.length) {
    return {
      rows: [],
      columns,
      issues: missing.map((k) => ({
        row: header.row,
        field: k,
        level: "error" as const,
        message: `no "${k === "username" ? "Username" : "Email"}" column (found: ${header.fields.map((f) => `"${f.trim()}"`).join(", ")})`,
      })),
    };
  }
  const rows: DomainAuditRow[] = [];
  const seen = new Set<string>();
  for (const rec of records) {
    const get = (k: keyof DomainAuditRow) => (idx[k] === undefined ? "" : (rec.fields[idx[k]!] ?? "").trim());
    const username = get("username").toLowerCase();
    const email = get("email").toLowerCase();
    let bad = false;
    if (rec.fields.length !== header.fields.length) {
      issues.push({ row: rec.row, field: "(row)", level: "warning", message: `has ${rec.fields.length} fields, the header has ${header.fields.length}` });
    }
    if (!username) {
      issues.push({ row: rec.row, field: "username", level: "error", message: "username is empty" });
      bad = true;
    } else if (!USERNAME_RE.test(username)) {
      issues.push({ row: rec.row, field: "username", level: "error", message: `"${username.slice(0, 60)}" is not a Docker Hub username` });
      bad = true;
    }
    if (!email) {
      issues.push({ row: rec.row, field: "email", level: "error", message: "email is empty" });
      bad = true;
    } else if (email.length > 254 || !EMAIL_RE.test(email)) {
      issues.push({ row: rec.row, field: "email", level: "error", message: `"${email.slice(0, 80)}" is not an email address` });
      bad = true;
    }
    let dateJoined: string | null = null;
    const rawDate = get("dateJoined");
    if (rawDate) {
      const t = Date.parse(rawDate);
      if (Number.isNaN(t)) {
        issues.push({ row: rec.row, field: "dateJoined", level: "warning", message: `"${rawDate.slice(0, 40)}" is not a date; kept the row without it` });
      } else {
        dateJoined = new Date(t).toISOString();
      }
    }
    if (bad) continue;
    if (seen.has(username)) {
      issues.push({ row: rec.row, field: "username", level: "warning", message: `${username} appears more than once; the first row is kept` });
      continue;
    }
    seen.add(username);
    const name = get("name");
    rows.push({ username, email, name: name ? name.slice(0, 200) : null, dateJoined });
  }
  return { rows, issues, columns };
}

export function formatAuditIssues(issues: AuditIssue[]): string[] {
  return issues.map((i) => `${i.level} row ${i.row}, ${i.field}: ${i.message}`);
}
