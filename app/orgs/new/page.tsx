import type { Metadata } from "next";
import Link from "next/link";
import { guardUserPage } from "@/app/_lib/guard";
import { getDb } from "@/lib/db/client";
import { listMyOrganizations } from "@/lib/org";
import { CreateOrgForm } from "./create-org-form";

export const metadata: Metadata = { title: "Create an organisation" };

export default async function NewOrgPage() {
  const user = await guardUserPage("/orgs/new");
  const orgs = await listMyOrganizations(await getDb(), user.id);
  return (
    <main className="auth-wrap">
      <div className="card auth-card">
        <h1>Create your organisation</h1>
        <p className="muted">
          The organisation is the company whose shadow Docker Hub accounts Stowaway looks for. You will be its owner and
          can invite your team.
        </p>
        <CreateOrgForm />
        {orgs.length > 0 && (
          <>
            <h2>Your organisations</h2>
            <ul>
              {orgs.map((o) => (
                <li key={o.id}>
                  <Link href={`/orgs/${o.slug}`}>{o.name}</Link> <span className="badge">{o.role}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </main>
  );
}
