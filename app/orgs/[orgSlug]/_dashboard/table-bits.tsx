// Server-rendered table helpers: sortable headers and pagination as plain links (work without JS,
// keyboard-accessible, and keep every filter in the URL so views can be shared and bookmarked).
import Link from "next/link";
import { fmt } from "./format";

type Search = Record<string, string | string[] | undefined>;

export function withParams(base: string, current: Search, changes: Record<string, string | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(current)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
  }
  for (const [k, v] of Object.entries(changes)) {
    sp.delete(k);
    if (v !== undefined && v !== "") sp.set(k, v);
  }
  const s = sp.toString();
  return s ? `${base}?${s}` : base;
}

export function SortHeader(props: {
  base: string;
  search: Search;
  field: string;
  label: string;
  sort: string;
  dir: "asc" | "desc";
  defaultDir?: "asc" | "desc";
  className?: string;
}) {
  const active = props.sort === props.field;
  const next = active ? (props.dir === "asc" ? "desc" : "asc") : (props.defaultDir ?? "desc");
  return (
    <th scope="col" className={props.className} aria-sort={active ? (props.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link href={withParams(props.base, props.search, { sort: props.field, dir: next, page: undefined })}>{props.label}</Link>
    </th>
  );
}

export function Pager({ base, search, page, pageCount, total, pageSize }: { base: string; search: Search; page: number; pageCount: number; total: number; pageSize: number }) {
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pagination">
      <span className="muted">
        {fmt.int(from)}–{fmt.int(to)} of {fmt.int(total)}
      </span>
      <span className="actions">
        {page > 1 ? (
          <Link className="button secondary" href={withParams(base, search, { page: String(page - 1) })} rel="prev">
            ← Previous
          </Link>
        ) : null}
        <span>
          Page {fmt.int(page)} of {fmt.int(pageCount)}
        </span>
        {page < pageCount ? (
          <Link className="button secondary" href={withParams(base, search, { page: String(page + 1) })} rel="next">
            Next →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}

/** The alert shown when some URL filters failed validation and were ignored. */
export function InvalidFilters({ issues }: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> | undefined }) {
  if (!issues?.length) return null;
  return (
    <p className="alert error" role="alert">
      Some filters were invalid and were ignored: {issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; ")}
    </p>
  );
}
