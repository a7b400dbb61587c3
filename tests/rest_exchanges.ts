/** The REST exchanges recorded between MLflow 2.17.2's Python client and `mlflow server`, for replays. */

/** Where the recordings live (see index.md there). */
export const REST_FIXTURES = new URL("fixtures/mlflow-2.17.2/rest/", import.meta.url);

/** One recorded request and its answer. */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  request_headers: Record<string, string>;
  request_body: unknown;
  status: number;
  response_headers: Record<string, string>;
  response_body: unknown;
}

/** File names of every exchange, in recording order. */
export function exchangeFiles(): string[] {
  return [...Deno.readDirSync(REST_FIXTURES)].map((e) => e.name).filter((n) => /^\d{3}_.*\.json$/.test(n))
    .sort();
}

/** The exchange whose file name starts with `prefix` (e.g. "007"). */
export async function loadExchange(prefix: string): Promise<Exchange> {
  const file = exchangeFiles().find((name) => name.startsWith(prefix));
  if (!file) throw new Error(`no recorded exchange ${prefix} in ${REST_FIXTURES.pathname}`);
  return JSON.parse(await Deno.readTextFile(new URL(file, REST_FIXTURES)));
}
