// Reads the signed-in user from the next-auth session cookie (server side only) and re-checks
// the user still exists: a deleted user's still-valid JWT must not keep working.
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import { getAuthOptions } from "./options";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" || id.length === 0) return null;
  const db = await getDb();
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
}
