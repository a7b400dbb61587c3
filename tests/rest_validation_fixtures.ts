/**
 * The REST validation matrix recorded from a real MLflow 2.17.2 server (SQLite and file store):
 * 2,903 requests per store, every field missing, empty or mistyped, with MLflow's exact answers.
 * Stored gzipped under `fixtures/mlflow-2.17.2/rest-validation/<store>/`; see the README there.
 */

/** The two recorded passes. */
export type RecordedStore = "sqlite" | "filestore";

/** Where the recordings live. */
export const REST_VALIDATION_FIXTURES = new URL("fixtures/mlflow-2.17.2/rest-validation/", import.meta.url);

/** What MLflow answered. */
export interface RecordedResponse {
  status: number;
  content_type: string | null;
  body: string;
  location?: string;
  allow?: string;
  content_disposition?: string;
}

/** One recorded request and MLflow's answer. */
export interface RecordedExchange {
  seq: number;
  endpoint: string;
  case: string;
  method: string;
  /** The path exactly as sent (percent-encoding kept). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: Record<string, string>;
  body: string | null;
  response: RecordedResponse;
  server_log?: { exception: string; raised_in: string };
  note?: string;
}

/** Element 0 of each file. */
export interface RecordedHeader {
  store: RecordedStore;
  file: string;
  endpoint: string;
  setup_ids: Record<string, string>;
  resets_between_exchanges?: string[];
  ids_changed_during_file?: Record<string, unknown>;
}

/** One fixture file: its header and its exchanges in send order. */
export interface RecordedFile {
  header: RecordedHeader;
  exchanges: RecordedExchange[];
}

async function gunzipText(url: URL): Promise<string> {
  const file = await Deno.open(url);
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip")).pipeThrough(
    new TextDecoderStream(),
  );
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

/**
 * Every file of one store pass, `_setup` first, then by name (the order they were recorded in
 * does not matter: each file starts from the setup state).
 */
export async function loadRecordedFiles(store: RecordedStore): Promise<RecordedFile[]> {
  const dir = new URL(`${store}/`, REST_VALIDATION_FIXTURES);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".json.gz")).sort();
  const files: RecordedFile[] = [];
  for (const name of names) {
    const [header, ...exchanges] = JSON.parse(await gunzipText(new URL(name, dir)));
    files.push({ header, exchanges });
  }
  return files;
}
