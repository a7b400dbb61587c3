/**
 * Where kmlf's registry endpoints knowingly answer differently from MLflow 2.17.2's recordings, and why.
 * Each rule names recorded cases (store, file, case) and what kmlf answers instead; everything else
 * must match the recording exactly.
 */

/** What kmlf answers for a recorded case it does not copy. */
export interface Deviation {
  /** kmlf's status (any of these). */
  status: number[];
  code?: string;
  message?: RegExp;
  /** For a 200: compare the bodies without these keys (kmlf answers more). */
  ignoreKeys?: string[];
  why: string;
}

interface Rule extends Deviation {
  store?: "sqlite" | "filestore";
  file?: RegExp;
  kase: RegExp;
}

const ANY_FILE = undefined;
const BAD_REQUEST = { status: [400], code: "INVALID_PARAMETER_VALUE" };

const RULES: Rule[] = [
  // --- the shared request reader (lib/server/request_message.ts, owned by the REST-parity work) ---
  {
    kase: /^body:(malformed-json|raw-nul-in-string)$/,
    ...BAD_REQUEST,
    message: /^(Request body is not valid JSON|Missing value for required parameter)/,
    why:
      "the shared reader refuses a body that is not JSON (MLflow reads it as {} and reports the first field)",
  },
  {
    kase: /^header:(no-content-type|content-type=text\/plain)$/,
    ...BAD_REQUEST,
    message: /(Invalid content type|Content-Type)/,
    why: "the shared reader words the Content-Type refusal its own way",
  },
  {
    kase: /^body:json-(array|number|string-not-json)$/,
    ...BAD_REQUEST,
    why: "MLflow answers a body that is not a JSON object with an HTML 500; kmlf with a 400",
  },
  // --- names and texts kmlf refuses where MLflow stores them ---
  {
    kase: /^(name:nul|new_name:nul|name:long-1000|description:nul|value:nul)$/,
    file: /^registered-models-(create|rename|update|set-tag)$/,
    ...BAD_REQUEST,
    message: /(control characters|had length 1000, which exceeded length limit of 256|NUL character)/,
    why:
      "kmlf refuses NUL in names, descriptions and tag values (SQLite would cut the text at it, a file name " +
      "cannot hold it) and names over 256 characters (the width of registered_models.name)",
  },
  {
    store: "filestore",
    file: /^registered-models-create$/,
    kase: /^name:long-256$/,
    status: [400],
    code: "INVALID_PARAMETER_VALUE",
    message: /folder names are limited to 255 bytes/,
    why: "MLflow's file store fails with an HTML 500 (file name too long); kmlf explains the limit",
  },
  {
    kase: /^type:tags=item-value-number$/,
    ...BAD_REQUEST,
    message: /Invalid value 1 for parameter 'tags\[0\]\.value' supplied/,
    why: 'MLflow stores a numeric tag value as "" (and drops the fields after it); kmlf refuses it',
  },
  // --- sources: kmlf never shows server paths ---
  {
    file: /^model-versions-create$/,
    kase: /^source:(file-uri-outside-run|relative-local-path|absolute-local-path)$/,
    ...BAD_REQUEST,
    message:
      /^Invalid model version source: '(file:\/\/\/etc\/passwd|model|\/etc\/passwd)'\. To use a local path/,
    why: "MLflow's message shows the path resolved on the server; kmlf shows the source as sent",
  },
  // --- answers kmlf gives in full where MLflow leaves something out ---
  {
    store: "sqlite",
    file: /^model-versions-search$/,
    kase: /./,
    status: [200, 400],
    ignoreKeys: ["aliases"],
    why:
      "MLflow's SQL store lists versions without their aliases in model-versions/search; kmlf includes them",
  },
  // --- SQLite: registry reads and writes shared with the file store's rules ---
  {
    file: /^registered-models-search$/,
    kase: /^query-type:max_results=(negative|zero)$/,
    ...BAD_REQUEST,
    message: /^Invalid value for max_results\. It must be a positive integer, but got -?\d+$/,
    why: "MLflow's SQL store answers max_results ≤ 0 with an empty page and a token; kmlf refuses it, as " +
      "MLflow's file store does",
  },
  // --- the file store follows the SQL store's rules ---
  {
    store: "filestore",
    kase: /^version:(leading-zero|spaces)$/,
    status: [200],
    why:
      "kmlf reads '01' and ' 1 ' as version 1 in every store, as MLflow's SQL store does (its file store " +
      "looks for a folder named version-01)",
  },
  {
    store: "filestore",
    file: /^registered-models-rename$/,
    kase: /^new_name:same$/,
    status: [200],
    why:
      "renaming a model to its own name changes nothing in every store, as in MLflow's SQL store (its file " +
      "store answers RESOURCE_ALREADY_EXISTS)",
  },
  // --- page tokens (lib/tracking/search/page_token.ts, shared with run and experiment searches) ---
  {
    kase: /^page_token:(garbage|base64-garbage|negative-offset)$/,
    ...BAD_REQUEST,
    message: /^Invalid page token/,
    why:
      "kmlf decodes page tokens with one shared reader: a Python dict repr is shown as JSON, and a negative " +
      "offset is refused rather than read as 0",
  },
  // --- filter and order_by parsing ---
  {
    kase: /^filter:unquoted$/,
    ...BAD_REQUEST,
    message: /^Invalid clause\(s\) in filter string: /,
    why: "MLflow prints the tokens sqlparse could not place ('-1'); kmlf prints the part of the filter it " +
      "could not read",
  },
  {
    store: "sqlite",
    file: /^registered-models-search$/,
    kase: /^order_by:unknown-key$/,
    ...BAD_REQUEST,
    message: /^Invalid attribute key 'bogus' specified\. Valid keys are/,
    why: "kmlf accepts creation_timestamp too (as MLflow's file store does) and lists it, with the file " +
      "store's wording",
  },
  // --- artifact paths (lib/server/artifact_paths.ts, shared with /get-artifact) ---
  {
    file: /^model-versions-get-artifact$/,
    kase: /^path-attack:(dotdot|dotdot-inside|dotdot-only|absolute|windows-drive|hash|nul)$/,
    ...BAD_REQUEST,
    why: "the shared artifact path rules say what is wrong with the path; MLflow says 'Invalid path'",
  },
  {
    file: /^model-versions-get-artifact$/,
    kase: /^path-attack:(file-uri|encoded-dotdot|double-encoded-dotdot)$/,
    status: [400, 404],
    why:
      "a path that only looks like a URI or an encoded '..' names a file below the version's folder, which " +
      "does not exist (404); MLflow refuses it (400). Nothing outside the root is read either way",
  },
];

/** Cases that cannot be replayed: a GET request cannot carry a body through fetch, and kmlf ignores GET bodies. */
export function skipped(kase: string): string | undefined {
  return kase.startsWith("json-body:")
    ? "GET with a JSON body: kmlf reads GET fields from the query string only (MLflow parses the body when " +
      "the query is empty)"
    : undefined;
}

/** The deviations listed for a recorded case (none for most). */
export function deviationsFor(store: string, file: string, kase: string): Deviation[] {
  return RULES.filter((r) =>
    (!r.store || r.store === store) && (r.file === ANY_FILE || r.file.test(file)) && r.kase.test(kase)
  );
}
