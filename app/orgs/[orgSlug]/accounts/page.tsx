import type { Metadata } from "next";
import Link from "next/link";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { listAccounts } from "@/lib/dashboard/accounts";
import { AccountListQuery, paramsToObject, toSearch } from "@/lib/dashboard/query";
import { ACCOUNT_STATUSES, RISK_TIERS } from "@/lib/dashboard/tiers";
import { AccountsTable } from "../_dashboard/accounts-table";
import { fmt } from "../_dashboard/format";
import { InvalidFilters, Pager, SortHeader } from "../_dashboard/table-bits";
import "../_dashboard/dashboard.css";

export const metadata: Metadata = { title: "Accounts" };

type Search = Record<string, string | string[] | undefined>;

export default async function AccountsPage({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<Search> }) {
  const { orgSlug } = await params;
  const sp = await searchParams;
  const g = await guardOrgPage(orgSlug, "accounts.read", `/orgs/${orgSlug}/accounts`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="accounts" />;
  const base = `/orgs/${orgSlug}/accounts`;
  const parsed = AccountListQuery.safeParse(paramsToObject(sp));
  const q = parsed.success ? parsed.data : AccountListQuery.parse({});
  const page = await listAccounts(await getDb(), g.ctx, q);
  const filtered = Object.keys(sp).some((k) => !["sort", "dir", "page", "pageSize"].includes(k));
  const exportHref = `/api/v1/orgs/${orgSlug}/accounts/export${toSearch(paramsToObject(sp) as never)}`;
  const sh = (field: string, label: string, defaultDir: "asc" | "desc" = "desc", className?: string) => (
    <SortHeader base={base} search={sp} field={field} label={label} sort={q.sort} dir={q.dir} defaultDir={defaultDir} className={className} />
  );

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Accounts</h1>
          <p className="muted" style={{ margin: 0 }}>
            Docker Hub accounts attributed to your organisation, with the evidence and the risk behind each.
          </p>
        </div>
        <div className="actions no-print">
          <a className="button secondary" href={exportHref} download>
            Export CSV
          </a>
        </div>
      </div>
      <InvalidFilters issues={parsed.success ? undefined : parsed.error.issues} />

      <form method="get" className="filters no-print" aria-label="Filter accounts">
        <label>
          Search
          <input type="search" name="q" defaultValue={q.q ?? ""} placeholder="namespace" />
        </label>
        <label>
          Status
          <select name="status" multiple defaultValue={q.status ?? []} size={4}>
            {ACCOUNT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {fmt.label(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Risk tier
          <select name="tier" multiple defaultValue={q.tier ?? []} size={4}>
            {RISK_TIERS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Min. confidence
          <select name="confidenceMin" defaultValue={q.confidenceMin?.toString() ?? ""}>
            <option value="">any</option>
            {[0.3, 0.5, 0.7, 0.9].map((c) => (
              <option key={c} value={c}>
                ≥ {fmt.pct(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Pushed since
          <input type="date" name="pushedSince" defaultValue={q.pushedSince ? q.pushedSince.toISOString().slice(0, 10) : ""} />
        </label>
        <label>
          Min. pulls
          <input type="number" name="pullsMin" min={0} defaultValue={q.pullsMin ?? ""} style={{ width: "7rem" }} />
        </label>
        <input type="hidden" name="sort" value={q.sort} />
        <input type="hidden" name="dir" value={q.dir} />
        <button type="submit">Apply</button>
        {filtered ? (
          <Link className="button secondary" href={base}>
            Clear
          </Link>
        ) : null}
      </form>

      {page.total === 0 ? (
        <div className="empty">
          {filtered ? (
            <p>
              <strong>No account matches these filters.</strong> <Link href={base}>Clear the filters</Link>.
            </p>
          ) : (
            <p>
              <strong>No Docker Hub accounts yet.</strong> Accounts appear after discovery searches Docker Hub for your organisation&apos;s names.
              Register your identity in <Link href={`/orgs/${orgSlug}/settings`}>Settings</Link> and run discovery from{" "}
              <Link href={`/orgs/${orgSlug}/jobs`}>Jobs</Link>.
            </p>
          )}
        </div>
      ) : (
        <>
          <AccountsTable
            orgSlug={orgSlug}
            canTriage={can(g.ctx.role, "accounts.triage")}
            rows={page.items.map((a) => ({
              id: a.id,
              namespace: a.namespace,
              accountType: a.accountType,
              status: a.status,
              confidence: a.confidence,
              risk: a.risk,
              tier: a.tier,
              pullCount: a.pullCount,
              lastPushAt: a.lastPushAt?.toISOString() ?? null,
              discoveredAt: a.discoveredAt.toISOString(),
              openFindings: a.openFindings,
              criticalFindings: a.criticalFindings,
              scanState: a.scanState,
            }))}
            headers={
              <>
                {sh("namespace", "Account", "asc")}
                {sh("status", "Status", "asc")}
                {sh("risk", "Risk", "desc", "num")}
                {sh("confidence", "Confidence", "desc", "num")}
                <th scope="col" className="num">
                  Open findings
                </th>
                {sh("pullCount", "Pulls", "desc", "num")}
                {sh("lastPushAt", "Last push")}
                {sh("discoveredAt", "Discovered")}
              </>
            }
          />
          <Pager base={base} search={sp} page={page.page} pageCount={page.pageCount} total={page.total} pageSize={page.pageSize} />
        </>
      )}
    </>
  );
}
