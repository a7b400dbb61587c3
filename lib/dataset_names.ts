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
