/** MLflow's page tokens: base64 of `{"offset": N}`. */
import { TrackingError } from "../../errors.ts";

/**
 * Encodes an offset as MLflow does.
 *
 * @example
 * ```ts
 * encodePageToken(100); // "eyJvZmZzZXQiOiAxMDB9"
 * ```
 */
export function encodePageToken(offset: number): string {
  return btoa(JSON.stringify({ offset }).replace(":", ": "));
}

/** Decodes a page token (none → offset 0); a malformed token is INVALID_PARAMETER_VALUE. */
export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const offset = JSON.parse(atob(token)).offset;
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw new TrackingError(
    "INVALID_PARAMETER_VALUE",
    `Invalid page token, could not base64-decode or parse: ${token}`,
    {
      hint: "pass the next_page_token returned by the previous search unchanged",
    },
  );
}
