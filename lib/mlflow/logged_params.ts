/**
 * The parameters one run has logged so far, and which node logged each: MLflow keeps one value per
 * parameter and run, so a key seen again is either the same value (nothing to log) or a conflict.
 *
 * @module
 */

/** Where a logged parameter came from. */
export interface LoggedParam {
  value: string;
  node: string;
}

/**
 * Remembers a run's logged parameters.
 *
 * @example
 * ```ts
 * const logged = new LoggedParams();
 * logged.fresh({ lr: "0.1" }, "train", () => {}); // { lr: "0.1" }
 * logged.fresh({ lr: "0.2" }, "tune", (key, previous) => console.log(key, previous.node)); // {} (logs "lr train")
 * ```
 */
export class LoggedParams {
  readonly #logged = new Map<string, LoggedParam>();

  /**
   * The entries of `params` not logged before (now remembered as `node`'s); `conflict` is called for each
   * key logged earlier with another value, and may throw.
   */
  fresh(
    params: Record<string, string>,
    node: string,
    conflict: (key: string, previous: LoggedParam, value: string) => void,
  ): Record<string, string> {
    const fresh: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      const previous = this.#logged.get(key);
      if (previous && previous.value !== value) conflict(key, previous, value);
      else if (!previous) {
        this.#logged.set(key, { value, node });
        fresh[key] = value;
      }
    }
    return fresh;
  }
}
