/**
 * Read access to MLflow's model registry (registered models, versions, tags, aliases) for stores that
 * hold one — the SQLite store reads the registry tables of an MLflow database. Results are in MLflow's
 * JSON shapes (`model_registry.proto`), since the server is their only consumer. Filters accept what
 * MLflow clients and the UI send: `name = '…'`, `name LIKE/ILIKE '…'`, `run_id = '…'`,
 * `run_id IN ('…', …)`, joined by AND.
 *
 * @module
 */
import { likeToRegExp } from "./search/evaluate.ts";
import { mlflowError } from "./tracking_errors.ts";

/** A registered model as MLflow's JSON. */
export interface RegisteredModelWire {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  latest_versions?: ModelVersionWire[];
  tags?: { key: string; value: string }[];
  aliases?: { alias: string; version: string }[];
}

/** A model version as MLflow's JSON. */
export interface ModelVersionWire {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  tags?: { key: string; value: string }[];
  run_link?: string;
  aliases?: string[];
}

/** Options of the registry searches. */
export interface RegistrySearchOptions {
  filter?: string;
  maxResults?: number;
  pageToken?: string;
}

/** A store's model registry, read-only. */
export interface ModelRegistryReader {
  searchRegisteredModels(
    options?: RegistrySearchOptions,
  ): { registeredModels: RegisteredModelWire[]; nextPageToken?: string };
  getRegisteredModel(name: string): RegisteredModelWire;
  searchModelVersions(
    options?: RegistrySearchOptions,
  ): { modelVersions: ModelVersionWire[]; nextPageToken?: string };
  getModelVersion(name: string, version: string): ModelVersionWire;
}

/** One `field op value` clause of a registry filter. */
export interface RegistryClause {
  field: string;
  op: "=" | "!=" | "LIKE" | "ILIKE" | "IN";
  values: string[];
}

const CLAUSE =
  /^\s*(?:attributes\.)?(name|run_id|version|source|current_stage)\s*(=|!=|LIKE|ILIKE|IN)\s*(.+?)\s*$/i;

function parseValues(text: string, op: string): string[] {
  const strings = [...text.matchAll(/'((?:[^']|'')*)'|"((?:[^"]|"")*)"/g)].map((m) =>
    (m[1] ?? m[2]).replace(/''/g, "'")
  );
  const ok = op === "IN" ? /^\(\s*(?:(['"]).*?\1\s*,?\s*)+\)$/.test(text) : /^(['"]).*\1$/.test(text);
  if (!ok || strings.length === 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid filter value ${text}`,
      "quote values: name = 'my-model', run_id IN ('a', 'b')",
    );
  }
  return strings;
}

/**
 * Parses a registry filter into clauses.
 *
 * @example
 * ```ts
 * parseRegistryFilter("name = 'iris' AND run_id IN ('a')"); // [{field: "name", op: "=", values: ["iris"]}, …]
 * ```
 */
export function parseRegistryFilter(filter: string | undefined): RegistryClause[] {
  if (!filter?.trim()) return [];
  return filter.split(/\s+AND\s+/i).map((part) => {
    const m = part.match(CLAUSE);
    if (!m) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Invalid model registry filter clause '${part.trim()}'`,
        "kmlf's registry search supports name, run_id, version, source and current_stage with = != LIKE ILIKE IN, joined by AND",
      );
    }
    const op = m[2].toUpperCase() as RegistryClause["op"];
    return { field: m[1].toLowerCase(), op, values: parseValues(m[3], op) };
  });
}

/**
 * Whether a record's fields satisfy every clause.
 *
 * @example
 * ```ts
 * matchesRegistryFilter({ name: "iris" }, parseRegistryFilter("name LIKE 'ir%'")); // true
 * ```
 */
export function matchesRegistryFilter(
  record: Record<string, unknown>,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every(({ field, op, values }) => {
    const value = record[field] === undefined || record[field] === null ? undefined : String(record[field]);
    if (value === undefined) return false;
    switch (op) {
      case "=":
        return value === values[0];
      case "!=":
        return value !== values[0];
      case "IN":
        return values.includes(value);
      case "LIKE":
        return likeToRegExp(values[0]).test(value);
      case "ILIKE":
        return likeToRegExp(values[0].toLowerCase()).test(value.toLowerCase());
    }
  });
}
