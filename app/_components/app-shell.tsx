"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import type { ReactNode } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

interface Props {
  orgSlug: string;
  orgs: { slug: string; name: string }[];
  userEmail: string;
  role: string;
  showSettings: boolean;
  children: ReactNode;
}

async function leave(orgSlug: string, router: ReturnType<typeof useRouter>) {
  if (!window.confirm("Leave this organisation? You will need a new invite to come back.")) return;
  try {
    await api(`/api/v1/orgs/${orgSlug}/membership`, { method: "DELETE" });
    router.push("/");
    router.refresh();
  } catch (e) {
    window.alert(e instanceof ApiError ? e.message : "Could not leave the organisation");
  }
}

export function AppShell({ orgSlug, orgs, userEmail, role, showSettings, children }: Props) {
  const pathname = usePathname();
  const router = useRouter();
  const base = `/orgs/${orgSlug}`;
  const links = [
    { href: base, label: "Overview", exact: true },
    { href: `${base}/accounts`, label: "Accounts" },
    { href: `${base}/findings`, label: "Findings" },
    { href: `${base}/jobs`, label: "Jobs" },
    ...(showSettings ? [{ href: `${base}/settings`, label: "Settings" }] : []),
  ];
  const active = (l: { href: string; exact?: boolean }) => (l.exact ? pathname === l.href : pathname === l.href || pathname.startsWith(`${l.href}/`));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link className="brand" href={base}>
          Stowaway
        </Link>
        <div className="org-switcher">
          <label htmlFor="org-switch" className="sr-only">
            Organisation
          </label>
          <select
            id="org-switch"
            value={orgSlug}
            onChange={(e) => (e.target.value === "__new" ? router.push("/orgs/new") : router.push(`/orgs/${e.target.value}`))}
          >
            {orgs.map((o) => (
              <option key={o.slug} value={o.slug}>
                {o.name}
              </option>
            ))}
            <option value="__new">+ New organisation</option>
          </select>
        </div>
        <nav className="nav" aria-label="Main">
          {links.map((l) => (
            <Link key={l.href} href={l.href} aria-current={active(l) ? "page" : undefined}>
              {l.label}
            </Link>
          ))}
        </nav>
        <div className="user">
          <div>{userEmail}</div>
          <div>
            Role: <strong>{role}</strong>
          </div>
          <div className="row" style={{ marginTop: "0.4rem" }}>
            <button type="button" className="secondary" onClick={() => signOut({ callbackUrl: "/signin" })}>
              Sign out
            </button>
            <button type="button" className="link" onClick={() => leave(orgSlug, router)}>
              Leave organisation
            </button>
          </div>
        </div>
      </aside>
      <main id="main" className="main">
        {children}
      </main>
    </div>
  );
}
