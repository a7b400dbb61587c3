/** Exit codes are decided here and only here. */
import {
  ConfigError,
  HookError,
  KmlfAggregateError,
  NodeError,
  RunError,
  RunInterruptedError,
  UsageError,
} from "../errors.ts";
import { projectRefusal } from "./project_runtime_startup.ts";
import { err } from "./terminal.ts";

/** 0 ok, 1 run failed, 2 usage or config error (also internal errors of kmlf, with a bug hint). */
export const EXIT = { ok: 0, runFailed: 1, usage: 2 } as const;

/**
 * Prints an error the way users see it and returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exit(await reportError(new Error("boom"), { debug: false, root: Deno.cwd() }));
 * ```
 */
export async function reportError(
  error: unknown,
  options: { debug: boolean; root?: string },
): Promise<number> {
  error = projectRefusal(error) ?? error;
  // Only a failing command renders an error, so the rendering code loads then, not with every command.
  const { renderError }: typeof import("../error_render.ts") = await import(
    new URL("../error_render.ts", import.meta.url).href
  );
  err(renderError(error, { relativeTo: options.root ?? Deno.cwd(), debug: options.debug }));
  return exitCodeOf(error);
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Run failures (a node, dataset I/O, a hook or tracking failing during the run) → 1; an interrupted run →
 * 128 + the signal's number, like a killed process; everything a user fixes in files or flags → 2.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof KmlfAggregateError) {
    const codes = error.errors.map(exitCodeOf);
    return codes.find((c) => c > EXIT.usage) ??
      (codes.includes(EXIT.runFailed) ? EXIT.runFailed : EXIT.usage);
  }
  if (error instanceof RunInterruptedError) return SIGNAL_EXIT[error.signal];
  if (error instanceof RunError || error instanceof NodeError) return EXIT.runFailed;
  // A hook failing during a run is a run failure, unless it refused a configuration (a bad mlflow.yml).
  if (error instanceof HookError) {
    return error.cause instanceof ConfigError || error.cause instanceof UsageError
      ? EXIT.usage
      : EXIT.runFailed;
  }
  return EXIT.usage;
}
