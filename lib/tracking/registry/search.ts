/**
 * MLflow's search grammar for the model registry (`SearchModelUtils`, `SearchModelVersionUtils`):
 * registered models filter on `name` and `tags.<key>`; model versions on `name`, `version_number`,
 * `run_id`, `source_path` and `tags.<key>`; comparisons joined by AND. Ordering by name and
 * timestamps (and `version_number` for versions), with MLflow's default orders and tie-breakers.
 * One evaluator serves every store: registries are small enough to filter in memory.
 *
 * @module
 */
import { compareCodePoints, likeToRegExp } from "../search/evaluate.ts";
import { mlflowError } from "../tracking_errors.ts";
import type { ModelVersion, RegisteredModel } from "./entities.ts";

/** One comparison of a registry filter. */
export interface RegistryClause {
  /** An attribute (`name`, `run_id`, `source_path`, `version_number`) or a tag key. */
  key: string;
  isTag: boolean;
  comparator: "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";
  value: string | number | string[];
}

/** One order_by clause of a registry search. */
export interface RegistryOrder {
  key: "name" | "version_number" | "creation_timestamp" | "last_updated_timestamp";
  ascending: boolean;
}

type Grammar = "models" | "versions";

const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"];
const ATTRIBUTES: Record<Grammar, Record<string, string[]>> = {
  models: { name: STRING_OPS },
  versions: {
    name: STRING_OPS,
    run_id: ["=", "!=", "IN", "NOT IN"],
    source_path: STRING_OPS,
    version_number: ["=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN"],
  },
};
// MLflow prints these Python sets in its messages; the order is the one its servers print.
const FILTER_KEYS: Record<Grammar, string> = {
  models: "{'name'}",
  versions: "{'version_number', 'source_path', 'run_id', 'name'}",
};
const ORDER_KEYS: Record<Grammar, string> = {
  models: "{'creation_timestamp', 'last_updated_timestamp', 'name'}",
  versions: "{'creation_timestamp', 'last_updated_timestamp', 'version_number', 'name'}",
};

interface Token {
  kind: "word" | "string" | "number" | "op" | "lparen" | "rparen" | "comma";
  value: string;
}

const TOKEN =
  /\s*(?:'((?:[^'\\]|''|\\.)*)'|"((?:[^"\\]|""|\\.)*)"|`([^`]*)`|([-+]?\d+(?:\.\d+)?)(?![\p{L}\p{N}_.])|([\p{L}\p{N}_.]+)|(!=|<>|>=|<=|==|=|<|>)|(\()|(\))|(,))/uy;

function invalidClause(filter: string, detail: string) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid clause(s) in filter string: ${detail}`,
    `in "${filter}": write comparisons like name LIKE 'iris%' AND tags.team = 'ml', with values in single quotes`,
  );
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < filter.length && (m = TOKEN.exec(filter))) {
    if (m[1] !== undefined) {
      tokens.push({
        kind: "string",
        value: m[1].replace(/''|\\(.)/g, (_x, c) => c ?? "'"),
      });
    } else if (m[2] !== undefined) {
      tokens.push({
        kind: "string",
        value: m[2].replace(/""|\\(.)/g, (_x, c) => c ?? '"'),
      });
    } else if (m[3] !== undefined) tokens.push({ kind: "word", value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: "number", value: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: "word", value: m[5] });
    else if (m[6] !== undefined) tokens.push({ kind: "op", value: m[6] });
    else tokens.push({ kind: m[7] ? "lparen" : m[8] ? "rparen" : "comma", value: m[0].trim() });
  }
  const rest = filter.slice(TOKEN.lastIndex);
  if (rest.trim()) throw invalidClause(filter, rest.trim());
  return tokens;
}

function splitIdentifier(raw: string, grammar: Grammar): { key: string; isTag: boolean } {
  const m = raw.match(/^(tags?|attributes?|attr)\.(.+)$/);
  if (m && m[1].startsWith("tag")) return { key: m[2].replace(/^`(.*)`$/, "$1"), isTag: true };
  const key = m ? m[2] : raw;
  if (!(key in ATTRIBUTES[grammar])) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid attribute key '${key}' specified. Valid keys are '${FILTER_KEYS[grammar]}'`,
    );
  }
  return { key, isTag: false };
}

