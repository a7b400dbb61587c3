/** Dataset-name conventions shared by pipelines, the catalog and the runner: transcoding and parameters. */

/**
 * The dataset a transcoded name refers to: `"x@pandas"` → `"x"`.
 *
 * @example
 * ```ts
 * transcodeBase("model@json"); // "model"
 * ```
 */
export function transcodeBase(name: string): string {
  const at = name.indexOf("@");
  return at < 0 ? name : name.slice(0, at);
}

/**
 * What is wrong with a dataset name's transcoding (`base@format`), or undefined when it is fine: more than
 * one `@` (Kedro: "Expected maximum 1 transcoding separator"), or an empty base or format (a typo that would
 * make `x@` a second name of `x`). Parameters are not datasets: `params:team.ann@x.org` is fine.
 *
 * @example
 * ```ts
 * transcodingProblem("model@pickle"); // undefined
 * transcodingProblem("model@a@b"); // 'has 2 "@" separators'
 * ```
 */
export function transcodingProblem(name: string): string | undefined {
  if (!name.includes("@") || isParameter(name)) return undefined;
  const parts = name.split("@");
  if (parts.length > 2) return `has ${parts.length - 1} "@" separators`;
  if (parts[0] === "") return 'has nothing before "@"';
  if (parts[1] === "") return 'has nothing after "@"';
  return undefined;
}

/** The hint for a {@link transcodingProblem}. */
export const TRANSCODING_HINT =
  'use at most one transcoding separator, with text on both sides: "name@format"';

/**
 * Whether an input name is a parameter (`parameters` or `params:<path>`).
 *
 * @example
 * ```ts
 * isParameter("params:model.lr"); // true
 * ```
 */
export function isParameter(name: string): boolean {
  return name === "parameters" || name.startsWith("params:");
}
