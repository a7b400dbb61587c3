/**
 * lib/v8_codec.ts against node:v8 on hand-picked and generated values: what it writes, node:v8 reads back
 * as it reads its own bytes (and, for values V8 lays out one way only, the bytes are the same); what
 * node:v8 writes, it reads as node:v8 does; what it leaves to node:v8 goes there.
 */
import assert from "node:assert/strict";
import { deserialize, serialize } from "node:v8";
import { isDeepStrictEqual } from "node:util";
import { Buffer } from "node:buffer";
import { DECODE_LIMIT_BYTES, decodeV8, encodeV8, WORK_BUDGET } from "../lib/v8_codec.ts";
import { v8Deserialize, v8Serialize } from "../lib/v8_serializer.ts";
import { seededRandom } from "./seeded_random.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** Checks one value both ways; `sameBytes` where V8 has a single layout for it. */
function check(value: unknown, label: string, sameBytes = true): void {
  const ours = encodeV8(value);
  const theirs = serialize(value);
  assert.ok(ours, `${label}: not encoded`);
  if (sameBytes) assert.equal(hex(ours), hex(theirs), `${label}: bytes`);
  assert.ok(
    isDeepStrictEqual(deserialize(ours), deserialize(theirs)),
    `${label}: node:v8 reads ours differently`,
  );
  const decoded = decodeV8(theirs);
  assert.ok(decoded, `${label}: node:v8's bytes not decoded`);
  assert.ok(
    isDeepStrictEqual(decoded.value, deserialize(theirs)),
    `${label}: we read node:v8's bytes differently`,
  );
  assert.ok(isDeepStrictEqual(decodeV8(ours)!.value, deserialize(theirs)), `${label}: our own round trip`);
}

Deno.test("hand-picked values: V8's exact bytes, and read back as node:v8 reads them", () => {
  const shared = { x: 1 };
  const cycle: Record<string, unknown> = { name: "c" };
  cycle.self = cycle;
  const cases: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["true", true],
    ["false", false],
    ["0", 0],
    ["-1", -1],
    ["int32 max", 2 ** 31 - 1],
    ["int32 min", -(2 ** 31)],
    ["2^31", 2 ** 31],
    ["-0", -0],
    ["1.5", 1.5],
    ["NaN", NaN],
    ["-Infinity", -Infinity],
    ["max safe", Number.MAX_SAFE_INTEGER],
    ["latin-1", "héllo ÿ"],
    ["empty", ""],
    ["two-byte", "x€"],
    ["emoji", "🌍 ok"],
    ["lone surrogate", "a\ud800b"],
    ["0n", 0n],
    ["big", 123456789012345678901234567890n],
    ["-2^64", -(2n ** 64n)],
    ["2^64-1", 2n ** 64n - 1n],
    ["object", { a: 1, b: "two", c: [3] }],
    ["index keys", { 2: "b", 1: "a", x: 0, [2 ** 31]: "big index" }],
    ["__proto__ key", JSON.parse('{"__proto__": {"x": 1}, "b": 2}')],
    ["dense", [1, "a", null, undefined, [2]]],
    ["empty array", []],
    ["named", Object.assign([1, 2], { x: 3 })],
    ["holes", [1, , 3]],
    ["date", new Date(1733500000000)],
    ["invalid date", new Date(NaN)],
    ["regexp", /a+(b)?/gimsuyd],
    ["regexp v", /[\p{L}--a]/v],
    ["regexp source", new RegExp("a/b\n")],
    ["map", new Map<unknown, unknown>([[1, "a"], [{ k: 1 }, new Set([1])]])],
    ["set", new Set(["x", 1, null])],
    ["u8", new Uint8Array([1, 2, 255])],
    ["f64", new Float64Array([1.5, -0, NaN])],
    ["i16", new Int16Array([-2])],
    ["u8c", new Uint8ClampedArray([9])],
    ["u16", new Uint16Array([65535])],
    ["i32", new Int32Array([-5])],
    ["u32", new Uint32Array([7])],
    ["f32", new Float32Array([0.5])],
    ["i8", new Int8Array([-1])],
    ["bi64", new BigInt64Array([-1n])],
    ["bu64", new BigUint64Array([2n ** 63n])],
    ["dataview", new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)],
    ["arraybuffer", new Uint8Array([5, 6]).buffer],
    ["view of part", new Uint8Array(new ArrayBuffer(8), 2, 3)],
    ["subarray", new Float32Array([1, 2, 3]).subarray(1)],
    ["shared", [shared, shared, { again: shared }]],
    ["cycle", cycle],
    ["padding", ["a", "€", { k: "€€" }]],
    ["nested", {
      model: { weights: [[0.1, -0.2], [0.3, 0.4]], classes: ["a", "b"], mean: new Float64Array([1, 2]) },
    }],
  ];
  for (const [label, value] of cases) check(value, label, label !== "holes");
});

