/**
 * How deep a parsed JSON body nests. Python's `json.loads`, with which MLflow reads a scoring request, gives
 * up past its recursion limit (1000); kmlf's own walks over request data (quoting it in errors as Python
 * prints it, converting it, writing predictions back) recurse too, and a body of 100,000 nested lists — a
 * few hundred KB — overflowed the stack and answered as if the model had failed, with kmlf's stack trace.
 *
 * @module
 */

/** The deepest nesting a scoring body may have: Python's default recursion limit. */
export const MAX_JSON_DEPTH = 1000;

/**
 * Whether `value` nests lists and objects more than `limit` levels deep (walked without recursion).
 *
 * @example
 * ```ts
 * nestsDeeperThan({ instances: [[1, 2]] }, 2); // true: object → list → list is 3 levels
 * ```
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
