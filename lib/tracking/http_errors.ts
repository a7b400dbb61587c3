/**
 * What an MLflow server's failed or unreadable answers mean: MLflow error JSON and bare HTTP statuses mapped
 * to `TrackingError`s, which statuses are retried, and answer bodies that are not JSON objects.
 */
import { TrackingError } from "../errors.ts";
import { mlflowError, type MlflowErrorCode } from "./tracking_errors.ts";
import { errorFromWire } from "./wire_values.ts";
import { maskUriCredentials } from "../uri_credentials.ts";

/** HTTP statuses that are retried (as MLflow's Python client does). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** The fix for an answer refusing the credentials (or their absence). */
export const CREDENTIALS_HINT =
  "set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD";

function statusCode(status: number): MlflowErrorCode {
  if (status === 404) return "ENDPOINT_NOT_FOUND";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 429) return "REQUEST_LIMIT_EXCEEDED";
  if (status === 503) return "TEMPORARILY_UNAVAILABLE";
  if (status === 501) return "NOT_IMPLEMENTED";
  return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
}

function statusHint(status: number, url: string): string | undefined {
  if (status === 404) {
    return `check that the tracking URI points to an MLflow server (no endpoint at ${
      maskUriCredentials(url)
    })`;
  }
  if (status === 401 || status === 403) return CREDENTIALS_HINT;
  if (RETRYABLE_STATUSES.has(status)) return "the server kept failing after retries; check its logs";
  return undefined;
}

/**
 * The error for a non-2xx answer: MLflow's `{error_code, message}` when the body has it, else a
 * code from the status (a non-JSON 404 is ENDPOINT_NOT_FOUND).
 *
 * @example
 * ```ts
 * httpError("GET", "http://h/x", 404, "<html>…"); // TrackingError ENDPOINT_NOT_FOUND
 * ```
 */
export function httpError(method: string, url: string, status: number, text: string): TrackingError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body && typeof body === "object" && typeof (body as { error_code?: unknown }).error_code === "string") {
    const error = errorFromWire(status, body);
    if (error.code !== "UNAUTHENTICATED" && error.code !== "PERMISSION_DENIED") return error;
    // A 403 may be about something else than credentials (a kmlf server refusing a Host, an origin or an
    // artifact location says so in its message).
    const hint = error.code === "PERMISSION_DENIED"
      ? `if the server wants credentials, ${CREDENTIALS_HINT}; otherwise its message says what it refused`
      : CREDENTIALS_HINT;
    return new TrackingError(error.code, error.message, { hint });
  }
  const snippet = text.trim().slice(0, 300);
  return mlflowError(
    statusCode(status),
    `Cannot ${method} ${maskUriCredentials(url)}: HTTP ${status}${snippet ? `: ${snippet}` : ""}`,
    statusHint(status, url),
  );
}

/** The innermost reason of a fetch failure, e.g. "Connection refused (os error 111)". */
export function networkReason(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause.message : "";
  const innermost = cause.split(": ").at(-1)?.trim();
  return innermost || error.message;
}

/**
 * A JSON object from an answer body (`{}` when empty); anything else is an error naming the URL.
 *
 * @example
 * ```ts
 * parseJsonObject(new TextEncoder().encode('{"run": {}}'), "http://h/x"); // { run: {} }
 * ```
 */
export function parseJsonObject(body: Uint8Array, url: string): Record<string, unknown> {
  const text = new TextDecoder().decode(body);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TrackingError(
      "tracking/bad-response",
      `Cannot read the answer of ${maskUriCredentials(url)}: expected a JSON object, got ${
        JSON.stringify(text.slice(0, 200))
      }`,
      { hint: "check that the tracking URI points to an MLflow server, not another web server" },
    );
  }
  return value as Record<string, unknown>;
}