function parseFilter(filter: string | undefined, grammar: Grammar): RegistryClause[] {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: RegistryClause[] = [];
  let i = 0;
  const describe = (from: number) => tokens.slice(from).map((t) => t.value).join(", ");
  while (i < tokens.length) {
    const start = i;
    const idToken = tokens[i++];
    let opToken = tokens[i++];
    if (idToken.kind !== "word" || !opToken) throw invalidClause(filter, describe(start));
    // A backtick-quoted tag key arrives as the word after `tags.`: `tags.`a b``.
    let raw = idToken.value;
    if (raw.endsWith(".") && opToken.kind === "word" && /^tags?\.$/.test(raw)) {
      raw += opToken.value;
      opToken = tokens[i++];
    }
    const { key, isTag } = splitIdentifier(raw, grammar);
    let comparator = opToken?.value.toUpperCase() ?? "";
    if (comparator === "NOT" && tokens[i]?.value.toUpperCase() === "IN") {
      comparator = "NOT IN";
      i++;
    }
    if (i >= tokens.length) throw invalidClause(filter, describe(start)); // a comparison without a value
    const allowed = isTag ? STRING_OPS : ATTRIBUTES[grammar][key];
    if (!allowed.includes(comparator)) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Invalid comparator '${opToken?.value ?? ""}' for ${
          isTag ? "tag" : "attribute"
        } '${key}' in filter ` +
          `string '${filter}'. Valid comparators are ${allowed.join(", ")}`,
      );
    }
    let value: RegistryClause["value"];
    if (comparator === "IN" || comparator === "NOT IN") {
      if (tokens[i++]?.kind !== "lparen") throw invalidClause(filter, describe(start));
      const list: string[] = [];
      for (;;) {
        const t = tokens[i++];
        if (!t || (t.kind !== "string" && t.kind !== "number")) throw invalidClause(filter, describe(start));
        list.push(t.value);
        const sep = tokens[i++];
        if (sep?.kind === "rparen") break;
        if (sep?.kind !== "comma") throw invalidClause(filter, describe(start));
      }
      value = key === "version_number" ? list.map(Number) as unknown as string[] : list;
    } else {
      const t = tokens[i++];
      if (!t || (t.kind !== "string" && !(key === "version_number" && t.kind === "number"))) {
        throw invalidClause(filter, describe(start));
      }
      value = key === "version_number" ? Number(t.value) : t.value;
      if (key === "version_number" && !Number.isInteger(value)) {
        throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid version_number value '${t.value}' in filter`);
      }
    }
    clauses.push({ key, isTag, comparator: comparator as RegistryClause["comparator"], value });
    if (i < tokens.length) {
      if (tokens[i].value.toUpperCase() !== "AND" || i + 1 >= tokens.length) {
        throw invalidClause(filter, describe(i));
      }
      i++;
    }
  }
  return clauses;
}

/**
 * Parses a registered-model filter (`name`, `tags.<key>`).
 *
 * @example
 * ```ts
 * parseRegisteredModelFilter("name LIKE 'iris%' AND tags.team = 'ml'");
 * ```
 */
export function parseRegisteredModelFilter(filter: string | undefined): RegistryClause[] {
  return parseFilter(filter, "models");
}

/**
 * Parses a model-version filter (`name`, `version_number`, `run_id`, `source_path`, `tags.<key>`).
 *
 * @example
 * ```ts
 * parseModelVersionFilter("run_id IN ('a1', 'b2')");
 * ```
 */
export function parseModelVersionFilter(filter: string | undefined): RegistryClause[] {
  return parseFilter(filter, "versions");
}

function compare(actual: string | number | undefined, clause: RegistryClause): boolean {
  if (actual === undefined) return false;
  const { comparator, value } = clause;
  switch (comparator) {
    case "=":
      return actual === value;
    case "!=":
      return actual !== value;
    case "<":
      return (actual as number) < (value as number);
    case "<=":
      return (actual as number) <= (value as number);
    case ">":
      return (actual as number) > (value as number);
    case ">=":
      return (actual as number) >= (value as number);
    case "LIKE":
      return likeToRegExp(value as string).test(String(actual));
    case "ILIKE":
      return likeToRegExp((value as string).toLowerCase()).test(String(actual).toLowerCase());
    case "IN":
      return (value as unknown[]).includes(actual);
    case "NOT IN":
      return !(value as unknown[]).includes(actual);
  }
}

/**
 * Whether a registered model satisfies every clause.
 *
 * @example
 * ```ts
 * registeredModelMatches(model, parseRegisteredModelFilter("tags.team = 'ml'"));
 * ```
 */
export function registeredModelMatches(
  model: Pick<RegisteredModel, "name" | "tags">,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every((c) => compare(c.isTag ? model.tags[c.key] : model.name, c));
}

/**
 * Whether a model version satisfies every clause.
 *
 * @example
 * ```ts
 * modelVersionMatches(version, parseModelVersionFilter("version_number > 2"));
 * ```
 */
