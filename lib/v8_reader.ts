/**
 * Reads V8's serialization format (lib/v8_codec.ts says for which values).
 *
 * @module
 */
import { markSourceKeys, recordSourceKeys } from "./source_keys.ts";
import {
  DECODE_LIMIT_BYTES,
  FLAG_BITS,
  FORMAT_VERSION,
  TAG,
  Unsupported,
  VIEW_TYPES,
  WORK_BUDGET,
} from "./v8_format.ts";

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
    const reader = new Reader(bytes);
    const value = reader.read();
    if (reader.ordered) markSourceKeys(value);
    return { value };
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

class Reader {
  #bytes: Uint8Array;
  #view: DataView;
  #pos = 0;
  #objects: unknown[] = [];
  #budget = WORK_BUDGET;
  /** Whether some object's keys were kept in the order read. */
  ordered = false;

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
        const keys = this.#properties(object, TAG.objectEnd);
        this.#varint();
        // Keys written in an order a JavaScript object cannot list (`2` before `1`, a pickled file's order)
        // are kept beside it (lib/source_keys.ts).
        const own = keys.length > 1 ? Object.keys(object) : keys;
        if (keys.some((key, i) => key !== own[i])) {
          recordSourceKeys(object, [...new Set(keys)]);
          this.ordered = true;
        }
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

  // The keys in the order they were read.
  #properties(target: Record<string, unknown>, end: number): string[] {
    const keys: string[] = [];
    for (;;) {
      const tag = this.#tag();
      if (tag === end) return keys;
      const key = this.#value(tag);
      if (typeof key !== "string" && typeof key !== "number") throw new Unsupported();
      keys.push(String(key));
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
