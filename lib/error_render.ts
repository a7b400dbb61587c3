/**
 * Rendering kmlf's errors for a terminal: the code, the message, where in the user's files, what caused it
 * (a user's own stack frames, kmlf's only with `--debug`) and the hint. It lives apart from lib/errors.ts,
 * which every start path loads: a command renders an error only when it fails (the CLI loads this module
 * then) or prints a catalog warning.
 *
 * @module
 */
import {
  describeThrown,
  formatLocation,
  KmlfAggregateError,
  KmlfError,
  NodeError,
  NOT_AN_ERROR,
  RunError,
} from "./errors.ts";

/** Options for {@link renderError}. */
export interface RenderOptions {
  /** Paths in source locations are shown relative to this directory. */
  relativeTo?: string;
  /** Include stack traces (kmlf's own and the cause's). */
  debug?: boolean;
}

/**
 * Formats an error for a terminal:
 * ```
 * error[runner/missing-input]: Input "featurs" of node "fit_model" is not produced by any node and not declared in the catalog
 *   at pipelines/training.yml:14:9 (nodes[2].inputs[0])
 *   hint: declare "featurs" in conf/base/catalog.yml, produce it with a node, or fix the name; did you mean "features"?
 * ```
 *
 * @example
 * ```ts
 * console.error(renderError(new UsageError("cli/bad-flag", "Unknown flag --foo")));
 * ```
 */
export function renderError(error: unknown, options: RenderOptions = {}): string {
  if (error instanceof KmlfAggregateError) {
    const parts = error.errors.map((e) => renderError(e, options));
    return `${parts.join("\n\n")}\n\n${error.message}.`;
  }
  if (!(error instanceof KmlfError)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return `error[internal]: ${e.message}\n${
      options.debug
        ? stackOnce(e.stack ?? "", e.message, e.message)
        : "  (run with --debug for the stack trace)"
    }`;
  }
  const root = options.relativeTo?.replace(/\/$/, "");
  const rel = (
    text: string,
  ) => (root ? text.split(`file://${root}/`).join("").split(`${root}/`).join("") : text);
  const lines = [`error[${error.code}]: ${rel(error.message)}`];
  const at = formatLocation(error.source, options.relativeTo);
  if (at) lines.push(`  at ${at}`);
  lines.push(...causeLines(error, options, rel));
  if (error.hint) lines.push(`  hint: ${rel(error.hint)}`);
  if (options.debug && error.stack) {
    lines.push(indent(stackOnce(error.stack, error.message, error.message), "  "));
  }
  return lines.join("\n");
}

/**
 * What a cause adds under its error: a kmlf error whose message the outer one already quotes adds only
 * what it has more (its own location, cause, hint), never the same text twice; a user's error adds the
 * user's own stack frames (kmlf's are shown with --debug); a thrown non-Error value is shown as it is.
 */
function causeLines(error: KmlfError, options: RenderOptions, rel: (text: string) => string): string[] {
  const cause = error.cause;
  if (cause === undefined) return [];
  if (cause instanceof KmlfError) {
    if (!error.message.includes(cause.message)) return [indent(renderError(cause, options), "  ")];
    const lines: string[] = [];
    const causeAt = formatLocation(cause.source, options.relativeTo);
    if (causeAt && causeAt !== formatLocation(error.source, options.relativeTo)) {
      lines.push(`  at ${causeAt}`);
    }
    lines.push(...causeLines(cause, options, rel));
    // An outer hint that already carries the cause's (its fix, then what to do after it) says it once.
    if (cause.hint && !error.hint?.includes(cause.hint)) lines.push(`  hint: ${rel(cause.hint)}`);
    return lines;
  }
  if (!(cause instanceof Error)) {
    const value = describeThrown(cause);
    return [
      error.message.includes(value) ? `  (${NOT_AN_ERROR})` : `  thrown: ${rel(value)} (${NOT_AN_ERROR})`,
    ];
  }
  const ranUserCode = error instanceof NodeError || error instanceof RunError || error.userCode === true;
  // What a user's error wraps is shown (kmlf's own wrapping of an error already says what matters).
  const inner = () => innerLines(cause, options.debug, new Set([cause])).map(rel);
  const once = (stack: string) => stackOnce(stack, cause.message, error.message);
  if (ranUserCode && options.debug) {
    return [indent(rel(once(cause.stack ?? String(cause))), "    "), ...inner()];
  }
  const stack = ranUserCode ? userStack(cause) : undefined;
  if (stack !== undefined) return [indent(rel(once(stack)), "    "), ...inner()];
  return error.message.includes(cause.message) ? [] : [`  caused by: ${rel(cause.message)}`];
}

