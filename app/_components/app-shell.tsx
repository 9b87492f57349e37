"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import type { ReactNode } from "react";

interface Props {
  orgSlug: string;
  orgs: { slug: string; name: string }[];
  userEmail: string;
  role: string;
  showSettings: boolean;
  children: ReactNode;
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
          <button type="button" className="secondary" onClick={() => signOut({ callbackUrl: "/signin" })}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main">
        {children}
      </main>
    </div>
  );
}
