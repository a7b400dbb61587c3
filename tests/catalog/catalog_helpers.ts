/** Helpers for catalog tests: catalog configs from YAML text, with real source positions. */
import type { CatalogConfig } from "../../lib/catalog/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";

/** The file name catalog configs of the tests pretend to come from. */
export const CATALOG_FILE = "/project/conf/base/catalog.yml";

/**
 * Parses `yaml` as if it were `file` and returns it in the shape the catalog takes.
 *
 * @example
 * ```ts
 * const conf = catalogConfig("iris: {type: csv, filepath: data/iris.csv}\n");
 * ```
 */
export function catalogConfig(yaml: string, file = CATALOG_FILE): CatalogConfig {
  const src = parseYaml(yaml, file);
  return { data: (src.value ?? {}) as Record<string, unknown>, locate: (path) => src.locate(path) };
}

/** kmlf's built-in dataset types, by type name, in registration order. */
export const BUILTIN_TYPE_NAMES = [
  "json",
  "yaml",
  "text",
  "csv",
  "excel",
  "parquet",
  "binary",
  "pickle",
  "plotly_json",
  "plotly",
  "image",
  "memory",
  "partitioned",
  "incremental",
  "sqlite_table",
  "sqlite_query",
  "SQLTableDataset",
  "SQLQueryDataset",
];
