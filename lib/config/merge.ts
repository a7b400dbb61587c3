/** Deep merge of plain config objects (arrays and scalars are replaced, mappings merged). */

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Returns a new object: `b` merged into `a`, recursively for nested mappings.
 *
 * @example
 * ```ts
 * deepMerge({ a: { x: 1, y: 2 } }, { a: { y: 3 } }); // { a: { x: 1, y: 3 } }
 * ```
 */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = isRecord(out[key]) && isRecord(value)
      ? deepMerge(out[key] as Record<string, unknown>, value)
      : value;
  }
  return out;
}

/** Every leaf path of a mapping, dotted (`a.b.c`); empty mappings count as leaves. */
export function leafPaths(value: Record<string, unknown>, prefix = ""): string[] {
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(child) && Object.keys(child).length > 0) paths.push(...leafPaths(child, path));
    else paths.push(path);
  }
  return paths;
}
