/**
 * The flat scan (lib/catalog/datasets/_json_flat_scan.ts), which records the integral floats of JSON
 * without integer-like keys, finds them where the full scan does: after nested containers, next to strings
 * holding quotes, braces and escapes, with exponents, and hands a repeated key to the full scan.
 */
import assert from "node:assert/strict";
import { parseJsonSource } from "../../lib/catalog/datasets/_json_source_keys.ts";
import { pyJsonDump } from "../../lib/py_json.ts";

// Each text is what Python's json.dump writes for json.load of it (separators ", " and ": ").
const SAME_AS_PYTHON = [
  '[{"a": 1.0, "b": [2.0, {"c": 3.00}], "d": 4.0}, 5.0, 0.5, 6]',
  '{"s": "a \\" quote {[ 1.0", "t": 7.0, "u": "\\\\", "v": 8.0}',
  '{"e": 1e3, "f": 2.5e1, "g": 1.5e-1, "h": -0.0, "i": -3.0}',
  '[[], {}, [1.0], {"x": {"y": [{"z": 9.0}]}}, 10.0]',
  '{"k": null, "l": true, "m": "}", "n": 11.0}',
];

Deno.test("the flat scan records integral floats where json.load keeps them", () => {
  for (const text of SAME_AS_PYTHON) {
    const expected = text.replace("1e3", "1000.0").replace("2.5e1", "25.0").replace("3.00", "3.0")
      .replace("1.5e-1", "0.15");
    assert.equal(pyJsonDump(parseJsonSource(text)), expected, text);
  }
});

Deno.test("a repeated key (fewer keys than the file) is recorded by the full scan", () => {
  const text = '[{"a": 1.0, "a": 2.0, "b": [3.0]}, {"c": 4.0}]';
  assert.equal(pyJsonDump(parseJsonSource(text)), '[{"a": 2.0, "b": [3.0]}, {"c": 4.0}]');
});

Deno.test("a float the value no longer holds is written as the value", () => {
  const value = parseJsonSource('[{"a": 1.0, "b": 2.0}]') as { a: number; b: number }[];
  value[0].a = 5;
  assert.equal(pyJsonDump(value), '[{"a": 5, "b": 2.0}]');
});
