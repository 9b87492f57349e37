import type { Metadata } from "next";
import Link from "next/link";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { findingFacets, listFindings, listMembers } from "@/lib/dashboard/findings";
import { FindingListQuery, paramsToObject, toSearch } from "@/lib/dashboard/query";
import { FINDING_STATUSES, SEVERITIES } from "@/lib/dashboard/tiers";
import { fmt } from "../_dashboard/format";
import { FindingsView } from "../_dashboard/findings-view";
import { InvalidFilters, Pager, SortHeader } from "../_dashboard/table-bits";
import "../_dashboard/dashboard.css";

export const metadata: Metadata = { title: "Findings" };

type Search = Record<string, string | string[] | undefined>;

export default async function FindingsPage({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<Search> }) {
  const { orgSlug } = await params;
  const sp = await searchParams;
  const g = await guardOrgPage(orgSlug, "findings.read", `/orgs/${orgSlug}/findings`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="findings" />;
  const base = `/orgs/${orgSlug}/findings`;
  const raw = paramsToObject(sp);
  const parsed = FindingListQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : FindingListQuery.parse({});
  const db = await getDb();
  const [page, facets, members] = await Promise.all([listFindings(db, g.ctx, q), findingFacets(db, g.ctx), listMembers(db, g.ctx)]);
  const search = parsed.success ? new URLSearchParams(raw as Record<string, string>).toString() : "";
  const filtered = Object.keys(sp).some((k) => !["sort", "dir", "page", "pageSize"].includes(k));
  const dir = q.dir ?? (q.sort === "severity" ? "asc" : "desc");
  const sh = (field: string, label: string, defaultDir: "asc" | "desc", className?: string) => (
    <SortHeader base={base} search={sp} field={field} label={label} sort={q.sort} dir={dir} defaultDir={defaultDir} className={className} />
  );

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Findings</h1>
          <p className="muted" style={{ margin: 0 }}>
            Secrets found in your accounts&apos; images. Values are never stored: you see a masked preview and a fingerprint prefix.
          </p>
        </div>
        <div className="actions no-print">
          <a className="button secondary" href={`/api/v1/orgs/${orgSlug}/findings/export${toSearch(raw as never)}`} download>
            Export CSV
          </a>
        </div>
      </div>
      <InvalidFilters issues={parsed.success ? undefined : parsed.error.issues} />
      <form method="get" className="filters no-print" aria-label="Filter findings">
        <label>
          Severity
          <select name="severity" multiple size={4} defaultValue={q.severity ?? []}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" multiple size={4} defaultValue={q.status ?? []}>
            {FINDING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {fmt.label(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Detector
          <select name="detector" defaultValue={q.detector ?? ""}>
            <option value="">any</option>
            {facets.detectors.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Provider
          <select name="provider" defaultValue={q.provider ?? ""}>
            <option value="">any</option>
            {facets.providers.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Deleted in history
          <select name="deleted" defaultValue={q.deleted === undefined ? "" : String(q.deleted)}>
            <option value="">any</option>
            <option value="true">only in history</option>
            <option value="false">still present</option>
          </select>
        </label>
        <label>
          Assignee
          <select name="assignee" defaultValue={q.assignee ?? ""}>
            <option value="">anyone</option>
            <option value="me">me</option>
            <option value="none">unassigned</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.email}
              </option>
            ))}
          </select>
        </label>
        {q.accountId ? <input type="hidden" name="accountId" value={q.accountId} /> : null}
        {q.liveness ? <input type="hidden" name="liveness" value={q.liveness.join(",")} /> : null}
        {q.firstSeenSince ? <input type="hidden" name="firstSeenSince" value={q.firstSeenSince.toISOString()} /> : null}
        {q.resolvedSince ? <input type="hidden" name="resolvedSince" value={q.resolvedSince.toISOString()} /> : null}
        <input type="hidden" name="sort" value={q.sort} />
        <button type="submit">Apply</button>
        {filtered ? (
          <Link className="button secondary" href={base}>
            Clear
          </Link>
        ) : null}
      </form>
      {q.accountId || q.liveness || q.firstSeenSince || q.resolvedSince ? (
        <p className="muted">
          Also filtered by {[q.accountId ? "account" : null, q.liveness ? `liveness (${q.liveness.join(", ")})` : null, q.firstSeenSince ? `first seen since ${fmt.date(q.firstSeenSince)}` : null, q.resolvedSince ? `resolved since ${fmt.date(q.resolvedSince)}` : null].filter(Boolean).join(", ")}
          .
        </p>
      ) : null}
      {page.total === 0 ? (
        <div className="empty">
          {filtered ? (
            <p>
              <strong>No finding matches these filters.</strong> <Link href={base}>Clear the filters</Link>.
            </p>
          ) : (
            <p>
              <strong>No findings yet.</strong> Secrets appear here once scans of your accounts&apos; images complete (see <Link href={`/orgs/${orgSlug}/jobs`}>Jobs</Link>).
            </p>
          )}
        </div>
      ) : (
        <>
          <FindingsView
            orgSlug={orgSlug}
            search={search}
            canTriage={can(g.ctx.role, "findings.triage")}
            canComment={can(g.ctx.role, "comments.write")}
            currentEmail={g.ctx.userEmail}
            members={members.map((m) => ({ userId: m.userId, email: m.email }))}
            initial={JSON.parse(JSON.stringify(page))}
            headers={
              <>
                {sh("severity", "Severity", "asc")}
                <th scope="col">Secret</th>
                <th scope="col">Account</th>
                <th scope="col">Status</th>
                <th scope="col">Assignee</th>
                <th scope="col" className="num">
                  Locations
                </th>
                {sh("lastSeenAt", "Last seen", "desc")}
              </>
            }
          />
          <Pager base={base} search={sp} page={page.page} pageCount={page.pageCount} total={page.total} pageSize={page.pageSize} />
        </>
      )}
    </>
  );
}
