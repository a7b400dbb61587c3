/**
 * Validation results remembered across runs: a project's configuration is the same from one `kmlf run` to
 * the next, and building its schemas (~370 zod schemas for a tracked run) and parsing it again cost a run
 * 3–6 ms. A value that passed a schema before, in this very build of kmlf, gives the same output again, so
 * `cachedSafeParse` (./mod.ts) answers it from `.kmlf/cache/validated.json` without building the schema.
 * This module imports no zod: commands that validate nothing turn the cache on without loading it.
 *
 * Only successes are remembered (a failure is always parsed again, so its errors are always fresh), only
 * values that round-trip exactly (plain objects, arrays, strings, booleans, null and numbers, including
 * NaN, ±Infinity and -0), and only under a build fingerprint: kmlf's bundle carries one (`BUILD_ID`); from
 * the sources the cache is off, since a schema edited there would not change any key.
 *
 * @module
 */
/** Entries kept in the file at most: those of the last run first, then older ones. */
const MAX_ENTRIES = 2000;
// A tagged special value in the encoded form; a key of this name in a value makes it unencodable.
const TAG = "\u0000kmlf";

interface CacheState {
  file: string;
  fingerprint: string;
  entries: Map<string, string>;
  used: Set<string>;
  dirty: boolean;
}

let state: CacheState | undefined;
let listening = false;

/**
 * Turns the cache on for this process: reads `<dir>/validated.json` when it was written by the same build
 * (`fingerprint`), and writes it back when the process ends, if a value was validated anew. Without a
 * fingerprint (kmlf running from its sources) the cache stays off. A file that cannot be read or written
 * is ignored: the cache only saves time.
 *
 * @example
 * ```ts
 * useValidationCache(join(root, ".kmlf", "cache"), BUILD_ID);
 * ```
 */
export function useValidationCache(dir: string, fingerprint: string | undefined): void {
  const file = `${dir}/validated.json`;
  if (fingerprint === undefined || (state?.file === file && state.fingerprint === fingerprint)) return;
  writeValidationCache(); // another project's, in a long-lived process
  state = { file, fingerprint, entries: readEntries(file, fingerprint), used: new Set(), dirty: false };
  if (!listening) globalThis.addEventListener("unload", () => writeValidationCache());
  listening = true;
}

/**
 * The output remembered for a value that passed the schema `id` before, or undefined.
 *
 * @example
 * ```ts
 * const hit = rememberedOutput("pipeline/node", entry);
 * ```
 */
export function rememberedOutput(id: string, value: unknown): { output: unknown } | undefined {
  const key = state && keyOf(id, value);
  const hit = key === undefined ? undefined : state!.entries.get(key);
  if (hit === undefined) return undefined;
  state!.used.add(key!);
  return { output: decode(hit) };
}

/**
 * Remembers that `value` passed the schema `id` with `output` (if the cache is on and both round-trip).
 *
 * @example
 * ```ts
 * rememberOutput("pipeline/node", entry, parsed.data);
 * ```
 */
export function rememberOutput(id: string, value: unknown, output: unknown): void {
  const key = state && keyOf(id, value);
  const text = key === undefined ? undefined : encode(output);
  if (text === undefined) return;
  state!.entries.set(key!, text);
  state!.used.add(key!);
  state!.dirty = true;
}

function keyOf(id: string, value: unknown): string | undefined {
  const input = encode(value);
  return input === undefined ? undefined : `${id}\n${input}`;
}

/**
 * Writes the cache file if this process validated a value anew (called when the process ends); the
 * entries this process used come first, older ones fill up to {@link MAX_ENTRIES}.
 *
 * @example
 * ```ts
 * writeValidationCache();
 * ```
 */
export function writeValidationCache(): void {
  if (!state?.dirty) return;
  const { file, fingerprint, entries, used } = state;
  state.dirty = false;
  const kept = [...used, ...[...entries.keys()].filter((k) => !used.has(k))].slice(0, MAX_ENTRIES);
  const text = JSON.stringify({ fingerprint, entries: kept.map((k) => [k, entries.get(k)]) });
  const tmp = `${file}.${Deno.pid}.tmp`;
  try {
    Deno.mkdirSync(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(tmp, text);
    Deno.renameSync(tmp, file); // whole or not at all, also with two runs ending at once
  } catch {
    try {
      Deno.removeSync(tmp);
    } catch { /* never written */ }
  }
}

/**
 * Turns the cache off again (tests); unwritten entries are dropped.
 *
 * @example
 * ```ts
 * stopValidationCache();
 * ```
 */
export function stopValidationCache(): void {
  state = undefined;
}

function readEntries(file: string, fingerprint: string): Map<string, string> {
  try {
    const saved = JSON.parse(Deno.readTextFileSync(file));
    if (saved?.fingerprint !== fingerprint || !Array.isArray(saved.entries)) return new Map();
    return new Map(saved.entries.filter((e: unknown) => isPair(e)));
  } catch {
    return new Map(); // none yet, or unreadable: start afresh
  }
}

function isPair(entry: unknown): entry is [string, string] {
  return Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "string";
}

/**
 * The value as JSON text, numbers JSON cannot hold tagged; undefined for anything that would not come back
 * the same: undefined (JSON.parse's reviver would drop the key), a class instance (a Date, a Map), a
 * function, a symbol, a bigint, a cycle, an object that is not plain, an array with holes or extra keys,
 * or a key named like the tag.
 */
function encode(value: unknown): string | undefined {
  let exact = true;
  const replacer = function (this: Record<string, unknown>, key: string): unknown {
    const raw = this[key]; // before toJSON: a Date arrives here as itself
    switch (typeof raw) {
      case "string":
      case "boolean":
        return raw;
      case "number":
        return Number.isFinite(raw) && !Object.is(raw, -0)
          ? raw
          : { [TAG]: String(Object.is(raw, -0) ? "-0" : raw) };
      case "object":
        // Returned as is, not as toJSON made it: its own keys come through this replacer in turn.
        if (raw === null || (Array.isArray(raw) && isDense(raw))) return raw;
        if (isPlainObject(raw) && !Object.hasOwn(raw, TAG)) return raw;
    }
    exact = false;
    return null;
  };
  try {
    const text = JSON.stringify(value, replacer);
    return exact ? text : undefined;
  } catch {
    return undefined; // a cycle
  }
}

function decode(text: string): unknown {
  return JSON.parse(text, (_key, value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, TAG)) {
      return value;
    }
    return Number(value[TAG]); // "NaN", "Infinity", "-Infinity", "-0"
  });
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype && Object.getOwnPropertySymbols(value).length === 0;
}

function isDense(array: unknown[]): boolean {
  if (Object.keys(array).length !== array.length) return false; // holes or extra keys
  return Object.getOwnPropertySymbols(array).length === 0;
}
