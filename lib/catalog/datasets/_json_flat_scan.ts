/**
 * The integral floats of JSON text whose keys JSON.parse cannot reorder (no key starts with a digit), for
 * lib/catalog/datasets/_json_source_keys.ts: then JSON.parse's objects list their keys in the file's
 * order, a walk of the parsed value meets the containers in the order they open, and the scan keeps no key
 * text, only numbers in flat arrays (a per-container object for 10^5 rows was most of the cost: its
 * garbage). Strings are skipped with indexOf.
 */

/** Every container of the text in the order they open, and the integral floats each holds. */
export interface FlatScan {
  /** Per container: 1 for an array, 0 for an object. */
  isArray: number[];
  /** Per container: how many keys or items it has. */
  slots: number[];
  /** Per container: its first float (an index into floatSlot), or -1. */
  floatHead: number[];
  /** Per container: its last float, for appending in file order. */
  floatTail: number[];
  /** Per float: the next float of its container, or -1. */
  floatNext: number[];
  /** Per float: its slot (key or item index, in file order) in its container. */
  floatSlot: number[];
  /** Per float: its value. */
  floatValue: number[];
}

/**
 * Scans valid JSON text (JSON.parse accepted it) once.
 *
 * @example
 * ```ts
 * scanFlat('[{"a": 1.0}]').floatValue; // [1]
 * ```
 */
export function scanFlat(text: string): FlatScan {
  const scan: FlatScan = {
    isArray: [],
    slots: [],
    floatHead: [],
    floatTail: [],
    floatNext: [],
    floatSlot: [],
    floatValue: [],
  };
  const { isArray, slots, floatHead, floatTail, floatNext, floatSlot, floatValue } = scan;
  const stack: number[] = [];
  let top = -1;
  let inArray = false;
  let expectKey = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 58) continue; // blanks and ':'
    if (c === 34) { // '"': to the closing quote, one not escaped by an odd run of backslashes
      i = stringEnd(text, i);
      if (expectKey) slots[top]++, expectKey = false;
      else if (inArray) slots[top]++;
    } else if (c === 123 || c === 91) { // '{' '['
      if (inArray) slots[top]++;
      top = isArray.length;
      isArray.push(c === 91 ? 1 : 0);
      slots.push(0);
      floatHead.push(-1);
      floatTail.push(-1);
      stack.push(top);
      inArray = c === 91;
      expectKey = !inArray;
    } else if (c === 125 || c === 93) { // '}' ']'
      stack.pop();
      top = stack.length > 0 ? stack[stack.length - 1] : -1;
      inArray = top >= 0 && isArray[top] === 1;
      expectKey = false;
    } else if (c === 44) { // ','
      expectKey = top >= 0 && !inArray;
    } else {
      // A number, a literal, or Python's NaN / Infinity / -Infinity: up to the next delimiter.
      if (inArray) slots[top]++;
      const start = i;
      i = numberEnd(text, i);
      if (i < 0 || top < 0) {
        i = i < 0 ? -i : i;
        continue;
      }
      const number = Number(text.slice(start, i + 1));
      if (!Number.isInteger(number)) continue;
      const f = floatSlot.length;
      floatSlot.push(slots[top] - 1);
      floatValue.push(number);
      floatNext.push(-1);
      if (floatTail[top] < 0) floatHead[top] = f;
      else floatNext[floatTail[top]] = f;
      floatTail[top] = f;
    }
  }
  return scan;
}

/**
 * The index of the quote that closes the string opening at `start` (the text's length when none does).
 *
 * @example
 * ```ts
 * stringEnd('"a\\"b" 1', 0); // 5
 * ```
 */
export function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1 && escapedQuote(text, end)) end = text.indexOf('"', end + 1);
  return end === -1 ? text.length : end;
}

/**
 * The index of the last character of the number (or literal) starting at `start`; negated when it cannot
 * be a float without a fraction (no dot or exponent, or a nonzero digit after the dot and no exponent:
 * most floats are never sliced or parsed).
 *
 * @example
 * ```ts
 * numberEnd("[1.0, 0.5]", 1); // 3
 * numberEnd("[1.0, 0.5]", 6); // -8
 * ```
 */
export function numberEnd(text: string, start: number): number {
  let dot = false, exponent = false, fraction = false;
  let i = start;
  for (; i + 1 < text.length; i++) {
    const d = text.charCodeAt(i + 1);
    if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9) break;
    if (d === 46) dot = true; // '.'
    else if (d === 101 || d === 69) exponent = true; // 'e', 'E'
    else if (dot && !exponent && d > 48 && d <= 57) fraction = true; // a nonzero digit after the dot
  }
  return exponent || (dot && !fraction) ? i : -i;
}

// Whether the quote at `at` is escaped: preceded by an odd number of backslashes.
function escapedQuote(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
}
