// POST /api/v1/auth/signup - create an email + password account (then sign in via next-auth).
import { signUp } from "@/lib/auth/credentials";
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withPublic } from "@/lib/http/with-org";

export const POST = withPublic(async ({ req }) => {
  const user = await signUp(await getDb(), await readJson(req));
  return json({ user: { id: user.id, email: user.email } }, 201);
});
