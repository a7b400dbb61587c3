/**
 * V8's serialization format (what `node:v8`'s `serialize` writes, format versions 13–15) for the values a
 * pipeline usually pickles: primitives, plain objects and arrays, Date, RegExp, Map, Set, ArrayBuffer and
 * typed arrays, with shared and circular references. `node:v8` loads `node:buffer`, ~8 ms of every run
 * that saves or loads a pickle; this codec needs nothing. Anything else (class instances, errors, Buffers,
 * functions, boxed primitives, very large values) is `undefined` here, and lib/v8_serializer.ts hands it to
 * `node:v8`, so results and errors stay V8's own. One difference: a Proxy of a plain object or array is
 * written as the object it shows (JavaScript cannot tell a Proxy apart), where `node:v8` refuses it. The bytes
 * are V8's layout (see v8/src/objects/value-serializer.cc); tests/v8_codec_test.ts checks both directions
 * against `node:v8`.
 *
 * @module
 */

/** Thrown inside the codec for what it leaves to `node:v8`. */
class Unsupported extends Error {}

const FORMAT_VERSION = 15;
// Node's DefaultSerializer writes array buffer views as host objects, tagged by their index in this list
// (10 is Node's Buffer, which only node:buffer can rebuild).
const VIEW_TYPES: readonly (
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
const VIEW_INDEX = new Map<object, number>(
  VIEW_TYPES.flatMap((type, i) => (type ? [[type.prototype, i] as [object, number]] : [])),
);
const FLAG_BITS: Record<string, number> = { g: 1, i: 2, m: 4, y: 8, u: 16, s: 32, l: 64, d: 128, v: 256 };
const T = (c: string) => c.charCodeAt(0);
const TAG = {
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

/**
 * V8's serialization of `value`, or `undefined` when it holds something this codec leaves to `node:v8`.
 *
 * @example
 * ```ts
 * encodeV8({ a: [1, 2] }); // Uint8Array [255, 15, 111, …]
 * encodeV8(() => 1); // undefined (node:v8 reports the error)
 * ```
 */
export function encodeV8(value: unknown): Uint8Array | undefined {
  const writer = new Writer();
  try {
    writer.value(value);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
  return writer.bytes();
}

/**
 * The value V8 serialized into `bytes`, or `undefined` when they hold something this codec leaves to
 * `node:v8` (including bytes that are not V8's format: node:v8 words that error).
 *
 * @example
 * ```ts
 * decodeV8(encodeV8(new Map([["a", 1]]))!)?.value; // Map { "a" => 1 }
 * ```
 */
export function decodeV8(bytes: Uint8Array): { value: unknown } | undefined {
  if (bytes.length > DECODE_LIMIT_BYTES) return undefined;
  try {
    return { value: new Reader(bytes).read() };
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

class Writer {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #len = 0;
  #ids = new Map<object, number>();
  #budget = WORK_BUDGET;

  constructor() {
    this.#byte(0xff);
    this.#varint(FORMAT_VERSION);
  }

  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  value(v: unknown): void {
    if (--this.#budget < 0) throw new Unsupported();
    switch (typeof v) {
      case "undefined":
        return this.#byte(TAG.undefined);
      case "boolean":
        return this.#byte(v ? TAG.true : TAG.false);
      case "number":
        return this.#number(v);
      case "bigint":
        return this.#bigint(v);
      case "string":
        if ((this.#budget -= v.length >> 6) < 0) throw new Unsupported();
        return this.#string(v);
      case "object":
        if (v === null) return this.#byte(TAG.null);
        return this.#object(v);
      default: // functions and symbols: node:v8's error
        throw new Unsupported();
    }
  }

  #object(v: object): void {
    const id = this.#ids.get(v);
    if (id !== undefined) {
      this.#byte(TAG.reference);
      return this.#varint(id);
    }
    const proto = Object.getPrototypeOf(v);
    const view = VIEW_INDEX.get(proto);
    // Only exact built-in kinds: a subclass or a class instance is V8's (and Node's) business.
    if (
      view === undefined && proto !== Object.prototype && proto !== null && proto !== Array.prototype &&
      proto !== Date.prototype && proto !== RegExp.prototype && proto !== Map.prototype &&
      proto !== Set.prototype && proto !== ArrayBuffer.prototype
    ) throw new Unsupported();
    if (proto === Array.prototype && !Array.isArray(v)) throw new Unsupported();
    this.#ids.set(v, this.#ids.size);
    if (view !== undefined) return this.#view_(v as ArrayBufferView, view);
    if (proto === Array.prototype) return this.#array(v as unknown[]);
    if (proto === Date.prototype) {
      this.#byte(TAG.date);
      return this.#double((v as Date).getTime());
    }
    if (proto === RegExp.prototype) return this.#regexp(v as RegExp);
    if (proto === Map.prototype) {
      this.#byte(TAG.map);
      const map = v as Map<unknown, unknown>;
      for (const [key, value] of [...map]) {
        this.value(key);
        this.value(value);
      }
      this.#byte(TAG.mapEnd);
      return this.#varint(map.size * 2);
    }
    if (proto === Set.prototype) {
      this.#byte(TAG.set);
      const set = v as Set<unknown>;
      for (const item of [...set]) this.value(item);
      this.#byte(TAG.setEnd);
      return this.#varint(set.size);
    }
    if (proto === ArrayBuffer.prototype) {
      const buffer = v as ArrayBuffer;
      if ((buffer as { resizable?: boolean }).resizable || (buffer as { detached?: boolean }).detached) {
        throw new Unsupported();
      }
      this.#byte(TAG.arrayBuffer);
      this.#varint(buffer.byteLength);
      return this.#raw(new Uint8Array(buffer));
    }
    const keys = Object.keys(v);
    this.#byte(TAG.object);
    this.#properties(v as Record<string, unknown>, keys);
    this.#byte(TAG.objectEnd);
    this.#varint(keys.length);
  }

  #properties(v: Record<string, unknown>, keys: string[]): void {
    for (const key of keys) {
      this.#key(key);
      this.value(v[key]);
    }
  }

  #array(v: unknown[]): void {
    const length = v.length;
    let dense = true;
    for (let i = 0; i < length && dense; i++) if (!(i in v)) dense = false;
    if (dense) {
      this.#byte(TAG.dense);
      this.#varint(length);
      for (let i = 0; i < length; i++) this.value(v[i]);
      const named = Object.keys(v).slice(length);
      this.#properties(v as unknown as Record<string, unknown>, named);
      this.#byte(TAG.denseEnd);
      this.#varint(named.length);
      return this.#varint(length);
    }
    this.#byte(TAG.sparse);
    this.#varint(length);
    const keys = Object.keys(v);
    this.#properties(v as unknown as Record<string, unknown>, keys);
    this.#byte(TAG.sparseEnd);
    this.#varint(keys.length);
    this.#varint(length);
  }

  #view_(v: ArrayBufferView, index: number): void {
    const buffer = v.buffer as ArrayBuffer & { resizable?: boolean; detached?: boolean };
    if (!(buffer instanceof ArrayBuffer) || buffer.resizable || buffer.detached) throw new Unsupported();
    this.#byte(TAG.host);
    this.#varint(index);
    this.#varint(v.byteLength);
    this.#raw(new Uint8Array(buffer, v.byteOffset, v.byteLength));
  }

  #regexp(v: RegExp): void {
    let bits = 0;
    for (const flag of v.flags) {
      const bit = FLAG_BITS[flag];
      if (bit === undefined) throw new Unsupported();
      bits |= bit;
    }
    this.#byte(TAG.regexp);
    this.#string(v.source);
    this.#varint(bits);
  }

  // Array-index keys as V8 writes them: numbers.
  #key(key: string): void {
    const n = key.length <= 10 && /^(?:0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
    if (n <= 0x7fffffff) {
      this.#byte(TAG.int32);
      return this.#varint(((n << 1) ^ (n >> 31)) >>> 0);
    }
    if (n < 0xffffffff) {
      this.#byte(TAG.double);
      return this.#double(n);
    }
    this.#string(key);
  }

  #number(v: number): void {
    if ((v | 0) === v && !Object.is(v, -0)) {
      this.#byte(TAG.int32);
      return this.#varint(((v << 1) ^ (v >> 31)) >>> 0);
    }
    this.#byte(TAG.double);
    this.#double(v);
  }

  #bigint(v: bigint): void {
    const negative = v < 0n;
    let rest = negative ? -v : v;
    const words: bigint[] = [];
    while (rest > 0n) {
      words.push(rest & 0xffffffffffffffffn);
      rest >>= 64n;
    }
    this.#byte(TAG.bigint);
    this.#varint(words.length * 8 * 2 + (negative ? 1 : 0));
    this.#reserve(words.length * 8);
    for (const word of words) {
      this.#view.setBigUint64(this.#len, word, true);
      this.#len += 8;
    }
  }

  #string(s: string): void {
    let oneByte = true;
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0xff) {
        oneByte = false;
        break;
      }
    }
    if (oneByte) {
      this.#byte(TAG.oneByte);
      this.#varint(s.length);
      this.#reserve(s.length);
      for (let i = 0; i < s.length; i++) this.#buf[this.#len++] = s.charCodeAt(i);
      return;
    }
    const byteLength = s.length * 2;
    // V8 aligns two-byte characters: a padding tag when the data would start at an odd offset.
    if ((this.#len + 1 + varintSize(byteLength)) & 1) this.#byte(TAG.padding);
    this.#byte(TAG.twoByte);
    this.#varint(byteLength);
    this.#reserve(byteLength);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.#buf[this.#len++] = c & 0xff;
      this.#buf[this.#len++] = c >> 8;
    }
  }

  #double(d: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#len, d, true);
    this.#len += 8;
  }

  #varint(n: number): void {
    this.#reserve(10);
    while (n >= 0x80) {
      this.#buf[this.#len++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.#buf[this.#len++] = n;
  }

  #byte(b: number): void {
    this.#reserve(1);
    this.#buf[this.#len++] = b;
  }

  #raw(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

