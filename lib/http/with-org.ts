// SECURITY-CRITICAL: the wrapper every org-scoped route handler uses. It authorises through
// lib/auth/guards (membership → permission) before the handler runs, and rejects cross-site
// writes: state-changing requests must be JSON and, when the browser sends Origin, same-origin.
import type { OrgContext, Permission } from "@/lib/auth/permissions";
import { requireOrg, requireUser } from "@/lib/auth/guards";
import type { SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { errorResponse } from "./respond";

type Params = Record<string, string | string[] | undefined>;
export interface RouteContext {
  params: Promise<Params>;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function assertSameOriginWrite(req: Request): void {
  if (SAFE.has(req.method)) return;
  const type = req.headers.get("content-type") ?? "";
  const hasBody = req.method !== "DELETE" || (req.headers.get("content-length") ?? "0") !== "0";
  if (hasBody && !type.toLowerCase().startsWith("application/json")) {
    throw new AppError("INVALID_INPUT", "Send the request body as application/json");
  }
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (!host || originHost !== host) throw new AppError("FORBIDDEN", "Cross-site request refused");
  }
}

function str(params: Params, key: string): string {
  const v = params[key];
  return typeof v === "string" ? v : "";
}

export interface OrgHandlerArgs {
  req: Request;
  ctx: OrgContext;
  params: Params;
  param: (key: string) => string;
}

/** Route handler for /api/v1/orgs/[orgSlug]/…: resolves the OrgContext or answers 401/403/404. */
export function withOrg(handler: (args: OrgHandlerArgs) => Promise<Response>, opts: { permission: Permission }) {
  return async (req: Request, route: RouteContext): Promise<Response> => {
    try {
      assertSameOriginWrite(req);
      const params = (await route.params) ?? {};
      const ctx = await requireOrg(str(params, "orgSlug"), opts.permission);
      return await handler({ req, ctx, params, param: (k) => str(params, k) });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export interface UserHandlerArgs {
  req: Request;
  user: SessionUser;
  params: Params;
}

/** Route handler that needs a signed-in user but no organisation (e.g. list/create my orgs). */
export function withUser(handler: (args: UserHandlerArgs) => Promise<Response>) {
  return async (req: Request, route: RouteContext): Promise<Response> => {
    try {
      assertSameOriginWrite(req);
      const params = (await route.params) ?? {};
      const user = await requireUser();
      return await handler({ req, user, params });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** Route handler with no session (health, sign-up). Still maps errors and guards writes. */
export function withPublic(handler: (args: { req: Request; params: Params }) => Promise<Response>) {
  return async (req: Request, route: RouteContext): Promise<Response> => {
    try {
      assertSameOriginWrite(req);
      return await handler({ req, params: (await route?.params) ?? {} });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
