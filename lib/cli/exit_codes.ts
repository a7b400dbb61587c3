/** Exit codes are decided here and only here. */
import { NodeError, renderError, RunError } from "../errors.ts";
import { err } from "./terminal.ts";

/** 0 ok, 1 run failed, 2 usage or config error (also internal errors of kmlf, with a bug hint). */
export const EXIT = { ok: 0, runFailed: 1, usage: 2 } as const;

/**
 * Prints an error the way users see it and returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exit(reportError(new Error("boom"), { debug: false, root: Deno.cwd() }));
 * ```
 */
export function reportError(error: unknown, options: { debug: boolean; root?: string }): number {
  err(renderError(error, { relativeTo: options.root ?? Deno.cwd(), debug: options.debug }));
  return exitCodeOf(error);
}

/** Run failures (a node or dataset I/O during the run) → 1; everything a user fixes in files or flags → 2. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof RunError || error instanceof NodeError) return EXIT.runFailed;
  return EXIT.usage;
}
