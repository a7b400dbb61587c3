/**
 * MLflow's page tokens: `base64(json.dumps({"offset": N}))`. Opaque to callers; byte-identical to
 * the tokens MLflow issues, so tokens from either tool work in the other.
 *
 * @module
 */
import { mlflowError } from "../tracking_errors.ts";

/**
 * The token for the page starting at `offset`.
 *
 * @example
 * ```ts
 * encodePageToken(1000); // "eyJvZmZzZXQiOiAxMDAwfQ==" (= {"offset": 1000})
 * ```
 */
export function encodePageToken(offset: number): string {
  return btoa(`{"offset": ${offset}}`);
}

/**
 * The offset a token encodes (0 for no token).
 *
 * @example
 * ```ts
 * decodePageToken(encodePageToken(25)); // 25
 * ```
 */
export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  let decoded: string;
  try {
    decoded = atob(token);
  } catch {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Invalid page token, could not base64-decode");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid page token, decoded value=${decoded}`);
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (!offset) throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid page token, parsed value=${decoded}`);
  const n = Number(offset);
  if (!Number.isInteger(n) || n < 0) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid page token, not stringable ${String(offset)}`);
  }
  return n;
}

/**
 * One page of an already sorted list and the token of the next page, if any.
 *
 * @example
 * ```ts
 * paginate([1, 2, 3], undefined, 2); // { items: [1, 2], nextPageToken: encodePageToken(2) }
 * ```
 */
export function paginate<T>(
  items: readonly T[],
  pageToken: string | undefined | null,
  maxResults: number,
): { items: T[]; nextPageToken?: string } {
  const start = decodePageToken(pageToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextPageToken: encodePageToken(end) } : { items: page };
}
