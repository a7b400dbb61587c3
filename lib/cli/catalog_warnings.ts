/** Printing the broken catalog entries a command can do without (Kedro's lazy catalog, made visible). */
import type { CatalogWarning } from "../catalog/mod.ts";
import type { KmlfError } from "../errors.ts";
import { renderError } from "../error_render.ts";
import { err, style } from "./terminal.ts";

/**
 * One warning per broken entry: its first problem exactly as the error would read, then a note on why
 * kmlf goes on and how to see everything. A warning with its own note (an entry kmlf uses as is) shows
 * every problem, then that note.
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
  const shown = (problem: KmlfError) =>
    renderError(problem, { relativeTo: options.root }).replace(/^error\[/, "warning[");
  if (warning.note !== undefined) return `${warning.problems.map(shown).join("\n")}\n  note: ${warning.note}`;
  const [first, ...more] = warning.problems;
  const text = shown(first);
  const extra = more.length > 0
    ? `; ${more.length} more problem${more.length === 1 ? "" : "s"} in this entry`
    : "";
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
