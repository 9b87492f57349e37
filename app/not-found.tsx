import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth-wrap">
      <div className="card auth-card">
        <h1>Not found</h1>
        <p>This page does not exist, or you do not have access to it.</p>
        <Link href="/">Go to my organisations</Link>
      </div>
    </main>
  );
}
