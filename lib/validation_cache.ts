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
 * the sources the cache is off, since a schema edited there would not change any key. The file holds none of
 * the project's values (catalog entries carry resolved credentials): a digest of each value, and of its
 * output only what the schema added (defaults), the rest taken again from the value when it is read: copied
 * where zod builds new objects, the value's own object where zod hands a part through (`z.unknown()`). An
 * entry that does not fit the value (a damaged or hand-edited file) is not taken.
 *
 * @module
 */
import { clonePlain } from "./plain_copy.ts";

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
  const output = hit === undefined ? NOT_KEPT : taken(hit, value);
  if (output !== NOT_KEPT) {
    cache.used.add(key);
    return { hit: { output }, remember() {} };
  }
  return {
    remember(output) {
      // The entries used by this process are all written; older ones fill what room is left.
      const text = cache.used.size < MAX_ENTRIES ? encode(elide(output, value)) : undefined;
      if (text === undefined) return;
      cache.entries.set(key, text);
      cache.used.add(key);
      cache.dirty = true;
    },
  };
}

/**
 * The key of `value` under the schema `id` in the cache file: the id and a digest of the value, so that the
 * file holds no value a project wrote (credentials are merged into catalog entries before they are checked).
 * Undefined for a value the cache does not keep.
 *
 * @example
 * ```ts
 * keyOf("catalog:csv", { filepath: "data/a.csv" }); // "catalog:csv 1f3a…"
 * ```
 */
export function keyOf(id: string, value: unknown): string | undefined {
  const input = encode(value);
  return input === undefined ? undefined : `${id} ${digest(input)}`;
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
    // Readable by its owner only: digests of values that may hold credentials. A new file: never written
    // through a file or link already at that name (another process's, one planted in a shared folder).
    Deno.writeTextFileSync(tmp, text, { mode: 0o600, createNew: true });
    Deno.renameSync(tmp, file); // whole or not at all, also with two runs ending at once
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return; // not this process's to remove
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
    // Only a file: a FIFO or a link to a device there would block or never end the read.
    if (!Deno.statSync(file).isFile) return new Map();
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
    if (raw === SAME || raw === SHARED) return { [TAG]: raw === SAME ? "=" : "&" };
    if (typeof raw !== "number" || (Number.isFinite(raw) && !Object.is(raw, -0))) return raw;
    return { [TAG]: Object.is(raw, -0) ? "-0" : String(raw) };
  });
}

// Whether JSON (with tags for NaN, ±Infinity and -0) carries the value exactly; a cycle ends at MAX_DEPTH.
function exact(value: unknown, walk: { items: number; tagged: boolean }, depth: number): boolean {
  if (value === SAME || value === SHARED) return walk.tagged = true;
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

// Stands for "the part of the input at this place, as it was" in a remembered output: a copy of it.
const SAME = Symbol("same as the input");
// Stands for "the input's own object at this place": zod hands a part it does not look into (`z.unknown()`)
// through as it is, so the same object (with what is kept beside it by identity: lib/source_keys.ts).
const SHARED = Symbol("the input's object");
// A remembered output that does not fit the value (a file written by hand): not taken.
const NOT_KEPT = Symbol("not kept");

/**
 * The output with every part equal to the input at the same place replaced by {@link SAME} (tagged "=" in
 * the file), or by {@link SHARED} ("&") where it is the input's very object: what is left is what the schema
 * added, its defaults — none of the project's own values.
 */
function elide(output: unknown, input: unknown): unknown {
  if (output === null || typeof output !== "object") return Object.is(output, input) ? SAME : output;
  if (output === input) return SHARED;
  if (input === null || typeof input !== "object" || Array.isArray(output) !== Array.isArray(input)) {
    return output;
  }
  const from = input as Record<string, unknown>;
  const parts = Array.isArray(output)
    ? output.map((item, i) => i in from ? elide(item, from[i]) : item)
    : Object.fromEntries(
      Object.entries(output).map(([k, v]) => [k, Object.hasOwn(from, k) ? elide(v, from[k]) : v]),
    );
  const same = Object.values(parts).every((p) => p === SAME) &&
    Object.keys(parts).join("\u0000") === Object.keys(from).join("\u0000");
  return same ? SAME : parts;
}

/**
 * The output {@link elide} left, with each {@link SAME} taken again from the input (copied, as zod builds new
 * objects) and each {@link SHARED} being the input's own object; throws {@link NOT_KEPT} when a part it takes
 * from the input is not there (an entry not written for this value: a file edited by hand or damaged).
 */
function rebuild(kept: unknown, input: unknown): unknown {
  if (kept === SAME) return clonePlain(input);
  if (kept === SHARED) {
    if (input === null || typeof input !== "object") throw NOT_KEPT;
    return input;
  }
  if (kept === null || typeof kept !== "object") return kept;
  const from = (input !== null && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const part = (key: string | number, v: unknown) => {
    const own = Object.hasOwn(from, key);
    if (!own && (v === SAME || v === SHARED)) throw NOT_KEPT;
    return rebuild(v, own ? from[key] : undefined);
  };
  if (Array.isArray(kept)) return kept.map((item, i) => part(i, item));
  return Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, part(k, v)]));
}

// The output remembered as `text` for `value`; NOT_KEPT when the text is not an output or does not fit the
// value (a damaged or hand-edited file): the value is then parsed, as without the file.
function taken(text: string, value: unknown): unknown {
  try {
    return rebuild(decode(text), value);
  } catch {
    return NOT_KEPT;
  }
}

/** 106 bits of two seeded cyrb53 hashes of the text, in hex: a key that does not keep the text. */
function digest(text: string): string {
  return cyrb53(text, 0x9e3779b9).toString(16).padStart(14, "0") +
    cyrb53(text, 0x85ebca6b).toString(16).padStart(14, "0");
}

// cyrb53 (public domain, bryc): a fast 53-bit string hash.
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function decode(text: string): unknown {
  if (!text.includes(ENCODED_TAG)) return JSON.parse(text);
  return JSON.parse(text, (_key, value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, TAG)) {
      return value;
    }
    const tag = value[TAG];
    return tag === "=" ? SAME : tag === "&" ? SHARED : Number(tag); // "NaN", "Infinity", "-Infinity", "-0"
  });
}
