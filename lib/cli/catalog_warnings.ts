/** Printing the broken catalog entries a command can do without (Kedro's lazy catalog, made visible). */
import type { CatalogWarning } from "../catalog/mod.ts";
import { renderError } from "../errors.ts";
import { err, style } from "./terminal.ts";

/**
 * One warning per broken entry: its first problem exactly as the error would read, then a note on why
 * kmlf goes on and how to see everything.
 *
 * @example
 * ```ts
 * for (const w of catalog.warnings) err(renderCatalogWarning(w, { root, note: "not used by this run" }));
 * ```
 */
export function renderCatalogWarning(
  warning: CatalogWarning,
  options: { root: string; note: string },
): string {
  const [first, ...more] = warning.problems;
  const text = renderError(first, { relativeTo: options.root }).replace(/^error\[/, "warning[");
  const extra = more.length > 0
    ? `; ${more.length} more problem${more.length === 1 ? "" : "s"} in this entry`
    : "";
  if (warning.note !== undefined) return `${text}\n  note: ${warning.note}${extra}`;
  return `${text}\n  note: ${options.note}${extra}; \`kmlf catalog validate\` checks every entry`;
}

/**
 * Prints {@link renderCatalogWarning} for each warning to stderr, in yellow on a terminal.
 *
 * @example
 * ```ts
 * for (const w of catalog.warnings) printCatalogWarning(w, { root, note: "not used by this run" });
 * ```
 */
export function printCatalogWarning(warning: CatalogWarning, options: { root: string; note: string }): void {
  err(style.yellow(renderCatalogWarning(warning, options)));
}
