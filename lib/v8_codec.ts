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

export { DECODE_LIMIT_BYTES, WORK_BUDGET } from "./v8_format.ts";
export { decodeV8 } from "./v8_reader.ts";
export { encodeV8 } from "./v8_writer.ts";
