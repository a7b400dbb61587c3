/**
 * Deno's own console class (the one behind `globalThis.console`), which takes a printer: kmlf redirects a
 * console through it so tables, groups, counters, timers, assertions and traces print exactly as Deno prints
 * them (`kmlf run --json` sends them to stderr; a parallel worker sends them to the main thread). A leaf
 * module every layer may import.
 *
 * @module
 */

/** A printer of Deno's console: the text (with its newline) and the level (0 debug … 3 error, 4 trace). */
export type ConsolePrinter = (text: string, level: number) => void;

/** The console methods that print (`clear` aside: each redirection decides what clearing means). */
export const PRINTING_CONSOLE_METHODS = [
  "log",
  "info",
  "debug",
  "warn",
  "error",
  "dir",
  "dirxml",
  "table",
  "assert",
  "trace",
  "count",
  "countReset",
  "time",
  "timeLog",
  "timeEnd",
  "group",
  "groupCollapsed",
  "groupEnd",
] as const;

/**
 * Deno's console class, or undefined where the runtime does not expose it (`Deno[Deno.internal].Console`
 * is internal: callers keep a fallback).
 *
 * @example
 * ```ts
 * const DenoConsole = denoConsoleClass();
 * const stderrConsole = DenoConsole && new DenoConsole((text) => Deno.stderr.writeSync(new TextEncoder().encode(text)));
 * ```
 */
export function denoConsoleClass(): (new (print: ConsolePrinter) => Console) | undefined {
  const internal = (Deno as unknown as { internal?: symbol }).internal;
  const DenoConsole = internal === undefined
    ? undefined
    : (Deno as unknown as Record<symbol, { Console?: unknown } | undefined>)[internal]?.Console;
  return typeof DenoConsole === "function"
    ? DenoConsole as new (print: ConsolePrinter) => Console
    : undefined;
}
