/** A catalog's dataset factory patterns in the order a name tries them: most specific first, the catch-all last. */
import { type DatasetPattern, rankPatterns, resolvePattern } from "./patterns.ts";

/**
 * The ranked factory patterns of a catalog and its one catch-all (`"{default}"`), if any.
 *
 * @example
 * ```ts
 * const patterns = FactoryPatterns.of(compiled);
 * patterns.match("cars_csv"); // { pattern, config: { type: "csv", filepath: "data/cars.csv" } }
 * ```
 */
export class FactoryPatterns {
  readonly #ranked: readonly DatasetPattern[];
  readonly #catchAll?: DatasetPattern;

  private constructor(ranked: readonly DatasetPattern[], catchAll?: DatasetPattern) {
    this.#ranked = ranked;
    this.#catchAll = catchAll;
  }

  /** No patterns: every undeclared name is unmatched. */
  static readonly NONE: FactoryPatterns = new FactoryPatterns([]);

  /** The patterns ranked by specificity; the first catch-all is the one used (more are a problem of their own). */
  static of(patterns: readonly DatasetPattern[]): FactoryPatterns {
    const catchAll = patterns.find((p) => p.specificity === 0);
    return new FactoryPatterns(rankPatterns(patterns.filter((p) => p.specificity > 0)), catchAll);
  }

  /** Every pattern in the order names try them. */
  all(): DatasetPattern[] {
    return [...this.#ranked, ...(this.#catchAll ? [this.#catchAll] : [])];
  }

  /** The first pattern `name` matches, with its resolved config. */
  match(name: string): { pattern: DatasetPattern; config: Record<string, unknown> } | undefined {
    for (const pattern of this.all()) {
      const config = resolvePattern(pattern, name);
      if (config) return { pattern, config };
    }
    return undefined;
  }

  /** Whether `pattern` is the catch-all. */
  isCatchAll(pattern: DatasetPattern): boolean {
    return pattern === this.#catchAll;
  }
}
