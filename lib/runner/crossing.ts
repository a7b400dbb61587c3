/**
 * What can cross a worker boundary. Values travel by structured clone, which throws on functions and
 * symbols and — worse — silently turns a class instance into a plain object without its methods. This
 * walk finds the first such value (with a path the user can read) and collects the ArrayBuffers to
 * transfer instead of copy. Imported by the worker too, so it imports nothing.
 */

/** The first value that cannot cross, e.g. `{ path: ".weights[2]", what: "an instance of class Matrix" }`. */
export interface CrossingProblem {
  /** Relative to the dataset's value: `""` (the value itself), `.a.b[3]`, `.get("key")`. */
  path: string;
  what: string;
}

/** What {@link inspectCrossing} found. */
export interface Crossing {
  problem?: CrossingProblem;
  /** Distinct, transferable ArrayBuffers inside the value (empty unless asked for). */
  transfer: ArrayBuffer[];
}

// Objects structured clone keeps with their type (their prototype is a built-in one).
const CLONEABLE: unknown[] = [
  Date,
  RegExp,
  Boolean,
  Number,
  String,
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  Blob,
  ...(typeof File === "function" ? [File] : []),
  // Also sent between threads with their class: a boxed BigInt (Object(1n)), Deno's DOMException.
  BigInt,
  ...(typeof DOMException === "function" ? [DOMException] : []),
].map((c) => (c as { prototype: unknown }).prototype);

// Built-ins structured clone refuses outright (a DataCloneError), named as the user wrote them.
const UNCLONEABLE = new Map<unknown, string>(
  [
    [WeakMap, "a WeakMap"],
    [WeakSet, "a WeakSet"],
    [WeakRef, "a WeakRef"],
    [Promise, "a Promise (an async value not awaited)"],
    [FinalizationRegistry, "a FinalizationRegistry"],
  ].map(([c, what]) => [(c as { prototype: unknown }).prototype, what as string]),
);

/**
 * Walks `value` (cycles and shared references are fine: structured clone keeps them).
 *
 * @example
 * ```ts
 * inspectCrossing({ w: new Float64Array(4) }, { transfer: true }); // { transfer: [ArrayBuffer] }
 * inspectCrossing({ f: () => 1 }, { transfer: false }).problem;   // { path: ".f", what: "a function" }
 * ```
 */
export function inspectCrossing(value: unknown, options: { transfer: boolean }): Crossing {
  const transfer = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "function") {
      const name = (v as { name?: string }).name;
      return { problem: { path, what: `a function${name ? ` (${name})` : ""}` }, transfer: [] };
    }
    if (typeof v === "symbol") return { problem: { path, what: "a symbol" }, transfer: [] };
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
      const buffer = v instanceof ArrayBuffer ? v : v.buffer;
      if (buffer instanceof ArrayBuffer) {
        if (buffer.detached) {
          return {
            problem: {
              path,
              what: "a detached ArrayBuffer (its memory was already handed to another thread)",
            },
            transfer: [],
          };
        }
        if (options.transfer && buffer.byteLength > 0) transfer.add(buffer);
      }
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const item = v[i];
        if (typeof item === "object" || typeof item === "function" || typeof item === "symbol") {
          stack.push([item, `${path}[${i}]`]);
        }
      }
      continue;
    }
    if (v instanceof Map) {
      for (const [k, item] of v) {
        const key = typeof k === "string" || typeof k === "number" ? JSON.stringify(k) : "…";
        stack.push([item, `${path}.get(${key})`], [k, `${path} (a Map key)`]);
      }
      continue;
    }
    if (v instanceof Set) {
      for (const item of v) stack.push([item, `${path} (a Set element)`]);
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (CLONEABLE.includes(proto)) {
      // Structured clone keeps an Error's message, stack and cause, and silently drops fields set on it
      // (`error.code = "E42"`), which the sequential and thread runners keep.
      const own = v instanceof Error ? Object.keys(v) : [];
      if (own.length > 0) {
        return {
          problem: { path, what: `an Error with fields of its own (${own.join(", ")})` },
          transfer: [],
        };
      }
      continue;
    }
    const refused = UNCLONEABLE.get(proto);
    if (refused) return { problem: { path, what: refused }, transfer: [] };
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto?.constructor as { name?: string } | undefined)?.name;
      return {
        problem: { path, what: `an instance of class ${name || "(anonymous)"}` },
        transfer: [],
      };
    }
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      if (typeof item === "object" || typeof item === "function" || typeof item === "symbol") {
        stack.push([
          item,
          `${path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`,
        ]);
      }
    }
  }
  return { transfer: [...transfer] };
}

/**
 * Why a problem matters, for messages: class instances arrive without methods, the rest cannot be copied.
 *
 * @example
 * ```ts
 * consequence({ path: "", what: "a function" }); // "which cannot be copied to another thread"
 * ```
 */
export function consequence(problem: CrossingProblem): string {
  return problem.what.startsWith("an instance of class")
    ? "which would arrive as a plain object without its class and methods"
    : problem.what.startsWith("an Error with fields")
    ? "which would arrive without them (only an Error's message, stack and cause are copied)"
    : problem.what.startsWith("a detached")
    ? "so it cannot be sent again"
    : "which cannot be copied to another thread";
}

/** The hint of every `runner/cannot-cross` error. */
export const CROSSING_HINT =
  "under --runner parallel, node inputs and outputs are copied between threads (structured clone): use plain data (objects, arrays, typed arrays, Map, Set, Date), or run with --runner thread or sequential";
