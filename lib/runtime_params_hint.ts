/**
 * How a hint tells its reader to give a runtime parameter: on the command line with `--params`, or, from a
 * script's session, with `KmlfSession.create`'s `runtimeParams` option (a script has no `--params`).
 *
 * @module
 */

/** The name hints use for `KmlfSession.create`'s `runtimeParams` option, where no flag gave them. */
export const RUNTIME_PARAMS_OPTION = "runtimeParams";

/**
 * How to give runtime parameter `key` (dotted): `--params model.lr=...` for a flag, else the session
 * option, nested (`runtimeParams: { model: { lr: ... } }`) as a script writes it. `value` is the
 * placeholder written.
 *
 * @example
 * ```ts
 * passRuntimeParam("model.lr", "--params"); // "--params model.lr=..."
 * passRuntimeParam("model.lr", "runtimeParams"); // "runtimeParams: { model: { lr: ... } } to KmlfSession.create"
 * ```
 */
export function passRuntimeParam(key: string, flag = "--params", value = "..."): string {
  if (flag !== RUNTIME_PARAMS_OPTION) return `${flag} ${key}=${value}`;
  const nested = key.split(".").reduceRight(
    (inner, part) => `{ ${/^[A-Za-z_$][\w$]*$/.test(part) ? part : JSON.stringify(part)}: ${inner} }`,
    value,
  );
  return `${RUNTIME_PARAMS_OPTION}: ${nested} to KmlfSession.create`;
}
