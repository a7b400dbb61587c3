/**
 * How MLflow's Python code spells values in its messages, so kmlf's messages read the same:
 * `repr(float)` and `json.dumps` of a string (ASCII only).
 *
 * @module
 */
export { pyFloatRepr } from "../py_float.ts";
export { pyJsonString } from "../py_json.ts";
