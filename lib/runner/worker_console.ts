/**
 * A parallel runner's worker prints through the main thread: its console is replaced by one of Deno's own
 * consoles (the class behind `globalThis.console`) whose printer posts the finished text, so tables, group
 * indentation, counters, timers, assertions and traces read exactly as the sequential runner prints them.
 *
 * @module
 */
import type { ConsoleLevel } from "./worker_protocol.ts";
import { denoConsoleClass, PRINTING_CONSOLE_METHODS } from "../deno_console.ts";

/**
 * Replaces the printing methods of `globalThis.console` with those of a Deno console that hands each
 * printed line (or block: a table, a trace) to `send`, without its final newline, with the printer's level:
 * 0 debug, 1 log/info/dir/table/count/time/group, 2 warn, 3 error and assert, 4 trace (both stderr).
 * Returns false, changing nothing, where the runtime does not expose its console class.
 *
 * @example
 * ```ts
 * forwardConsole((text, level) => self.postMessage({ type: "console", text, level }));
 * ```
 */
export function forwardConsole(send: (text: string, level: ConsoleLevel) => void): boolean {
  const DenoConsole = denoConsoleClass();
  if (!DenoConsole) return false;
  // A trace comes in two pieces (the stack, then its newline): lines are sent once they are whole.
  let pending = "";
  let clearing = false;
  const ours = new DenoConsole((text, level) => {
    if (clearing) return;
    pending += text;
    if (!pending.endsWith("\n")) return;
    const whole = pending.slice(0, -1);
    pending = "";
    send(whole, Math.min(Math.max(level, 0), 4) as ConsoleLevel);
  });
  const target = console as unknown as Record<string, unknown>;
  const source = ours as unknown as Record<string, unknown>;
  for (const method of PRINTING_CONSOLE_METHODS) target[method] = source[method];
  // console.clear ends the groups too; the screen itself is the worker's own console's to clear.
  const clear = console.clear;
  console.clear = () => {
    clearing = true;
    try {
      ours.clear();
    } finally {
      clearing = false;
    }
    clear();
  };
  return true;
}
