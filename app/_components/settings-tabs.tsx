import Link from "next/link";

export function SettingsTabs({ orgSlug, current }: { orgSlug: string; current: "identity" | "members" | "verification" | "audit" }) {
  const base = `/orgs/${orgSlug}/settings`;
  const tabs = [
    { key: "identity", href: base, label: "Identity" },
    { key: "members", href: `${base}/members`, label: "Members" },
    { key: "verification", href: `${base}/verification`, label: "Verification" },
    { key: "audit", href: `${base}/audit`, label: "Audit log" },
  ] as const;
  return (
    <nav className="tabs" aria-label="Settings">
      {tabs.map((t) => (
        <Link key={t.key} href={t.href} aria-current={t.key === current ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
