/** Python's spelling of a float, shared by the tracking layer's messages and the PyYAML writer. */

/**
 * Python's `repr(float)`: the shortest round-tripping digits, `1.0` for integral values, exponent
 * form below 1e-4 and from 1e16 on (`1e+16`, `1.5e-05`), `nan`, `inf`.
 *
 * @example
 * ```ts
 * pyFloatRepr(5); // "5.0"
 * pyFloatRepr(1e308); // "1e+308"
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  return `${sign}${int}.${digits.slice(exp + 1) || "0"}`;
}
