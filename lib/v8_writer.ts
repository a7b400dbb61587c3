/**
 * Writes V8's serialization format (lib/v8_codec.ts says for which values).
 *
 * @module
 */
import { sourceKeyOrder } from "./source_keys.ts";
import { FLAG_BITS, FORMAT_VERSION, TAG, Unsupported, VIEW_INDEX, WORK_BUDGET } from "./v8_format.ts";

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
    // RangeError: too deep or too long; TypeError: an object posing as a Date or a RegExp. node:v8 decides.
    if (error instanceof Unsupported || error instanceof RangeError || error instanceof TypeError) {
      return undefined;
    }
    throw error;
  }
  return writer.bytes();
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
    // Numbered in the order V8 numbers them; a kind left to node:v8 abandons the whole encoding anyway.
    this.#ids.set(v, this.#ids.size);
    // Only exact built-in kinds: a subclass or a class instance is V8's (and Node's) business.
    const proto = Object.getPrototypeOf(v);
    const view = VIEW_INDEX.get(proto);
    if (view !== undefined) return this.#arrayBufferView(v as ArrayBufferView, view);
    if (proto === Array.prototype && Array.isArray(v)) return this.#array(v);
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
    if (proto !== Object.prototype && proto !== null) throw new Unsupported();
    // A mapping read from a file is written in the file's key order, which V8's format can hold and the
    // reader keeps (a pickled dict keeps its order in Python); any other object in its own order.
    const keys = sourceKeyOrder(v);
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

  #arrayBufferView(v: ArrayBufferView, index: number): void {
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
