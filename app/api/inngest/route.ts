// Inngest serve endpoint (Inngest mode only). In embedded mode there is nothing to serve: 404.
import { serve } from "inngest/next";
import { getInngestFunctions, getJobsMode } from "@/jobs/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
let handlers: Promise<{ GET: Handler; POST: Handler; PUT: Handler }> | undefined;

async function getHandlers() {
  handlers ??= getInngestFunctions().then(({ client, functions }) => serve({ client, functions }) as unknown as { GET: Handler; POST: Handler; PUT: Handler });
  return handlers;
}

async function dispatch(method: "GET" | "POST" | "PUT", req: Request, ctx: unknown): Promise<Response> {
  if ((await getJobsMode()) !== "inngest") {
    return Response.json({ error: { code: "NOT_FOUND", message: "Inngest is not configured: jobs run on the embedded runner" } }, { status: 404 });
  }
  return (await getHandlers())[method](req, ctx);
}

export const GET = (req: Request, ctx: unknown) => dispatch("GET", req, ctx);
export const POST = (req: Request, ctx: unknown) => dispatch("POST", req, ctx);
export const PUT = (req: Request, ctx: unknown) => dispatch("PUT", req, ctx);
