import Link from "next/link";

/** Shown to members whose role lacks the permission for a page (the org exists and they belong). */
export function NotAllowed({ orgSlug, what }: { orgSlug: string; what: string }) {
  return (
    <section className="card" aria-labelledby="not-allowed">
      <h1 id="not-allowed">Not allowed</h1>
      <p>
        Your role in this organisation does not allow you to open {what}. Ask an owner or admin if you need access.
      </p>
      <Link href={`/orgs/${orgSlug}`}>Back to the overview</Link>
    </section>
  );
}
