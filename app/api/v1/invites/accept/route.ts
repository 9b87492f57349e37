// POST /api/v1/invites/accept - { token }: the signed-in user joins the inviting organisation
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { invalidInput } from "@/lib/errors";
import { json, readJson } from "@/lib/http/respond";
import { withUser } from "@/lib/http/with-org";
import { acceptInvite } from "@/lib/org";

const ZAccept = z.object({ token: z.string().min(1, "Missing invite token").max(200) });

export const POST = withUser(async ({ req, user }) => {
  const body = ZAccept.safeParse(await readJson(req));
  if (!body.success) throw invalidInput(body.error.issues);
  return json(await acceptInvite(await getDb(), user, body.data.token));
});