/**
 * The errors inside a user's error, as Deno prints an uncaught one: its `cause` chain ("Caused by: …") and
 * an AggregateError's `errors`, each with its own frames — `throw new Error("x", { cause })` keeps the
 * underlying failure, which the stack of the outer error alone does not show.
 */
function innerLines(error: Error, debug: boolean | undefined, seen: Set<unknown>): string[] {
  const inner: [string, unknown][] = Object.hasOwn(error, "cause") ? [["Caused by: ", error.cause]] : [];
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    inner.push(...error.errors.map((e): [string, unknown] => ["", e]));
  }
  const lines: string[] = [];
  for (const [label, value] of inner) {
    if (seen.has(value) || seen.size > 16) continue; // a cycle (e.cause = e) or a chain without end
    seen.add(value);
    if (!(value instanceof Error)) {
      lines.push(`    ${label}${describeThrown(value)}`);
      continue;
    }
    const text = debug ? value.stack : userStack(value);
    // An AggregateError's members sit under it, as Deno prints them; a cause follows at the same depth.
    const more = label ? "" : "    ";
    lines.push(indent(`${label}${text ?? `${value.name}: ${value.message}`}`, `    ${more}`));
    lines.push(...innerLines(value, debug, seen).map((l) => more + l));
  }
  return lines;
}

/** A message longer than this, or of several lines, is printed once (see `stackOnce`). */
const LONG_MESSAGE_CHARS = 200;

/**
 * A stack to print under a message `shown` above it: when `shown` already holds the error's long
 * `message`, the stack's first line (`Name: <message>`) keeps only the name, so a huge message (a whole
 * response body, a data dump) is printed once, not twice. Short messages stay, as Deno prints them.
 */
function stackOnce(stack: string, message: string, shown: string): string {
  if (message.length <= LONG_MESSAGE_CHARS && !message.includes("\n")) return stack;
  if (!shown.includes(message)) return stack;
  const at = stack.indexOf(`: ${message}`);
  // The head is `Name: message` (a name of one line); a message met later in the frames is not it.
  if (at < 0 || stack.slice(0, at).includes("\n")) return stack;
  return `${stack.slice(0, at)} (its message is printed above)${stack.slice(at + 2 + message.length)}`;
}

function indent(text: string, prefix: string): string {
  return text.split("\n").map((l) => prefix + l).join("\n");
}

// kmlf's own code: its lib folder and its entry point (also inside a compiled binary's virtual root).
const KMLF_FILES = [new URL("./", import.meta.url).href, new URL("../cli.ts", import.meta.url).href];

/**
 * The user's part of a stack: the message, then the frames above the first frame of kmlf's own code
 * (kmlf called the user's function; everything below that is kmlf's callers). Undefined when the error
 * was raised by kmlf itself (no user frame): then the message says it all.
 */
function userStack(error: Error): string | undefined {
  const stack = error.stack ?? "";
  const lines = stack.split("\n");
  // A module's syntax error holds its own "at file:line:col" line in the message: frames come after it.
  const head = `${error.name}: ${error.message}`;
  const headLines = stack.startsWith(head) ? head.split("\n").length : 0;
  const firstFrame = lines.findIndex((l, i) => i >= headLines && /^\s+at /.test(l));
  if (firstFrame < 0) return undefined;
  const frames: string[] = [];
  for (const line of lines.slice(firstFrame)) {
    if (KMLF_FILES.some((f) => line.includes(f))) break;
    if (!/ext:|node:internal|<anonymous>/.test(line)) frames.push(line);
  }
  return frames.length > 0 ? [...lines.slice(0, firstFrame), ...frames].join("\n") : undefined;
}
