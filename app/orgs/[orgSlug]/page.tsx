import type { Metadata } from "next";
import Link from "next/link";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { getDb } from "@/lib/db/client";
import { getOverview, type Figure, type Overview } from "@/lib/dashboard/overview";
import { OverviewQuery, toSearch } from "@/lib/dashboard/query";
import { isAppError } from "@/lib/errors";
import { TierBadge, SeverityBadge, StatusBadge } from "./_dashboard/badges";
import { LiveRefresh, PrintButton } from "./_dashboard/client-bits";
import { fmt, signatureOf } from "./_dashboard/format";
import { TrendChart } from "./_dashboard/overview-charts";
import "./_dashboard/dashboard.css";

export const metadata: Metadata = { title: "Overview" };

type Search = Record<string, string | string[] | undefined>;

export default async function OverviewPage({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<Search> }) {
  const { orgSlug } = await params;
  const sp = await searchParams;
  const g = await guardOrgPage(orgSlug, "org.read", `/orgs/${orgSlug}`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="the overview" />;
  const base = `/orgs/${orgSlug}`;
  const parsed = OverviewQuery.safeParse({ from: one(sp.from), to: one(sp.to) });
  const range = parsed.success ? parsed.data : {};
  let o: Overview;
  try {
    o = await getOverview(await getDb(), g.ctx, range);
  } catch (e) {
    if (isAppError(e)) return <p className="alert error">{e.message}</p>;
    throw e;
  }
  const print = one(sp.print) === "1";
  const link = (f: Figure) => `${base}/${f.list}${toSearch(f.filter)}`;
  const rangeQs = toSearch({ from: one(sp.from), to: one(sp.to) });
  const exportHref = (table: string) => `/api/v1/orgs/${orgSlug}/overview/export${toSearch({ table, from: one(sp.from), to: one(sp.to) })}`;
  const maxSev = Math.max(1, ...o.openBySeverity.map((s) => s.value));
  const maxProv = Math.max(1, ...o.openByProvider.map((s) => s.value));
  const maxTier = Math.max(1, ...o.shadowByTier.map((s) => s.value));
  const delta = o.exposure.score !== null && o.exposure.previous !== null ? o.exposure.score - o.exposure.previous : null;
  const empty = o.openTotal.value === 0 && o.shadowTotal.value === 0 && o.topAccounts.length === 0 && o.toReview.value === 0;

  return (
    <div className={print ? "print-mode" : undefined}>
      {print ? <style>{`.sidebar,.no-print{display:none!important}.shell{display:block}`}</style> : null}
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted" style={{ margin: 0 }}>
            {fmt.date(o.range.from)} – {fmt.date(o.range.to)}
            <span className="print-only">Exposure report for {orgSlug}, printed {fmt.dateTime(new Date())}</span>
          </p>
        </div>
        <div className="actions no-print">
          <form className="actions" method="get" aria-label="Date range">
            <label>
              From
              <input type="date" name="from" defaultValue={dateInput(o.range.from)} />
            </label>
            <label>
              To
              <input type="date" name="to" defaultValue={dateInput(o.range.to)} />
            </label>
            <button type="submit" className="secondary">
              Apply
            </button>
          </form>
          {print ? (
            <>
              <PrintButton />
              <Link className="button secondary" href={`${base}${rangeQs}`}>
                Back to dashboard
              </Link>
            </>
          ) : (
            <Link className="button secondary" href={`${base}${toSearch({ from: one(sp.from), to: one(sp.to), print: "1" })}`}>
              Board report view
            </Link>
          )}
          <LiveRefresh queryKey={[orgSlug, "overview", rangeQs]} url={`/api/v1/orgs/${orgSlug}/overview${rangeQs}`} signature={signatureOf(o as never)} />
        </div>
      </div>
      {!parsed.success ? <p className="alert error">The date range is invalid ({parsed.error.issues[0]?.message}); showing the last 30 days.</p> : null}

      {empty ? (
        <section className="card" aria-labelledby="next-steps">
          <h2 id="next-steps">Nothing to report yet</h2>
          <p className="muted">
            No shadow accounts or open findings so far. Register your organisation&apos;s identity in{" "}
            <Link href={`${base}/settings`}>Settings</Link>, then run discovery from the <Link href={`${base}/jobs`}>Jobs</Link> page; accounts and
            findings appear here as scans complete.
          </p>
        </section>
      ) : null}

      <section className="kpis" aria-label="Key figures">
        <div className="kpi">
          <div className="label">Exposure score (0–100)</div>
          <div className="value" data-testid="exposure-score">
            {o.exposure.score === null ? "—" : fmt.int(o.exposure.score)}
          </div>
          <div className="sub">
            {delta === null ? (o.exposure.asOf === "now" ? "computed now" : "no earlier snapshot") : `${delta > 0 ? "▲" : delta < 0 ? "▼" : "="} ${fmt.int(Math.abs(delta))} since the previous day`}
          </div>
        </div>
        <Kpi label="Shadow accounts" f={o.shadowTotal} href={link(o.shadowTotal)} sub={`${fmt.int(o.toReview.value)} more to review`} subHref={link(o.toReview)} />
        <Kpi label="Open findings" f={o.openTotal} href={link(o.openTotal)} sub={`${fmt.int(o.openBySeverity[0]?.value ?? 0)} critical`} subHref={link(o.openBySeverity[0]!)} />
        <Kpi label="Secrets confirmed live" f={o.secrets.live} href={link(o.secrets.live)} sub={`${fmt.int(o.secrets.revoked.value)} revoked`} subHref={link(o.secrets.revoked)} />
        <div className="kpi">
          <div className="label">Mean time to remediate</div>
          <div className="value">{fmt.hours(o.mttr.hours)}</div>
          <div className="sub">
            over <Link href={link(o.mttr.resolved)}>{fmt.int(o.mttr.resolved.value)} revoked</Link> in range
          </div>
        </div>
        <div className="kpi">
          <div className="label">New this week</div>
          <div className="value">
            <Link className="value" href={link(o.newThisWeek.accounts)}>
              {fmt.int(o.newThisWeek.accounts.value)}
            </Link>
          </div>
          <div className="sub">
            accounts ·{" "}
            <Link href={link(o.newThisWeek.findings)}>{fmt.int(o.newThisWeek.findings.value)} findings</Link>
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="trend-h">
        <h2 id="trend-h">
          Exposure trend
          <a className="export no-print" href={exportHref("trend")} download>
            Export CSV
          </a>
        </h2>
        <TrendChart rows={o.trend.map((t) => ({ day: t.day, score: t.score, openCritical: t.openCritical, liveSecrets: t.liveSecrets }))} />
        {Array.isArray(o.exposure.parts) && o.exposure.parts.length ? (
          <p className="muted" style={{ marginTop: "0.5rem" }}>
            Score parts:{" "}
            {(o.exposure.parts as Array<{ key: string; label: string; value: number; detail: string }>).map((p, i) => (
              <span key={p.key}>
                {i ? " · " : ""}
                {p.label} {fmt.int(p.value)} ({p.detail})
              </span>
            ))}
          </p>
        ) : null}
      </section>

      <div className="two-col">
        <section className="card" aria-labelledby="tier-h">
          <h2 id="tier-h">
            Shadow accounts by risk tier
            <a className="export no-print" href={exportHref("shadow-by-tier")} download>
              Export CSV
            </a>
          </h2>
          <Bars rows={o.shadowByTier.map((t) => ({ key: t.tier, label: <TierBadge tier={t.tier} />, f: t }))} max={maxTier} link={link} />
        </section>
        <section className="card" aria-labelledby="sev-h">
          <h2 id="sev-h">
            Open findings by severity
            <a className="export no-print" href={exportHref("open-by-severity")} download>
              Export CSV
            </a>
          </h2>
          <Bars rows={o.openBySeverity.map((t) => ({ key: t.severity, label: <SeverityBadge severity={t.severity} />, f: t }))} max={maxSev} link={link} />
        </section>
        <section className="card" aria-labelledby="prov-h">
          <h2 id="prov-h">
            Open findings by provider
            <a className="export no-print" href={exportHref("open-by-provider")} download>
              Export CSV
            </a>
          </h2>
          {o.openByProvider.length ? (
            <Bars rows={o.openByProvider.map((t) => ({ key: t.provider, label: t.provider, f: t }))} max={maxProv} link={link} />
          ) : (
            <p className="empty">No open findings.</p>
          )}
        </section>
        <section className="card" aria-labelledby="secrets-h">
          <h2 id="secrets-h">
            Secrets: still live vs revoked
            <a className="export no-print" href={exportHref("secrets")} download>
              Export CSV
            </a>
          </h2>
          <Bars
            rows={[
              { key: "live", label: "Confirmed live", f: o.secrets.live },
              { key: "rejected", label: "Open, key rejected by provider", f: o.secrets.rejected },
              { key: "unverified", label: "Open, unverified", f: o.secrets.unverified },
              { key: "revoked", label: "Revoked", f: o.secrets.revoked },
            ]}
            max={Math.max(1, o.secrets.live.value, o.secrets.rejected.value, o.secrets.unverified.value, o.secrets.revoked.value)}
            link={link}
          />
        </section>
      </div>

      <section className="card" aria-labelledby="top-h">
        <h2 id="top-h">
          Top 10 riskiest accounts
          <a className="export no-print" href={exportHref("top-accounts")} download data-testid="export-top-accounts">
            Export CSV
          </a>
        </h2>
        {o.topAccounts.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Risk
                  </th>
                  <th scope="col" className="num">
                    Open findings
                  </th>
                  <th scope="col" className="num">
                    Critical
                  </th>
                  <th scope="col" className="num">
                    Pulls
                  </th>
                  <th scope="col">Last push</th>
                </tr>
              </thead>
              <tbody>
                {o.topAccounts.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link href={`${base}/accounts/${a.id}`}>{a.namespace}</Link>
                    </td>
                    <td>
                      <StatusBadge status={a.status} />
                    </td>
                    <td className="num">{fmt.int(a.risk)}</td>
                    <td className="num">
                      <Link href={`${base}/findings${toSearch({ accountId: a.id, status: ["open"] })}`}>{fmt.int(a.openFindings)}</Link>
                    </td>
                    <td className="num">{fmt.int(a.criticalFindings)}</td>
                    <td className="num">{fmt.compact(a.pullCount)}</td>
                    <td>{fmt.date(a.lastPushAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="empty">No account carries risk yet.</p>
        )}
      </section>
    </div>
  );
}

function Kpi({ label, f, href, sub, subHref }: { label: string; f: Figure; href: string; sub: string; subHref: string }) {
  return (
    <div className="kpi">
      <div className="label">{label}</div>
      <Link className="value" href={href} aria-label={`${label}: ${fmt.int(f.value)} — open the list`}>
        {fmt.int(f.value)}
      </Link>
      <div className="sub">
        <Link href={subHref}>{sub}</Link>
      </div>
    </div>
  );
}

function Bars({ rows, max, link }: { rows: Array<{ key: string; label: React.ReactNode; f: Figure }>; max: number; link: (f: Figure) => string }) {
  return (
    <ul className="bars">
      {rows.map((r) => (
        <li key={r.key}>
          <span>{r.label}</span>
          <span className="bar" aria-hidden="true">
            <span style={{ width: `${Math.round((r.f.value / max) * 100)}%` }} />
          </span>
          <Link className="n" href={link(r.f)}>
            {fmt.int(r.f.value)}
          </Link>
        </li>
      ))}
    </ul>
  );
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function dateInput(d: Date): string {
  return d.toISOString().slice(0, 10);
}
