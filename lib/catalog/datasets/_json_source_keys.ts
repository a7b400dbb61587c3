/**
 * The file order of a JSON document's keys, recorded beside the parsed value (see lib/source_keys.ts):
 * JSON.parse lists integer-like keys first, Python's json.load keeps the file's order.
 */
import { isIndexKey, markSourceKeys, recordSourceKeys } from "../../source_keys.ts";

// A key whose text is a digit, or a digit escaped: only then can JSON.parse have moved a key.
const MAY_HOLD_INDEX_KEY = /"(?:[0-9]|\\u003[0-9])/;

/**
 * Records the file's key order of every object of `value` (JSON.parse's result for `text`) that has an
 * integer-like key. Text without such keys costs one regular-expression test.
 *
 * @example
 * ```ts
 * const text = '{"2": "a", "1": "b"}';
 * const value = JSON.parse(text);
 * recordJsonKeyOrder(text, value); // pyJsonDump(value) writes "2" first
 * ```
 */
export function recordJsonKeyOrder(text: string, value: unknown): void {
  if (!MAY_HOLD_INDEX_KEY.test(text)) return;
  const objects = scanObjectKeys(text);
  let next = 0;
  let consistent = true;
  // JSON.parse's objects in the order their `{` opens: each object, then its values in file order.
  const walk = (node: unknown): void => {
    if (!consistent || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const scanned = objects[next++];
    // A repeated key keeps its first place and its last value (JSON.parse, as json.load).
    const last = new Map<string, number>();
    scanned?.keys.forEach((key, i) => last.set(key, i));
    const keys = [...last.keys()];
    const own = Object.keys(node);
    if (!scanned || keys.length !== own.length || !keys.every((key) => Object.hasOwn(node, key))) {
      consistent = false;
      return;
    }
    if (keys.some(isIndexKey)) recordSourceKeys(node, keys);
    for (const key of keys) {
      next = scanned.starts[last.get(key)!]; // past the objects of a value a repeated key replaced
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(value);
  markSourceKeys(value); // the objects recorded before any mismatch are in step
}

/**
 * Each object's keys in file order (a repeated key listed again), with the index of the first object that
 * opens after each key; objects in the order they open.
 */
function scanObjectKeys(text: string): { keys: string[]; starts: number[] }[] {
  const objects: { keys: string[]; starts: number[] }[] = [];
  const stack: ({ keys: string[]; starts: number[] } | null)[] = []; // null for an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        top.keys.push(JSON.parse(text.slice(start, i + 1)));
        top.starts.push(objects.length);
        expectKey = false;
      }
    } else if (ch === "{") {
      const scanned = { keys: [], starts: [] };
      objects.push(scanned);
      stack.push(scanned);
      expectKey = true;
    } else if (ch === "[") {
      stack.push(null);
      expectKey = false;
    } else if (ch === "}" || ch === "]") {
      stack.pop();
      expectKey = false;
    } else if (ch === ",") {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
  }
  return objects;
}
