import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getInvitePreview } from "@/lib/org";
import { AcceptInvite } from "./accept-invite";

export const metadata: Metadata = { title: "Join an organisation", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const preview = await getInvitePreview(await getDb(), token);
  const user = await getSessionUser();
  const here = `/invite/${token}`;
  return (
    <main className="auth-wrap">
      <div className="card auth-card">
        {!preview ? (
          <>
            <h1>Invite not found</h1>
            <p>This invite link is not valid. Ask the person who invited you for a new link.</p>
          </>
        ) : preview.state !== "pending" ? (
          <>
            <h1>Invite no longer valid</h1>
            <p>
              This invite to <strong>{preview.orgName}</strong> has {preview.state === "used" ? "already been used" : preview.state === "revoked" ? "been revoked" : "expired"}. Ask for a new link.
            </p>
          </>
        ) : (
          <>
            <h1>Join {preview.orgName}</h1>
            <p>
              You are invited as <strong>{preview.role}</strong>
              {preview.email ? (
                <>
                  {" "}
                  (for <strong>{preview.email}</strong>)
                </>
              ) : null}
              .
            </p>
            {user ? (
              <AcceptInvite token={token} email={user.email} />
            ) : (
              <div className="stack">
                <Link className="button" href={`/signup?callbackUrl=${encodeURIComponent(here)}`}>
                  Create an account to join
                </Link>
                <Link className="button secondary" href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>
                  I already have an account
                </Link>
              </div>
            )}
          </>
        )}
      </div>
    </main>
  );
}
