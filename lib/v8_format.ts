/**
 * The constants of V8's serialization format that lib/v8_writer.ts and lib/v8_reader.ts share (see
 * lib/v8_codec.ts), and the signal for what the codec leaves to `node:v8`.
 *
 * @module
 */

/** Thrown inside the codec for what it leaves to `node:v8`. */
export class Unsupported extends Error {}

export const FORMAT_VERSION = 15;
// Node's DefaultSerializer writes array buffer views as host objects, tagged by their index in this list
// (10 is Node's Buffer, which only node:buffer can rebuild).
export const VIEW_TYPES: readonly (
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | DataViewConstructor
  | undefined
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
)[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  DataView,
  undefined,
  BigInt64Array,
  BigUint64Array,
];
export const VIEW_INDEX = new Map<object, number>(
  VIEW_TYPES.flatMap((type, i) => (type ? [[type.prototype, i] as [object, number]] : [])),
);
export const FLAG_BITS: Record<string, number> = {
  g: 1,
  i: 2,
  m: 4,
  y: 8,
  u: 16,
  s: 32,
  l: 64,
  d: 128,
  v: 256,
};
const T = (c: string) => c.charCodeAt(0);
export const TAG = {
  padding: 0,
  verifyCount: T("?"),
  hole: T("-"),
  undefined: T("_"),
  null: T("0"),
  true: T("T"),
  false: T("F"),
  int32: T("I"),
  uint32: T("U"),
  double: T("N"),
  bigint: T("Z"),
  utf8: T("S"),
  oneByte: T('"'),
  twoByte: T("c"),
  reference: T("^"),
  object: T("o"),
  objectEnd: T("{"),
  sparse: T("a"),
  sparseEnd: T("@"),
  dense: T("A"),
  denseEnd: T("$"),
  date: T("D"),
  regexp: T("R"),
  map: T(";"),
  mapEnd: T(":"),
  set: T("'"),
  setEnd: T(","),
  arrayBuffer: T("B"),
  host: T("\\"),
} as const;

/**
 * Work (a unit per value, and per 64 characters of a string) past which a value is left to node:v8: its
 * native code is ~4x faster on large object graphs, and past this size (~8 ms of work here, cold) that pays
 * for loading it (~8 ms).
 * Typed arrays and buffers count as one value whatever their size: their bytes are copied at native speed.
 */
export const WORK_BUDGET = 8_000;
/** Inputs larger than this go to node:v8 without a try. */
export const DECODE_LIMIT_BYTES = 16 << 20;
