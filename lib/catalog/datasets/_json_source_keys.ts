/**
 * What json.load keeps of a JSON document that JSON.parse loses, recorded beside the parsed value (see
 * lib/source_keys.ts): the file's key order (JSON.parse lists integer-like keys first) and floats without a
 * fraction (`1.0`, `1e3`: Python floats, which json.dump writes back as `1.0`, `1000.0`).
 */
import { isIndexKey, markCarrier, recordIntegralFloats, recordSourceKeys } from "../../source_keys.ts";
import { type FlatScan, numberEnd, scanFlat, stringEnd } from "./_json_flat_scan.ts";

// A key whose text is a digit, or a digit escaped: only then can JSON.parse have moved a key.
const MAY_HOLD_INDEX_KEY = /"(?:[0-9]|\\u003[0-9])/;
// A number with a dot followed by zeros only, or with an exponent: only then can a float be integral.
const MAY_HOLD_INTEGRAL_FLOAT = /[0-9]\.0*(?![0-9])|[0-9][eE]/;

/**
 * JSON.parse of `text`, with what json.load would keep recorded (see {@link recordJsonSource}; a reviver,
 * which sees each number's source text, costs more than the scan).
 *
 * @example
 * ```ts
 * const value = parseJsonSource('{"lr": 1.0}'); // { lr: 1 }; pyJsonDump(value) is '{"lr": 1.0}'
 * ```
 */
export function parseJsonSource(text: string): unknown {
  const value = JSON.parse(text);
  recordJsonSource(text, value);
  return value;
}

/** One object or array of the text: its keys (null for an array), and per slot where its value starts. */
interface Scanned {
  keys: string[] | null;
  /** Per slot (key or item, in file order), the index of the first container that opens after it. */
  starts: number[];
  /** The slots whose value is a float without a fraction, and its value. */
  floats: Map<number, number> | undefined;
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
  const mayHoldIndexKey = MAY_HOLD_INDEX_KEY.test(text);
  if (!mayHoldIndexKey && !MAY_HOLD_INTEGRAL_FLOAT.test(text)) return;
  if (typeof value !== "object" || value === null) return;
  // No key JSON.parse could have moved: only floats to record, by the flat scan (a repeated key, which
  // leaves an object fewer keys than the file, takes the full one).
  if (!mayHoldIndexKey && recordFlatFloats(scanFlat(text), value)) return;
  const containers = scanContainers(text);
  let next = 0;
  let consistent = true;
  // JSON.parse's containers in the order they open: each one, then its values in file order. Returns
  // whether the node holds recorded facts at some depth (marked for copies as it goes).
  const walk = (node: object): boolean => {
    const scanned = containers[next++];
    if (!consistent || !scanned || Array.isArray(node) !== (scanned.keys === null)) {
      consistent = false;
      return false;
    }
    let carries = false;
    if (Array.isArray(node)) {
      if (scanned.starts.length !== node.length) return (consistent = false);
      if (scanned.floats) recordFloats(node, scanned.floats, (slot) => String(slot));
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item !== "object" || item === null) continue;
        next = scanned.starts[i];
        carries = walk(item) || carries;
      }
      return markCarrier(node, carries);
    }
    const record = node as Record<string, unknown>;
    const own = Object.keys(node).length;
    let keys = scanned.keys!;
    let slots: number[] | undefined; // each kept key's slot, when a key repeats
    if (keys.length !== own) {
      // A repeated key keeps its first place and its last value (JSON.parse, as json.load).
      const last = new Map<string, number>();
      keys.forEach((key, i) => last.set(key, i));
      keys = [...last.keys()];
      slots = [...last.values()];
      if (keys.length !== own) return (consistent = false);
    }
    let indexKey = false;
    for (const key of keys) {
      if (!Object.hasOwn(node, key)) return (consistent = false);
      if (!indexKey && isIndexKey(key)) indexKey = true;
    }
    if (indexKey) recordSourceKeys(node, keys);
    if (scanned.floats) recordFloats(node, scanned.floats, (slot) => scanned.keys![slot]);
    for (let i = 0; i < keys.length; i++) {
      const item = record[keys[i]];
      if (typeof item !== "object" || item === null) continue;
      next = scanned.starts[slots ? slots[i] : i]; // past the containers of a value a repeated key replaced
      carries = walk(item) || carries;
    }
    return markCarrier(node, carries);
  };
  if (typeof value === "object" && value !== null) walk(value);
}

