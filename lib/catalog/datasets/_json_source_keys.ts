/**
 * What json.load keeps of a JSON document that JSON.parse loses, recorded beside the parsed value (see
 * lib/source_keys.ts): the file's key order (JSON.parse lists integer-like keys first) and floats without a
 * fraction (`1.0`, `1e3`: Python floats, which json.dump writes back as `1.0`, `1000.0`).
 */
import { isIndexKey, markSourceKeys, recordIntegralFloats, recordSourceKeys } from "../../source_keys.ts";

// A key whose text is a digit, or a digit escaped: only then can JSON.parse have moved a key.
const MAY_HOLD_INDEX_KEY = /"(?:[0-9]|\\u003[0-9])/;
// A number with a dot followed by zeros only, or with an exponent: only then can a float be integral.
const MAY_HOLD_INTEGRAL_FLOAT = /[0-9]\.0*(?![0-9])|[0-9][eE]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

/** One object or array of the text: its keys (null for an array), and per slot where its value starts. */
interface Scanned {
  keys: string[] | null;
  /** Per slot (key or item, in file order), the index of the first container that opens after it. */
  starts: number[];
  /** The slots whose value is a float without a fraction, and its value. */
  floats: Map<number, number>;
}

/**
 * Records, for `value` (JSON.parse's result for `text`), the file's key order of every object with an
 * integer-like key and the integral floats of every container. Text with neither costs two
 * regular-expression tests.
 *
 * @example
 * ```ts
 * const text = '{"2": 1.0, "1": "b"}';
 * const value = JSON.parse(text);
 * recordJsonSource(text, value); // pyJsonDump(value) writes '{"2": 1.0, "1": "b"}'
 * ```
 */
export function recordJsonSource(text: string, value: unknown): void {
  if (!MAY_HOLD_INDEX_KEY.test(text) && !MAY_HOLD_INTEGRAL_FLOAT.test(text)) return;
  const containers = scanContainers(text);
  let next = 0;
  let consistent = true;
  // JSON.parse's containers in the order they open: each one, then its values in file order.
  const walk = (node: unknown): void => {
    if (!consistent || typeof node !== "object" || node === null) return;
    const scanned = containers[next++];
    if (!scanned || Array.isArray(node) !== (scanned.keys === null)) return void (consistent = false);
    const record = node as Record<string, unknown>;
    // Each kept key and the slot its value came from: a repeated key keeps its first place and its last
    // value (JSON.parse, as json.load); an array's items are its slots.
    const slots = new Map<string, number>();
    if (scanned.keys) scanned.keys.forEach((key, i) => slots.set(key, i));
    else for (let i = 0; i < (node as unknown[]).length; i++) slots.set(String(i), i);
    const own = Array.isArray(node) ? node.length : Object.keys(node).length;
    if (slots.size !== own || scanned.starts.length !== (scanned.keys ?? node as unknown[]).length) {
      return void (consistent = false);
    }
    if (scanned.keys && scanned.keys.some(isIndexKey)) recordSourceKeys(node, [...slots.keys()]);
    const floats = new Map<string, number>();
    for (const [key, slot] of slots) {
      const float = scanned.floats.get(slot);
      if (float !== undefined && record[key] === float) floats.set(key, float);
    }
    recordIntegralFloats(node, floats);
    for (const [key, slot] of slots) {
      next = scanned.starts[slot]; // past the containers of a value a repeated key replaced
      walk(record[key]);
    }
  };
  walk(value);
  markSourceKeys(value); // what was recorded before any mismatch is in step
}

/** Every object and array of valid JSON text, in the order they open. */
function scanContainers(text: string): Scanned[] {
  const containers: Scanned[] = [];
  const stack: Scanned[] = [];
  let expectKey = false;
  // A value starts: in an array it takes the next slot (an object's slot is taken by its key).
  const valueStarts = () => {
    const top = stack[stack.length - 1];
    if (top?.keys === null) top.starts.push(containers.length);
    return top;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === " " || ch === "\n" || ch === "\r" || ch === "\t" || ch === ":") continue;
    if (ch === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        top.keys.push(JSON.parse(text.slice(start, i + 1)));
        top.starts.push(containers.length);
        expectKey = false;
      } else valueStarts();
    } else if (ch === "{" || ch === "[") {
      valueStarts();
      const scanned: Scanned = { keys: ch === "{" ? [] : null, starts: [], floats: new Map() };
      containers.push(scanned);
      stack.push(scanned);
      expectKey = ch === "{";
    } else if (ch === "}" || ch === "]") {
      stack.pop();
      expectKey = false;
    } else if (ch === ",") {
      expectKey = stack[stack.length - 1]?.keys != null;
    } else {
      // A number, a literal, or Python's NaN / Infinity / -Infinity.
      const top = valueStarts();
      NUMBER.lastIndex = i;
      const token = /[-0-9]/.test(ch) ? NUMBER.exec(text)?.[0] : undefined;
      if (token && /[.eE]/.test(token) && Number.isInteger(Number(token)) && top) {
        top.floats.set(top.starts.length - 1, Number(token));
      }
      i += (token?.length ?? (/^[a-zA-Z-]+/.exec(text.slice(i, i + 9))?.[0].length ?? 1)) - 1;
    }
  }
  return containers;
}
