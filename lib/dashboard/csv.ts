// CSV export for dashboard tables (RFC 4180 quoting). Cells that a spreadsheet would evaluate as
// a formula (= + - @, tab, carriage return) get a leading apostrophe: account names and paths
// come from public images, i.e. from attackers.
export type CsvCell = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  // Plain numbers (including negative ones we produce ourselves) are not formulas.
  if (typeof value !== "number" && FORMULA_START.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(",")];
  for (const r of rows) lines.push(r.map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function csvFilename(base: string, now = new Date()): string {
  const safe = base.replace(/[^a-z0-9-]+/gi, "-").toLowerCase();
  return `${safe}-${now.toISOString().slice(0, 10)}.csv`;
}

/** A text/csv download response (route handlers). */
export function csvResponse(filenameBase: string, header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): Response {
  return new Response(toCsv(header, rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFilename(filenameBase)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