// The floats without a fraction the scan found in a container, those still holding that value.
function recordFloats(node: object, floats: Map<number, number>, keyOf: (slot: number) => string): void {
  const found = new Map<string, number>();
  for (const [slot, number] of floats) {
    const key = keyOf(slot);
    if ((node as Record<string, unknown>)[key] === number) found.set(key, number);
  }
  recordIntegralFloats(node, found);
}

/**
 * Records the integral floats of a flat scan on `value`, walking it in the order its containers opened;
 * false when the value and the scan disagree (a repeated key), the full scan's case.
 */
function recordFlatFloats(scan: FlatScan, value: object): boolean {
  const { isArray, slots, floatHead, floatNext, floatSlot, floatValue } = scan;
  let next = 0;
  let consistent = true;
  // Records the container's floats still holding their value; whether there were any.
  const floatsOf = (container: number, keyOf: (slot: number) => string, node: object): boolean => {
    const found = new Map<string, number>();
    for (let f = floatHead[container]; f >= 0; f = floatNext[f]) {
      const key = keyOf(floatSlot[f]);
      if ((node as Record<string, unknown>)[key] === floatValue[f]) found.set(key, floatValue[f]);
    }
    recordIntegralFloats(node, found);
    return found.size > 0;
  };
  const walk = (node: object): boolean => {
    const container = next++;
    const array = Array.isArray(node);
    if (container >= isArray.length || array !== (isArray[container] === 1)) return (consistent = false);
    let carries = false;
    let own = false; // a fresh object from JSON.parse: its floats are its only facts
    if (array) {
      if (node.length !== slots[container]) return (consistent = false);
      if (floatHead[container] >= 0) own = floatsOf(container, String, node);
      for (let i = 0; i < node.length && consistent; i++) {
        const item = node[i];
        if (typeof item === "object" && item !== null) carries = walk(item) || carries;
      }
    } else {
      const keys = Object.keys(node);
      if (keys.length !== slots[container]) return (consistent = false);
      if (floatHead[container] >= 0) own = floatsOf(container, (slot) => keys[slot], node);
      for (let i = 0; i < keys.length && consistent; i++) {
        const item = (node as Record<string, unknown>)[keys[i]];
        if (typeof item === "object" && item !== null) carries = walk(item) || carries;
      }
    }
    return markCarrier(node, carries, own);
  };
  walk(value);
  return consistent;
}

/** Every object and array of valid JSON text, in the order they open (one pass over the character codes). */
function scanContainers(text: string): Scanned[] {
  const containers: Scanned[] = [];
  const stack: Scanned[] = [];
  let top: Scanned | undefined;
  let expectKey = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 58) continue; // blanks and ':'
    if (c === 34) { // '"'
      const start = i;
      i = stringEnd(text, i);
      if (expectKey && top?.keys) {
        const raw = text.slice(start + 1, i); // with a backslash, JSON.parse decodes it
        top.keys.push(raw.includes("\\") ? JSON.parse(text.slice(start, i + 1)) : raw);
        top.starts.push(containers.length);
        expectKey = false;
      } else if (top?.keys === null) top.starts.push(containers.length);
    } else if (c === 123 || c === 91) { // '{' '['
      if (top?.keys === null) top.starts.push(containers.length);
      const scanned: Scanned = { keys: c === 123 ? [] : null, starts: [], floats: undefined };
      containers.push(scanned);
      stack.push(scanned);
      top = scanned;
      expectKey = c === 123;
    } else if (c === 125 || c === 93) { // '}' ']'
      stack.pop();
      top = stack[stack.length - 1];
      expectKey = false;
    } else if (c === 44) { // ','
      expectKey = top !== undefined && top.keys !== null;
    } else {
      // A number, a literal, or Python's NaN / Infinity / -Infinity: up to the next delimiter.
      if (top?.keys === null) top.starts.push(containers.length);
      const start = i;
      i = numberEnd(text, i);
      if (i < 0) i = -i; // not a float that can be integral
      else if (top) {
        const number = Number(text.slice(start, i + 1));
        if (Number.isInteger(number)) (top.floats ??= new Map()).set(top.starts.length - 1, number);
      }
    }
  }
  return containers;
}
