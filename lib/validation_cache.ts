/**
 * Validation results remembered across runs: a project's configuration is the same from one `kmlf run` to
 * the next, and building its schemas (~370 zod schemas for a tracked run) and parsing it again cost a run
 * 3–6 ms. A value that passed a schema before, in this very build of kmlf, gives the same output again, so
 * `cachedSafeParse` (lib/zod/mod.ts) answers it from `.kmlf/cache/validated.json` without building the schema.
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
/** Values with more parts are not remembered (a whole pipeline file of 10,000 nodes): walking them costs. */
const MAX_VALUE_ITEMS = 2_000;
/** Deeper values are not remembered either; this also ends the walk of a cycle. */
const MAX_DEPTH = 64;
// A tagged special value in the encoded form; a key of this name in a value makes it unencodable.
const TAG = "\u0000kmlf";
const ENCODED_TAG = JSON.stringify(TAG).slice(1, -1);

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

/** What the cache holds for one value of one schema: its remembered output, or the way to remember it. */
export interface CacheSlot {
  /** The output remembered for the value, if it passed the schema before. */
  readonly hit?: { output: unknown };
  /** Remembers the output the value passed the schema with (nothing if it would not come back the same). */
  remember(output: unknown): void;
}

const NO_SLOT: CacheSlot = { remember() {} };

/**
 * The cache's slot for `value` under the schema `id` (a slot that remembers nothing when the cache is off or
 * the value cannot be kept).
 *
 * @example
 * ```ts
 * const slot = cacheSlot("pipeline:node", entry);
 * if (!slot.hit) slot.remember(schema.parse(entry));
 * ```
 */
export function cacheSlot(id: string, value: unknown): CacheSlot {
  const key = state && keyOf(id, value);
  if (key === undefined) return NO_SLOT;
  const cache = state!;
  const hit = cache.entries.get(key);
  if (hit !== undefined) {
    cache.used.add(key);
    return { hit: { output: decode(hit) }, remember() {} };
  }
  return {
    remember(output) {
      // The entries used by this process are all written; older ones fill what room is left.
      const text = cache.used.size < MAX_ENTRIES ? encode(output) : undefined;
      if (text === undefined) return;
      cache.entries.set(key, text);
      cache.used.add(key);
      cache.dirty = true;
    },
  };
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
 * function, a symbol, a bigint, an object that is not plain, an array with holes, a key named like the tag,
 * a cycle, or more than {@link MAX_VALUE_ITEMS} values in all. A walk decides; JSON.stringify's own speed
 * writes the usual value.
 */
function encode(value: unknown): string | undefined {
  const walk = { items: 0, tagged: false };
  if (!exact(value, walk, 0)) return undefined;
  if (!walk.tagged) return JSON.stringify(value);
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string) {
    const raw = this[key];
    if (typeof raw !== "number" || (Number.isFinite(raw) && !Object.is(raw, -0))) return raw;
    return { [TAG]: Object.is(raw, -0) ? "-0" : String(raw) };
  });
}

// Whether JSON (with tags for NaN, ±Infinity and -0) carries the value exactly; a cycle ends at MAX_DEPTH.
function exact(value: unknown, walk: { items: number; tagged: boolean }, depth: number): boolean {
  if (++walk.items > MAX_VALUE_ITEMS || depth > MAX_DEPTH) return false;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      if (!Number.isFinite(value) || Object.is(value, -0)) walk.tagged = true;
      return true;
    case "object":
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !exact(value[i], walk, depth + 1)) return false; // a hole, or not exact
        }
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype || Object.hasOwn(value, TAG)) return false;
      for (const key in value) {
        if (!exact((value as Record<string, unknown>)[key], walk, depth + 1)) return false;
      }
      return true;
  }
  return false;
}

function decode(text: string): unknown {
  if (!text.includes(ENCODED_TAG)) return JSON.parse(text);
  return JSON.parse(text, (_key, value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, TAG)) {
      return value;
    }
    return Number(value[TAG]); // "NaN", "Infinity", "-Infinity", "-0"
  });
}
