// Maps anything thrown in a route handler to the API error shape { error: { code, message, issues? } }.
// Unknown errors become a generic 500; their details go to the server log only.
import { ZodError } from "zod";
import { AppError, invalidInput, isAppError } from "@/lib/errors";

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return new Response(JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? Number(v) : v)), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  if (e instanceof ZodError) return invalidInput(e.issues);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "P2002") return new AppError("CONFLICT", "This already exists");
  if (code === "P2025") return new AppError("NOT_FOUND", "Not found");
  return new AppError("INTERNAL", "Something went wrong on our side", { cause: e });
}

export function errorResponse(e: unknown): Response {
  const err = toAppError(e);
  if (err.code === "INTERNAL") {
    const cause = err.cause ?? e;
    console.error("[api] unexpected error:", cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
  }
  const headers: Record<string, string> = {};
  if (err.retryAfterSeconds) headers["retry-after"] = String(err.retryAfterSeconds);
  return json(err.toJSON(), err.status, headers);
}

const MAX_BODY_BYTES = 256 * 1024;

/** Reads a JSON body with a size cap; bad JSON is a 422 with a clear message, not a crash. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError("INVALID_INPUT", "Request body is too large");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "Request body must be valid JSON");
  }
}
