/**
 * The `dtype` names the tabular datasets take on load: the catalog's schema checks them when it builds the
 * dataset (lib/catalog/tabular_types.ts), the reader (lib/catalog/datasets/_table_rows.ts) applies them on
 * load, so this list stays apart from the reader.
 *
 * @module
 */

/** dtype names accepted on load, by what they make of a value. */
export const LOAD_DTYPES = {
  text: ["str", "string", "object", "category"],
  int: ["int", "int64", "Int64", "int32", "Int32"],
  float: ["float", "float64", "Float64", "float32", "double"],
  bool: ["bool", "boolean"],
} as const;
