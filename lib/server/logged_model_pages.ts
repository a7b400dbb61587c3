/**
 * Page tokens of `logged-models/search`, shaped as MLflow 3's `SearchLoggedModelsPaginationToken`:
 * base64 of JSON `{experiment_ids, filter_string, order_by, offset}`. The query travels in the token,
 * so a token handed back with another query (other experiments, filter or order) is refused instead of
 * silently skipping or repeating models.
 *
 * @module
 */
import { mlflowError } from "../tracking/mod.ts";

/** The query a page belongs to. */
export interface LoggedModelQuery {
  experimentIds: string[];
  filter: string | null;
  orderBy: unknown[] | null;
}

/**
 * The token of the page starting at `offset` of `query`.
 *
 * @example
 * ```ts
 * encodeLoggedModelToken({ experimentIds: ["1"], filter: null, orderBy: null }, 50);
 * ```
 */
export function encodeLoggedModelToken(query: LoggedModelQuery, offset: number): string {
  const json = JSON.stringify({
    experiment_ids: query.experimentIds,
    filter_string: query.filter,
    order_by: query.orderBy,
    offset,
  });
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)));
}

const invalid = (why: string) =>
  mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid page token: ${why}`,
    "pass back next_page_token of the previous page unchanged, with the same experiment_ids, filter and order_by",
  );

/**
 * The offset a token of `query` starts at (0 without a token); refused when the token is not one of
 * ours or was issued for another query.
 *
 * @example
 * ```ts
 * decodeLoggedModelToken(token, { experimentIds: ["1"], filter: null, orderBy: null }); // 50
 * ```
 */
export function decodeLoggedModelToken(token: string | undefined, query: LoggedModelQuery): number {
  if (!token) return 0;
  let parsed: Record<string, unknown>;
  try {
    const bytes = Uint8Array.from(atob(token), (c) => c.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalid("it is not a logged-models/search token");
  }
  const offset = parsed?.offset;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalid("it holds no valid offset");
  }
  const mine = { experiment_ids: query.experimentIds, filter_string: query.filter, order_by: query.orderBy };
  for (const [field, expected] of Object.entries(mine)) {
    if (JSON.stringify(parsed[field] ?? null) !== JSON.stringify(expected)) {
      throw invalid(
        `it was issued for ${field} ${JSON.stringify(parsed[field] ?? null)}, not ${
          JSON.stringify(expected)
        }`,
      );
    }
  }
  return offset;
}
