/**
 * A float without a fraction (`1.0`) on its way through `${…}` interpolation: a JavaScript number cannot
 * say it was a float, and OmegaConf keeps `lr: ${runtime_params:lr}` the float 1.0 that `--params lr=1.0`
 * gave (written `1.0`, and `r-1.0` inside text). Interpolation passes this wrapper between its steps and
 * records the mark (lib/source_keys.ts) on the mapping or list the value lands in.
 *
 * @module
 */
import { pyFloatRepr } from "../py_float.ts";
import { pyStr } from "../py_repr.ts";
import { isSourceFloat, recordIntegralFloats, sourceFloats } from "../source_keys.ts";

/** An integral number that its source held as a float. */
export class HeldFloat {
  constructor(readonly value: number) {}
}

/**
 * `value`, read at `key` of `container`, wrapped when the container records it as a float.
 *
 * @example
 * ```ts
 * heldAt(parsed, "lr", parsed.lr); // HeldFloat(1) for `lr: 1.0`
 * ```
 */
export function heldAt(container: unknown, key: string | number, value: unknown): unknown {
  if (typeof value !== "number" || typeof container !== "object" || container === null) return value;
  return isSourceFloat(container, String(key), value) ? new HeldFloat(value) : value;
}

/**
 * The plain value (a wrapped float is its number).
 *
 * @example
 * ```ts
 * plainOf(new HeldFloat(1)); // 1
 * ```
 */
export function plainOf(value: unknown): unknown {
  return value instanceof HeldFloat ? value.value : value;
}

/**
 * Python's `str()` of a value written into text (a wrapped float as `1.0`).
 *
 * @example
 * ```ts
 * textOf(new HeldFloat(1)); // "1.0"
 * ```
 */
export function textOf(value: unknown): string {
  return value instanceof HeldFloat ? pyFloatRepr(value.value) : pyStr(value);
}

/**
 * Records on `container` (a mapping or list just built from `items`, its keys and the values as resolved)
 * the wrapped floats among them, beside the floats it already records.
 *
 * @example
 * ```ts
 * settleFloats(record, [["lr", new HeldFloat(1)]]); // record marks lr a float
 * ```
 */
export function settleFloats(container: object, items: readonly (readonly [string, unknown])[]): void {
  let floats: Map<string, number> | undefined;
  for (const [key, value] of items) {
    if (!(value instanceof HeldFloat)) continue;
    floats ??= new Map(sourceFloats(container));
    floats.set(key, value.value);
  }
  if (floats) recordIntegralFloats(container, floats);
}
