import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { getAccountDetail, type AccountDetail } from "@/lib/dashboard/accounts";
import { listMembers } from "@/lib/dashboard/findings";
import { isAppError } from "@/lib/errors";
import { AccountActions } from "../../_dashboard/account-actions";
import { SeverityBadge, StatusBadge, TierBadge } from "../../_dashboard/badges";
import { CasePanel } from "../../_dashboard/case-panel";
import { Comments } from "../../_dashboard/comments";
import { fmt } from "../../_dashboard/format";
import { ScanProgress } from "../../_dashboard/scan-progress";
import "../../_dashboard/dashboard.css";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({ params }: { params: Promise<{ orgSlug: string; accountId: string }> }) {
  const { orgSlug, accountId } = await params;
  const g = await guardOrgPage(orgSlug, "accounts.read", `/orgs/${orgSlug}/accounts/${accountId}`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="accounts" />;
  const db = await getDb();
  let d: AccountDetail;
  try {
    d = await getAccountDetail(db, g.ctx, accountId);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const members = can(g.ctx.role, "accounts.offboard") ? await listMembers(db, g.ctx) : [];
  const a = d.account;
  const base = `/orgs/${orgSlug}`;
  const profile = Object.entries(a.profile).filter(([, v]) => v !== null && v !== "" && typeof v !== "object");

  return (
    <>
      <p className="no-print" style={{ margin: 0 }}>
        <Link href={`${base}/accounts`}>← Accounts</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            {a.namespace} <StatusBadge status={a.status} />
          </h1>
          <p className="muted" style={{ margin: 0 }}>
            {a.accountType} · discovered {fmt.date(a.discoveredAt)} · {fmt.int(a.repoCount)} repositories · {fmt.compact(a.pullCount)} pulls
            {a.dismissReason ? ` · dismissed: ${a.dismissReason}` : ""}
            {a.claimedAt ? ` · claimed ${fmt.date(a.claimedAt)}` : ""}
          </p>
        </div>
        <AccountActions
          orgSlug={orgSlug}
          accountId={a.id}
          namespace={a.namespace}
          status={a.status}
          canTriage={can(g.ctx.role, "accounts.triage")}
          canClaim={can(g.ctx.role, "accounts.claim")}
          canOffboard={can(g.ctx.role, "accounts.offboard")}
          members={members.map((m) => ({ userId: m.userId, email: m.email }))}
          currentUserId={g.ctx.userId}
        />
      </div>

      <section className="card" aria-label="Scan">
        <ScanProgress orgSlug={orgSlug} accountId={a.id} scanState={a.scanState} lastScannedAt={a.lastScannedAt?.toISOString() ?? null} />
      </section>

      {d.cases
        .filter((c, i) => i === 0 || c.status === "open" || c.status === "in_progress")
        .map((c) => (
          <CasePanel
            key={c.id}
            orgSlug={orgSlug}
            caseId={c.id}
            status={c.status}
            ownerEmail={c.ownerEmail}
            dueDate={c.dueDate?.toISOString() ?? null}
            checklist={c.checklist}
            canEdit={can(g.ctx.role, "accounts.offboard")}
          />
        ))}

      <div className="two-col">
        <section className="card" aria-labelledby="risk-h">
          <h2 id="risk-h">
            Risk <TierBadge tier={a.tier} risk={a.risk} />
          </h2>
          <RiskParts parts={d.riskParts} />
        </section>
        <section className="card" aria-labelledby="profile-h">
          <h2 id="profile-h">Profile</h2>
          {profile.length ? (
            <dl className="profile">
              {profile.map(([k, v]) => (
                <div key={k} style={{ display: "contents" }}>
                  <dt>{k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase()}</dt>
                  <dd>{String(v)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">No public profile details.</p>
          )}
          <p className="muted" style={{ marginTop: "0.5rem" }}>
            Attribution confidence {fmt.pct(a.confidence)}
          </p>
        </section>
      </div>

      <section className="card" aria-labelledby="evidence-h">
        <h2 id="evidence-h">Evidence: why we think this account is yours</h2>
        {d.evidence.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Evidence</th>
                  <th scope="col">Value</th>
                  <th scope="col">Where</th>
                  <th scope="col" className="num">
                    Weight
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.evidence.map((e, i) => (
                  <tr key={i}>
                    <td>
                      {fmt.label(e.type)}
                      {e.detail ? <div className="muted" style={{ fontSize: "0.8rem" }}>{e.detail}</div> : null}
                    </td>
                    <td className="mono">{e.value}</td>
                    <td>{e.source}</td>
                    <td className="num">{fmt.dec1(e.weight)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No evidence recorded.</p>
        )}
      </section>

      <section className="card" aria-labelledby="findings-h">
        <h2 id="findings-h">
          Findings ({fmt.int(a.openFindings)} open)
          <Link className="export" href={`${base}/findings?accountId=${a.id}`}>
            Triage in the findings list →
          </Link>
        </h2>
        {d.findings.length === 0 ? (
          <p className="muted">No secrets found in this account&apos;s images.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Secret (masked)</th>
                  <th scope="col">Status</th>
                  <th scope="col">Locations</th>
                </tr>
              </thead>
              <tbody>
                {d.findings.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <SeverityBadge severity={f.severity} />
                    </td>
                    <td>
                      <div>
                        {f.detector} <span className="muted">({f.provider})</span>
                      </div>
                      <span className="masked">{f.masked}</span>{" "}
                      <span className="muted mono" title="SHA-256 fingerprint prefix">
                        {f.fingerprintPrefix}…
                      </span>
                      <div>
                        {f.liveness === "live" ? <span className="badge danger">live</span> : f.liveness === "revoked" ? <span className="badge ok">key rejected by provider</span> : null}{" "}
                        {f.inLatest ? <span className="badge warn">in latest tag</span> : null}{" "}
                        {f.deletedOnly ? <span className="badge">only in history</span> : null}
                      </div>
                    </td>
                    <td>
                      <StatusBadge status={f.status} />
                      {f.statusReason ? <div className="muted" style={{ fontSize: "0.8rem" }}>{f.statusReason}</div> : null}
                    </td>
                    <td>
                      <details className="locations">
                        <summary>
                          {fmt.int(f.locationCount || f.locations.length)} location{(f.locationCount || f.locations.length) === 1 ? "" : "s"}
                        </summary>
                        <ul>
                          {f.locations.map((l) => (
                            <li key={l.id}>
                              <span className="mono">
                                {l.repository}:{l.tag ?? "—"}
                              </span>{" "}
                              · {l.platform} · {l.source}
                              {l.path ? (
                                <>
                                  {" "}
                                  · <span className="mono">{l.path}{l.line ? `:${l.line}` : ""}</span>
                                </>
                              ) : null}
                              {l.layerDigest ? <span className="muted mono"> · layer {l.layerDigest.slice(7, 19)}</span> : null}{" "}
                              {l.deleted ? <span className="badge warn">deleted in a later layer</span> : null}
                            </li>
                          ))}
                        </ul>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {d.findingsTruncated ? (
          <p className="muted">
            Showing the first {fmt.int(d.findings.length)}. <Link href={`${base}/findings?accountId=${a.id}`}>See all findings of this account</Link>.
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="repos-h">
        <h2 id="repos-h">Repositories and images</h2>
        {d.repositories.length === 0 ? (
          <p className="muted">No repositories listed yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Repository</th>
                  <th scope="col">Tag</th>
                  <th scope="col">Digest</th>
                  <th scope="col">Pushed</th>
                  <th scope="col">Scan</th>
                </tr>
              </thead>
              <tbody>
                {d.repositories.flatMap((r) =>
                  (r.images.length ? r.images : [null]).map((i, idx) => (
                    <tr key={`${r.id}-${i?.id ?? "none"}`}>
                      {idx === 0 ? (
                        <td rowSpan={Math.max(1, r.images.length)}>
                          <strong>{r.name}</strong>
                          <div className="muted" style={{ fontSize: "0.8rem" }}>
                            {fmt.compact(r.pullCount)} pulls
                          </div>
                        </td>
                      ) : null}
                      {i ? (
                        <>
                          <td className="mono">
                            {i.tag} {i.isLatest ? <span className="badge">latest</span> : null}
                          </td>
                          <td className="mono muted">{i.digest ? `${i.digest.slice(0, 19)}…` : "—"}</td>
                          <td>{fmt.date(i.pushedAt)}</td>
                          <td>
                            <StatusBadge status={i.scanState} />
                            {i.scanError ? <div className="field-error">{i.scanError}</div> : null}
                          </td>
                        </>
                      ) : (
                        <td colSpan={4} className="muted">
                          No tags resolved yet
                        </td>
                      )}
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="two-col">
        <section className="card" aria-labelledby="timeline-h">
          <h2 id="timeline-h">Timeline</h2>
          <ol className="timeline">
            {d.timeline.map((t, i) => (
              <li key={i}>
                <time dateTime={t.at.toISOString()}>{fmt.dateTime(t.at)}</time>
                <div>
                  <strong>{timelineLabel(t.action)}</strong>
                  {t.actor ? <span className="muted"> by {t.actor}</span> : null}
                </div>
                {t.detail ? <div className="muted" style={{ whiteSpace: "pre-wrap" }}>{t.detail}</div> : null}
              </li>
            ))}
          </ol>
        </section>
        <section className="card" aria-labelledby="comments-h">
          <h2 id="comments-h">Comments</h2>
          <Comments orgSlug={orgSlug} targetType="account" targetId={a.id} canWrite={can(g.ctx.role, "comments.write")} currentEmail={g.ctx.userEmail} />
        </section>
      </div>
    </>
  );
}

const LABELS: Record<string, string> = {
  discovered: "Discovered",
  "last scanned": "Scanned",
  comment: "Comment",
  "account.confirm": "Confirmed as shadow",
  "account.dismiss": "Dismissed",
  "account.claim": "Claimed as sanctioned",
  "case.open": "Offboarding case opened",
  "case.step": "Checklist step",
  "case.update": "Case updated",
  "case.rescan_requested": "Rescan requested",
  "case.rescan_verified": "Rescan checked",
  "case.done": "Offboarding case closed",
  "case.cancelled": "Offboarding case cancelled",
  "account.offboarded": "Offboarded",
  "account.offboarding_cancelled": "Offboarding cancelled",
};

function timelineLabel(action: string): string {
  return LABELS[action] ?? action.replace(/[._]/g, " ");
}

interface PartLike {
  key?: string;
  label?: string;
  value?: number;
  detail?: string;
}

function isPart(v: unknown): v is PartLike {
  return typeof v === "object" && v !== null && "label" in v && "value" in v;
}

function RiskParts({ parts }: { parts: Record<string, unknown> }) {
  const main = Object.values(parts).filter(isPart);
  const extra = Object.values(parts).find((v) => Array.isArray(v) && v.every(isPart)) as PartLike[] | undefined;
  const formula = typeof parts.formula === "string" ? parts.formula : null;
  if (!main.length) return <p className="muted">Risk has not been computed yet (it is computed after a scan).</p>;
  return (
    <>
      <dl className="profile">
        {main.map((p, i) => (
          <div key={p.key ?? i} style={{ display: "contents" }}>
            <dt>{p.label}</dt>
            <dd>
              <strong>{fmt.dec1(Number(p.value))}</strong> <span className="muted">{p.detail}</span>
            </dd>
          </div>
        ))}
        {extra?.map((p, i) => (
          <div key={`x${i}`} style={{ display: "contents" }}>
            <dt className="muted">· {p.label}</dt>
            <dd>
              {fmt.dec1(Number(p.value))} <span className="muted">{p.detail}</span>
            </dd>
          </div>
        ))}
      </dl>
      {formula ? <p className="muted mono" style={{ marginTop: "0.5rem" }}>{formula}</p> : null}
    </>
  );
}
