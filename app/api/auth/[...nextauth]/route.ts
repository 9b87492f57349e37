import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

// Options are built lazily (first request), so `next build` never reads secrets or the database.
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return NextAuth(req as never, ctx as never, getAuthOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
