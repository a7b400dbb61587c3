/**
 * A console that prints what Deno's console prints and hands each printed text to a sender instead of a
 * stream: one way to capture what node code prints, used by a parallel runner's worker (which posts the text
 * to the main thread) and by a run with a Kedro logging configuration (which logs it under the node's
 * logger). A leaf module every layer may import; nothing on a start path imports it.
 *
 * @module
 */
import { denoConsoleClass, PRINTING_CONSOLE_METHODS } from "./deno_console.ts";
import { formatConsoleArgs, formatConsoleDir } from "./console_text.ts";

/**
 * The level Deno's console prints a text at: 0 `debug`; 1 `log`, `info`, `dir`, `dirxml`, `table`, `count`,
 * `time*`, `group*` (stdout); 2 `warn` and the warnings of `countReset`/`time*` for an unknown label; 3
 * `error` and a failed `assert`; 4 `trace` (2–4 on stderr).
 */
export type PrintLevel = 0 | 1 | 2 | 3 | 4;

/** A console method that prints, or `clear`. */
export type ConsoleMethodName = (typeof PRINTING_CONSOLE_METHODS)[number] | "clear";

/**
 * The methods of a console whose printed texts go to `send`, each once whole (a trace is printed in two
 * pieces), without its final newline: every printing method and `clear` (which ends the groups, prints
 * nothing, then calls `clearScreen`) where the runtime exposes Deno's console class; elsewhere `debug`,
 * `log`, `info`, `dir`, `dirxml`, `table`, `warn` and `error`, formatted as Deno formats `log` and `dir`, and
 * `clear` (`clearScreen`).
 * A console's groups, counters and timers are its own: callers make one and keep it.
 *
 * @example
 * ```ts
 * const methods = textConsole((text, level) => lines.push([text, level]), () => {});
 * methods.table?.([{ a: 1 }]); // lines: [["┌───────┬───┐\n│ (idx) │ a │\n…└───────┴───┘", 1]]
 * ```
 */
export function textConsole(
  send: (text: string, level: PrintLevel) => void,
  clearScreen: () => void,
): Partial<Record<ConsoleMethodName, (...args: unknown[]) => void>> {
  const DenoConsole = denoConsoleClass();
  if (!DenoConsole) return { ...fallbackConsole(send), clear: clearScreen };
  let pending = "";
  let clearing = false;
  const ours = new DenoConsole((text, level) => {
    if (clearing) return;
    pending += text;
    if (!pending.endsWith("\n")) return;
    const whole = pending.slice(0, -1);
    pending = "";
    send(whole, Math.min(Math.max(level, 0), 4) as PrintLevel);
  });
  const source = ours as unknown as Record<string, (...args: unknown[]) => void>;
  const methods: Partial<Record<ConsoleMethodName, (...args: unknown[]) => void>> = {};
  for (const method of PRINTING_CONSOLE_METHODS) methods[method] = source[method];
  // Clearing ends the groups; the screen is the caller's to clear (Deno's clear codes are no line).
  methods.clear = () => {
    clearing = true;
    try {
      ours.clear();
    } finally {
      clearing = false;
    }
    clearScreen();
  };
  return methods;
}

// A runtime without Deno's console class: the common methods, formatted as it formats them.
function fallbackConsole(
  send: (text: string, level: PrintLevel) => void,
): Partial<Record<ConsoleMethodName, (...args: unknown[]) => void>> {
  const levels = { debug: 0, log: 1, info: 1, dir: 1, dirxml: 1, table: 1, warn: 2, error: 3 } as const;
  const methods: Partial<Record<ConsoleMethodName, (...args: unknown[]) => void>> = {};
  for (const [method, level] of Object.entries(levels) as [keyof typeof levels, PrintLevel][]) {
    methods[method] = (...args: unknown[]) =>
      send(
        method === "dir"
          ? formatConsoleDir(args[0], args[1] as Deno.InspectOptions | undefined)
          : formatConsoleArgs(args),
        level,
      );
  }
  return methods;
}
