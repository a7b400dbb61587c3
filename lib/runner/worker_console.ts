/**
 * A parallel runner's worker prints through the main thread: its console's printing methods are those of a
 * console of Deno's own class (lib/text_console.ts) whose texts are posted, so tables, group indentation,
 * counters, timers, assertions and traces read exactly as the sequential runner prints them.
 *
 * @module
 */
import type { ConsoleLevel } from "./worker_protocol.ts";
import { textConsole } from "../text_console.ts";

/**
 * Replaces the printing methods of `globalThis.console` with those of a console that hands each printed
 * line (or block: a table, a trace) to `send`, without its final newline, with its {@link ConsoleLevel}.
 * `console.clear` ends the groups and calls `clear`: the main thread clears where its console prints.
 *
 * @example
 * ```ts
 * forwardConsole((text, level) => self.postMessage({ type: "console", text, level }), () => self.postMessage({ type: "clear" }));
 * ```
 */
export function forwardConsole(send: (text: string, level: ConsoleLevel) => void, clear: () => void): void {
  Object.assign(console, textConsole(send, clear));
}