// Generated values: every kind the codec writes, nested, with shared references.
function generate(random: () => number, depth: number, pool: object[]): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const text = () => {
    const alphabet = ["a", "Z", "0", " ", "é", "ÿ", "€", "中", "🌍", "\u0000", "\ud800", "\n", '"'];
    return Array.from({ length: Math.floor(random() * 6) }, () => pick(alphabet)).join("");
  };
  const leaf = (): unknown =>
    pick([
      () => undefined,
      () => null,
      () => random() < 0.5,
      () => Math.floor((random() - 0.5) * 2 ** 33),
      () => (random() - 0.5) * 1e6,
      () => pick([NaN, Infinity, -Infinity, -0, 2 ** 31, -(2 ** 31) - 1]),
      () => BigInt(Math.floor((random() - 0.5) * 2 ** 40)) ** BigInt(1 + Math.floor(random() * 3)),
      text,
    ])();
  if (depth <= 0 || random() < 0.3) return leaf();
  if (pool.length > 0 && random() < 0.1) return pick(pool);
  const child = () => generate(random, depth - 1, pool);
  const kind = Math.floor(random() * 9);
  let value: object;
  if (kind === 0) {
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      o[random() < 0.2 ? String(Math.floor(random() * 5)) : text()] = child();
    }
    value = o;
  } else if (kind === 1) {
    const a = Array.from({ length: Math.floor(random() * 4) }, child);
    if (random() < 0.2) (a as unknown as Record<string, unknown>).extra = child();
    value = a;
  } else if (kind === 2) {
    value = new Map(Array.from({ length: Math.floor(random() * 3) }, () => [child(), child()]));
  } else if (kind === 3) value = new Set(Array.from({ length: Math.floor(random() * 3) }, child));
  else if (kind === 4) value = new Date(Math.floor(random() * 2e12));
  else if (kind === 5) {
    value = new RegExp(pick(["a", "b+", "[x-z]", "(?:)"]), pick(["", "g", "im", "su", "y"]));
  } else if (kind === 6) {
    const type = pick([Uint8Array, Int16Array, Float64Array, Int32Array, Float32Array, Uint32Array]);
    value = new type(
      Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 200) - 100),
    );
  } else if (kind === 7) value = new BigInt64Array([BigInt(Math.floor(random() * 1e9))]);
  else {value = new Uint8Array(Array.from({ length: Math.floor(random() * 5) }, () =>
      Math.floor(random() * 256))).buffer;}
  pool.push(value);
  return value;
}

Deno.test("2,000 generated values read back as node:v8 reads them, both ways", () => {
  const random = seededRandom(20261206);
  for (let i = 0; i < 2000; i++) {
    const value = generate(random, 4, []);
    // Arrays built one element at a time can be laid out sparse or dense by V8: values, not bytes.
    check(value, `case ${i}`, false);
  }
});

Deno.test("what the codec leaves to node:v8 comes back as undefined, and v8_serializer hands it over", async () => {
  class Model {
    w = [1];
  }
  const leftToNode: [string, unknown][] = [
    ["class instance", new Model()],
    ["error", new Error("boom")],
    ["Buffer", Buffer.from([1, 2])],
    ["boxed", new Number(3)],
    ["subclass", new (class extends Map {})()],
    ["resizable", new ArrayBuffer(2, { maxByteLength: 4 })],
    ["an object posing as a Date", Object.create(Date.prototype)],
  ];
  for (const [label, value] of leftToNode) {
    assert.equal(encodeV8(value), undefined, label);
    const bytes = await v8Serialize(value);
    assert.equal(hex(bytes), hex(serialize(value)), label);
    assert.ok(isDeepStrictEqual(await v8Deserialize(bytes), deserialize(serialize(value))), label);
  }
  // node:v8 rebuilds a Buffer as a Buffer and an error as an Error: the codec does not try.
  assert.equal(decodeV8(serialize(Buffer.from([1]))), undefined);
  assert.ok((await v8Deserialize(serialize(Buffer.from([1])))) instanceof Buffer);
  assert.ok((await v8Deserialize(serialize(new Error("e")))) instanceof Error);
  // Functions and symbols: node:v8's own error.
  await assert.rejects(v8Serialize({ f() {} }), /could not be cloned/);
  await assert.rejects(v8Serialize(Symbol("s")), /could not be cloned/);
  // A Proxy shows as the object it wraps (JavaScript cannot tell it apart); node:v8 refuses it.
  assert.throws(() => serialize(new Proxy({ a: 1 }, {})), /could not be cloned/);
  assert.deepEqual(deserialize((await v8Serialize(new Proxy({ a: 1 }, {}))) as Uint8Array), { a: 1 });
  // Bytes that are not V8's: node:v8's own error too.
  await assert.rejects(v8Deserialize(new TextEncoder().encode("not a pickle")));
  await assert.rejects(v8Deserialize(new Uint8Array([0xff, 0x0f, 0x6f, 0x22, 0x05, 0x61])));
});

Deno.test("older format versions and large inputs go where they should", () => {
  // Version 13 with the object-count check some V8 versions wrote.
  assert.deepEqual(decodeV8(new Uint8Array([0xff, 0x0d, 0x3f, 0x01, 0x49, 0x04]))?.value, 2);
  assert.equal(decodeV8(new Uint8Array([0xff, 0x10, 0x49, 0x04])), undefined); // a newer format: node:v8's
  // Large object graphs go to node:v8's native code; large typed arrays stay (their bytes copy natively).
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}` }));
  assert.ok(encodeV8(rows(1000)));
  assert.ok(encodeV8(rows(WORK_BUDGET)) === undefined);
  assert.equal(decodeV8(serialize(rows(WORK_BUDGET))), undefined);
  assert.ok(encodeV8("x".repeat(64 * WORK_BUDGET)) === undefined, "a long string goes to node:v8");
  assert.ok(decodeV8(serialize("x".repeat(64 * WORK_BUDGET))) === undefined);
  const weights = new Float64Array(1 << 17); // 1 MB
  assert.ok(isDeepStrictEqual(decodeV8(encodeV8(weights)!)?.value, weights));
  assert.ok(decodeV8(new Uint8Array(DECODE_LIMIT_BYTES + 1)) === undefined);
});
