// GET  /api/v1/orgs/:orgSlug/comments?targetType=finding|account|case&targetId= — comments on a target
// POST /api/v1/orgs/:orgSlug/comments {targetType, targetId, body} — add a comment (analysts and up)
import { getDb } from "@/lib/db/client";
import { parseInput } from "@/lib/dashboard/audit";
import { parseQuery } from "@/lib/dashboard/query";
import { AddCommentInput, ListCommentsInput, addComment, listComments } from "@/lib/findings/workflows";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ req, ctx }) => json({ comments: await listComments(await getDb(), ctx, parseQuery(ListCommentsInput, new URL(req.url).searchParams)) }),
  { permission: "org.read" },
);

export const POST = withOrg(
  async ({ req, ctx }) => json(await addComment(await getDb(), ctx, parseInput(AddCommentInput, await readJson(req))), 201),
  { permission: "comments.write" },
);
