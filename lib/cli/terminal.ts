/** Terminal output helpers: colors only on a TTY without NO_COLOR; the one place that writes to stdout/stderr. */
import { denoConsoleClass, PRINTING_CONSOLE_METHODS } from "../deno_console.ts";

const encoder = new TextEncoder();

/** Whether to use ANSI colors on stdout. */
export function useColor(): boolean {
  return !Deno.env.get("NO_COLOR") && Deno.stdout.isTerminal();
}

/** Whether styles emit ANSI codes at all; each writer then strips them for a stream that is no terminal. */
function anyColor(): boolean {
  return !Deno.env.get("NO_COLOR") && (Deno.stdout.isTerminal() || Deno.stderr.isTerminal());
}

function wrap(code: number): (s: string) => string {
  return (s) => (anyColor() ? `\x1b[${code}m${s}\x1b[0m` : s);
}

// deno-lint-ignore no-control-regex -- ANSI escape sequences
const ANSI = /\x1b\[[0-9;]*m/g;
let stdoutClosed = false;

/** Writes to a stream, without colors unless it is a terminal; a reader gone away (`| head`) ends output quietly. */
function write(stream: typeof Deno.stdout | typeof Deno.stderr, text: string): void {
  if (stream === Deno.stdout && stdoutClosed) return;
  const plain = Deno.env.get("NO_COLOR") || !stream.isTerminal() ? withoutColors(text) : text;
  try {
    const bytes = encoder.encode(plain);
    for (let written = 0; written < bytes.length;) written += stream.writeSync(bytes.subarray(written));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    if (stream === Deno.stdout) stdoutClosed = true;
  }
}

/**
 * The text without its ANSI colors (what a log file gets of a colored line).
 *
 * @example
 * ```ts
 * withoutColors("\x1b[33m1\x1b[39m"); // "1"
 * ```
 */
export function withoutColors(text: string): string {
  return text.replace(ANSI, "");
}

/** ANSI styles that disappear when colors are off. */
export const style = {
  bold: wrap(1),
  dim: wrap(2),
  red: wrap(31),
  green: wrap(32),
  yellow: wrap(33),
  cyan: wrap(36),
};

/** Writes a line to stdout. */
export function out(line = ""): void {
  write(Deno.stdout, line + "\n");
}

/** Writes a line to stderr. */
export function err(line = ""): void {
  write(Deno.stderr, line + "\n");
}

/**
 * Sends what user code prints with any console method to stderr until the returned function is called, so
 * stdout can carry one machine-readable document (`kmlf run --json`): `console.table`, `group`, `count`,
 * `time*` and `dirxml` too, printed as Deno's console prints them (through a console of Deno's own class
 * that writes to stderr).
 *
 * @example
 * ```ts
 * const restore = consoleToStderr();
 * try { await runNodes(); } finally { restore(); }
 * ```
 */
export function consoleToStderr(): () => void {
  const methods = [...PRINTING_CONSOLE_METHODS, "clear"] as const;
  const target = console as unknown as Record<string, unknown>;
  const saved = methods.map((m) => [m, target[m]] as const);
  const DenoConsole = denoConsoleClass();
  if (DenoConsole) {
    const stderr = new DenoConsole((text) => write(Deno.stderr, text)) as unknown as Record<string, unknown>;
    for (const m of methods) target[m] = stderr[m];
  } else {
    // A runtime without Deno's console class: the common methods; console.error formats like console.log.
    const error = console.error;
    for (const m of ["log", "info", "debug", "dirxml", "table"] as const) console[m] = error;
    // console.dir's second argument shapes the text (`{ depth: null }`): it is not a value to print.
    const colors = !Deno.noColor && Deno.stderr.isTerminal();
    console.dir = (value?: unknown, options?: Deno.InspectOptions) =>
      error(typeof value === "string" ? value : Deno.inspect(value, { colors, ...options }));
  }
  return () => {
    for (const [m, fn] of saved) target[m] = fn;
  };
}

/** Human duration: `12 ms`, `1.25 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export { shellQuote } from "../shell_quote.ts";
