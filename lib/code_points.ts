/**
 * Strings as Python counts and orders them — by code point: `len()` (MLflow's length limits, PyYAML's
 * columns, pandas' and numpy's widths, `%`-format widths) and `<`/`sorted` (as SQLite's BINARY collation): a
 * leaf module shared by searches, artifact listings and kmlf's Python-compatible writers (JSON, YAML, the
 * store CLI's tables).
 *
 * @module
 */

/**
 * Compares strings by Unicode code point, like SQLite's BINARY collation and Python's `<`
 * (JS `<` compares UTF-16 code units, which differs above U+FFFF).
 *
 * @example
 * ```ts
 * ["b", "a", "😀", "\uffff"].sort(compareCodePoints); // ["a", "b", "\uffff", "😀"]
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above every BMP unit: move them past E000–FFFF.
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Python's `len()` of a string: code points, not UTF-16 code units (an emoji counts 1, a lone surrogate 1).
 *
 * @example
 * ```ts
 * pyLength("😀é"); // 2
 * ```
 */
export function pyLength(text: string): number {
  if (!/[\uD800-\uDFFF]/.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}
