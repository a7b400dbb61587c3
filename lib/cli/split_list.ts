/**
 * Splits a comma-separated CLI list, ignoring commas inside `[...]` (old-style node names) and blanks.
 *
 * @example
 * ```ts
 * splitList("a, b[x,y] ,c"); // ["a", "b[x,y]", "c"]
 * ```
 */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of value) {
    if (ch === "[") depth++;
    if (ch === "]") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      items.push(current);
      current = "";
    } else current += ch;
  }
  items.push(current);
  return [...new Set(items.map((s) => s.trim()).filter((s) => s.length > 0))];
}