export function modelVersionMatches(
  version: Pick<ModelVersion, "name" | "version" | "source" | "runId" | "tags">,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every((c) => {
    if (c.isTag) return compare(version.tags[c.key], c);
    const actual = c.key === "version_number"
      ? Number(version.version)
      : c.key === "source_path"
      ? version.source ?? undefined
      : c.key === "run_id"
      ? version.runId ?? undefined
      : version.name;
    return compare(actual, c);
  });
}

/**
 * The clauses that look only at attributes, not tags: stores check them on what they read first and
 * load tags only for what passes.
 *
 * @example
 * ```ts
 * attributeClauses(parseModelVersionFilter("name = 'iris' AND tags.k = 'v'")); // the name clause
 * ```
 */
export function attributeClauses(clauses: readonly RegistryClause[]): RegistryClause[] {
  return clauses.filter((c) => !c.isTag);
}

function parseOrderBy(orderBy: readonly string[] | undefined, grammar: Grammar): RegistryOrder[] {
  const keys = grammar === "models"
    ? ["name", "creation_timestamp", "last_updated_timestamp", "timestamp"]
    : ["name", "version_number", "creation_timestamp", "last_updated_timestamp"];
  const seen = new Set<string>();
  return (orderBy ?? []).map((clause) => {
    const m = clause.trim().match(/^(?:attributes?\.)?(`[^`]+`|[\w.]+)(?:\s+(\S+))?$/);
    if (!m) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Invalid order_by clause '${clause}'. Could not be parsed.`,
      );
    }
    const direction = (m[2] ?? "ASC").toUpperCase();
    if (direction !== "ASC" && direction !== "DESC") {
      throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid ordering key in order_by clause '${clause}'.`);
    }
    const raw = m[1].replace(/^`(.*)`$/, "$1");
    if (!keys.includes(raw)) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Invalid attribute key '${raw}' specified. Valid keys are '${ORDER_KEYS[grammar]}'`,
      );
    }
    const key = (raw === "timestamp" ? "last_updated_timestamp" : raw) as RegistryOrder["key"];
    if (seen.has(key)) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `\`order_by\` contains duplicate fields: ${orderBy!.join(", ")}`,
      );
    }
    seen.add(key);
    return { key, ascending: direction === "ASC" };
  });
}

/**
 * Parses registered-model order_by clauses and adds MLflow's tie-breaker (`name ASC`).
 *
 * @example
 * ```ts
 * parseRegisteredModelOrderBy(["last_updated_timestamp DESC"]); // + { key: "name", ascending: true }
 * ```
 */
export function parseRegisteredModelOrderBy(orderBy: readonly string[] | undefined): RegistryOrder[] {
  const order = parseOrderBy(orderBy, "models");
  if (!order.some((o) => o.key === "name")) order.push({ key: "name", ascending: true });
  return order;
}

/**
 * Parses model-version order_by clauses: default `last_updated_timestamp DESC, name ASC,
 * version_number DESC`; otherwise name ASC and version_number DESC break ties.
 *
 * @example
 * ```ts
 * parseModelVersionOrderBy(["version_number DESC"]);
 * ```
 */
export function parseModelVersionOrderBy(orderBy: readonly string[] | undefined): RegistryOrder[] {
  const order = parseOrderBy(orderBy?.length ? orderBy : ["last_updated_timestamp DESC"], "versions");
  if (!order.some((o) => o.key === "name")) order.push({ key: "name", ascending: true });
  if (!order.some((o) => o.key === "version_number")) order.push({ key: "version_number", ascending: false });
  return order;
}

function orderValue(item: ModelVersion | RegisteredModel, key: RegistryOrder["key"]): string | number {
  switch (key) {
    case "name":
      return item.name;
    case "version_number":
      return Number((item as ModelVersion).version);
    case "creation_timestamp":
      return item.creationTimestamp ?? 0;
    case "last_updated_timestamp":
      return item.lastUpdatedTimestamp ?? 0;
  }
}

/**
 * Sorts registry entities by parsed order_by clauses (names by code point, like SQLite).
 *
 * @example
 * ```ts
 * sortRegistry(models, parseRegisteredModelOrderBy(undefined)); // by name
 * ```
 */
export function sortRegistry<T extends ModelVersion | RegisteredModel>(
  items: T[],
  order: readonly RegistryOrder[],
): T[] {
  return items.sort((a, b) => {
    for (const { key, ascending } of order) {
      const x = orderValue(a, key);
      const y = orderValue(b, key);
      const c = typeof x === "string" ? compareCodePoints(x, y as string) : (x as number) - (y as number);
      if (c !== 0) return ascending ? c : -c;
    }
    return 0;
  });
}