class Reader {
  #bytes: Uint8Array;
  #view: DataView;
  #pos = 0;
  #objects: unknown[] = [];
  #budget = WORK_BUDGET;

  constructor(bytes: Uint8Array) {
    // A plain view: a Node Buffer's slice() shares memory, and views read from it must own theirs.
    this.#bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  read(): unknown {
    if (this.#byte() !== 0xff) throw new Unsupported();
    const version = this.#varint();
    if (version < 13 || version > FORMAT_VERSION) throw new Unsupported();
    return this.#value(this.#tag());
  }

  #tag(): number {
    for (;;) {
      const tag = this.#byte();
      if (tag === TAG.padding) continue;
      if (tag === TAG.verifyCount) {
        this.#varint();
        continue;
      }
      return tag;
    }
  }

  #peekTag(): number {
    const at = this.#pos;
    const tag = this.#tag();
    this.#pos = at;
    return tag;
  }

  #value(tag: number): unknown {
    if (--this.#budget < 0) throw new Unsupported();
    switch (tag) {
      case TAG.undefined:
        return undefined;
      case TAG.null:
        return null;
      case TAG.true:
        return true;
      case TAG.false:
        return false;
      case TAG.int32: {
        const z = this.#varint();
        return (z >>> 1) ^ -(z & 1);
      }
      case TAG.uint32:
        return this.#varint();
      case TAG.double:
        return this.#double();
      case TAG.bigint:
        return this.#bigint();
      case TAG.oneByte:
      case TAG.twoByte:
      case TAG.utf8:
        return this.#stringBody(tag);
      case TAG.reference: {
        const id = this.#varint();
        if (!(id in this.#objects)) throw new Unsupported();
        return this.#objects[id];
      }
      case TAG.object: {
        const object: Record<string, unknown> = {};
        this.#objects.push(object);
        this.#properties(object, TAG.objectEnd);
        this.#varint();
        return object;
      }
      case TAG.dense: {
        const length = this.#varint();
        if (length > this.#bytes.length - this.#pos) throw new Unsupported();
        const array = new Array(length);
        this.#objects.push(array);
        for (let i = 0; i < length; i++) {
          const t = this.#tag();
          if (t !== TAG.hole) array[i] = this.#value(t);
        }
        this.#properties(array as unknown as Record<string, unknown>, TAG.denseEnd);
        this.#varint();
        this.#varint();
        return array;
      }
      case TAG.sparse: {
        const length = this.#varint();
        const array = new Array(length);
        this.#objects.push(array);
        this.#properties(array as unknown as Record<string, unknown>, TAG.sparseEnd);
        this.#varint();
        this.#varint();
        return array;
      }
      case TAG.date: {
        const date = new Date(this.#double());
        this.#objects.push(date);
        return date;
      }
      case TAG.regexp: {
        const id = this.#objects.push(undefined) - 1;
        const source = this.#stringBody(this.#tag());
        const bits = this.#varint();
        let flags = "";
        for (const [flag, bit] of Object.entries(FLAG_BITS)) if (bits & bit) flags += flag;
        if (bits & ~0x1ff) throw new Unsupported();
        let regexp: RegExp;
        try {
          regexp = new RegExp(source, [...flags].sort(flagOrder).join(""));
        } catch {
          throw new Unsupported();
        }
        return this.#objects[id] = regexp;
      }
      case TAG.map: {
        const map = new Map<unknown, unknown>();
        this.#objects.push(map);
        while (this.#peekTag() !== TAG.mapEnd) map.set(this.#value(this.#tag()), this.#value(this.#tag()));
        this.#tag();
        this.#varint();
        return map;
      }
      case TAG.set: {
        const set = new Set<unknown>();
        this.#objects.push(set);
        while (this.#peekTag() !== TAG.setEnd) set.add(this.#value(this.#tag()));
        this.#tag();
        this.#varint();
        return set;
      }
      case TAG.arrayBuffer: {
        const buffer = this.#raw(this.#varint()).slice().buffer;
        this.#objects.push(buffer);
        return buffer;
      }
      case TAG.host: {
        const type = VIEW_TYPES[this.#varint()];
        if (!type) throw new Unsupported(); // Node's Buffer, or an index this codec does not know
        const byteLength = this.#varint();
        const copy = this.#raw(byteLength).slice().buffer;
        const size = "BYTES_PER_ELEMENT" in type ? type.BYTES_PER_ELEMENT : 1;
        if (byteLength % size !== 0) throw new Unsupported();
        const view = type === DataView ? new DataView(copy) : new (type as Uint8ArrayConstructor)(copy);
        this.#objects.push(view);
        return view;
      }
      default: // errors, boxed primitives, resizable or shared buffers, V8's own views, wasm: node:v8's
        throw new Unsupported();
    }
  }

  #properties(target: Record<string, unknown>, end: number): void {
    for (;;) {
      const tag = this.#tag();
      if (tag === end) return;
      const key = this.#value(tag);
      if (typeof key !== "string" && typeof key !== "number") throw new Unsupported();
      const value = this.#value(this.#tag());
      if (key === "__proto__") {
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
      } else target[key] = value;
    }
  }

  #stringBody(tag: number): string {
    const length = this.#varint();
    if ((this.#budget -= length >> 6) < 0) throw new Unsupported();
    const bytes = this.#raw(length);
    if (tag === TAG.utf8) return new TextDecoder().decode(bytes);
    let s = "";
    if (tag === TAG.oneByte) {
      for (let i = 0; i < length; i += 8192) {
        s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
      }
      return s;
    }
    if (tag !== TAG.twoByte || length % 2 !== 0) throw new Unsupported();
    const units = new Uint16Array(length / 2);
    for (let i = 0; i < units.length; i++) units[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
    for (let i = 0; i < units.length; i += 8192) {
      s += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
    }
    return s;
  }

  #bigint(): bigint {
    const bitfield = this.#varint();
    const byteLength = Math.floor(bitfield / 2);
    if (byteLength % 8 !== 0) throw new Unsupported();
    const bytes = this.#raw(byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let value = 0n;
    for (let i = byteLength - 8; i >= 0; i -= 8) value = (value << 64n) | view.getBigUint64(i, true);
    return bitfield & 1 ? -value : value;
  }

  #double(): number {
    if (this.#pos + 8 > this.#bytes.length) throw new Unsupported();
    const d = this.#view.getFloat64(this.#pos, true);
    this.#pos += 8;
    return d;
  }

  #raw(n: number): Uint8Array {
    if (this.#pos + n > this.#bytes.length) throw new Unsupported();
    const bytes = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return bytes;
  }

  #varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Unsupported();
  }

  #byte(): number {
    if (this.#pos >= this.#bytes.length) throw new Unsupported();
    return this.#bytes[this.#pos++];
  }
}

// RegExp flags in the order JavaScript lists them (`dgimsuvy`), whatever order V8's bits come in.
function flagOrder(a: string, b: string): number {
  return "dgilmsuvy".indexOf(a) - "dgilmsuvy".indexOf(b);
}
