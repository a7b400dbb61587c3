/**
 * One error type for everything a user can get wrong, rendered the same way everywhere.
 *
 * Errors are data: a stable `code` (e.g. `config/duplicate-key`), an optional source location
 * (file, line, column, key path), an optional hint, and an optional cause. This module imports
 * nothing else from kmlf so every layer can use it.
 *
 * @module
 */

/** Where in the user's files an error comes from. `line` and `column` are 1-based. */
export interface SourceLocation {
  /** The file, usually an absolute path ({@link renderError} shows it relative to `relativeTo`). */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Dotted/indexed key path inside the file, e.g. `nodes[2].inputs[0]` or `model.lr`. */
  keyPath?: string;
}

/** Options shared by every kmlf error. */
export interface KmlfErrorOptions {
  source?: SourceLocation;
  hint?: string;
  cause?: unknown;
  /**
   * The cause was thrown by the user's own code (the top level of a project module while it was imported):
   * rendering shows its frames in the user's files, as for a failing node.
   */
  userCode?: boolean;
}

/**
 * Base class of every user-facing kmlf error.
 *
 * @example
 * ```ts
 * throw new KmlfError("catalog/unknown-dataset", 'Cannot resolve input "featurs": no dataset with that name', {
 *   source: { file: "pipelines/training.yml", line: 14, column: 9, keyPath: "nodes[2].inputs[0]" },
 *   hint: 'declare it in conf/base/catalog.yml or fix the name; did you mean "features"?',
 * });
 * ```
 */
export class KmlfError extends Error {
  /** Stable machine-readable code, `area/problem` (e.g. `catalog/unknown-dataset`); safe to branch on. */
  readonly code: string;
  /** Where in the user's files the problem is, when known. */
  readonly source?: SourceLocation;
  /** What to do about it, rendered as `hint:`. */
  readonly hint?: string;
  /** True when the cause was thrown by the user's own module code (its stack frames are shown). */
  readonly userCode?: boolean;

  /** `code` is the stable code, `message` the one-line description ("Cannot <action>: <state>"). */
  constructor(code: string, message: string, options: KmlfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.source = options.source;
    this.hint = options.hint;
    if (options.userCode) this.userCode = true;
  }
}

/**
 * A problem in `conf/` files, `kmlf.yml` or `--params`.
 *
 * @example
 * ```ts
 * throw new ConfigError("config/not-a-mapping", "conf/base/parameters.yml must contain a mapping", {
 *   source: { file: "conf/base/parameters.yml", line: 1, column: 1 },
 *   hint: "write `key: value` entries at the top level",
 * });
 * ```
 */
export class ConfigError extends KmlfError {}
/**
 * A dataset could not be created, loaded or saved.
 *
 * @example
 * ```ts
 * try { await catalog.load("companies"); } catch (e) {
 *   if (e instanceof DatasetError && e.code === "dataset/file-not-found") console.log(e.hint);
 * }
 * ```
 */
export class DatasetError extends KmlfError {}
/**
 * A pipeline YAML file or the graph it describes is invalid.
 *
 * @example
 * ```ts
 * try { new Pipeline(nodes); } catch (e) {
 *   if (e instanceof PipelineDefinitionError) console.log(e.code, e.source);
 * }
 * ```
 */
export class PipelineDefinitionError extends KmlfError {}
/**
 * A node function failed while running. `cause` holds the user's error with its stack.
 *
 * @example
 * ```ts
 * try { await node.run({ a: 2 }); } catch (e) {
 *   if (e instanceof NodeError) console.log(e.cause);
 * }
 * ```
 */
export class NodeError extends KmlfError {}
/**
 * A pipeline run failed while running (exit code 1, unlike configuration problems).
 *
 * @example
 * ```ts
 * try { await session.run(); } catch (e) {
 *   if (e instanceof RunError) console.error(renderError(e));
 * }
 * ```
 */
export class RunError extends KmlfError {}
/**
 * A hook implementation threw.
 *
 * @example
 * ```ts
 * try { await hooks.call("afterNodeRun", args); } catch (e) {
 *   if (e instanceof HookError) console.log(e.message); // names the hook and its origin
 * }
 * ```
 */
export class HookError extends KmlfError {}
/**
 * A pipeline run stopped by SIGINT/SIGTERM: tracked runs end KILLED, and kmlf exits like a killed process
 * (128 + the signal's number).
 */
export class RunInterruptedError extends RunError {
  readonly signal: "SIGINT" | "SIGTERM";
  constructor(signal: "SIGINT" | "SIGTERM", options: KmlfErrorOptions = {}) {
    super("run/interrupted", `The run was interrupted (${signal})`, options);
    this.signal = signal;
  }
}
/**
 * A tracking store rejected an operation (MLflow error codes live in `code`, e.g. `INVALID_PARAMETER_VALUE`).
 *
 * @example
 * ```ts
 * try { await client.getRun("0123"); } catch (e) {
 *   if (e instanceof TrackingError && e.code === "RESOURCE_DOES_NOT_EXIST") console.log("no such run");
 * }
 * ```
 */
export class TrackingError extends KmlfError {}
/**
 * Bad command-line usage.
 *
 * @example
 * ```ts
 * throw new UsageError("cli/bad-flag", "Unknown flag --pipline", { hint: 'did you mean "--pipeline"?' });
 * ```
 */
export class UsageError extends KmlfError {}

/**
 * Several independent problems found in one validation pass, reported together.
 *
 * @example
 * ```ts
 * const problems = [new ConfigError("config/x", "a"), new ConfigError("config/y", "b")];
 * throw new KmlfAggregateError(problems);
 * ```
 */
export class KmlfAggregateError extends KmlfError {
  /** The collected problems, in the order found. */
  readonly errors: readonly KmlfError[];
  /** Wraps several problems; with exactly one, the aggregate takes its code. */
  constructor(errors: readonly KmlfError[], summary?: string) {
    super(
      errors.length === 1 ? errors[0].code : "validation/multiple",
      summary ?? `Found ${errors.length} problem${errors.length === 1 ? "" : "s"}`,
    );
    this.errors = errors;
  }
}

/** Throws a {@link KmlfAggregateError} when `errors` is not empty (or the single error itself). */
export function throwIfAny(errors: readonly KmlfError[], summary?: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new KmlfAggregateError(errors, summary);
}

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
 * The note under an error whose cause is a thrown value that is not an Error (`throw "bad"`); also the hint
 * of `throw undefined`, which leaves no cause to note.
 */
export const NOT_AN_ERROR =
  "a value that is not an Error was thrown, so there is no stack; throw new Error(...) to get one";

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

/**
 * A thrown value that is not an Error, as it would be printed (strings quoted, objects inspected).
 *
 * @example
 * ```ts
 * describeThrown({ code: 42 }); // "{ code: 42 }"
 * ```
 */
export function describeThrown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : Deno.inspect(value, { depth: 3, colors: false });
}

/**
 * What a thrown value says, for "… failed: <it>" messages: an Error's message, else `it threw <the value>`
 * (never "[object Object]").
 *
 * @example
 * ```ts
 * thrownMessage(new Error("boom")); // "boom"
 * thrownMessage({ code: 42 });      // "it threw { code: 42 }"
 * ```
 */
export function thrownMessage(value: unknown): string {
  return value instanceof Error ? value.message : `it threw ${describeThrown(value)}`;
}

/** `file:line:col (keyPath)`, with the file relative to `relativeTo` when it is inside it. */
export function formatLocation(source: SourceLocation | undefined, relativeTo?: string): string {
  if (!source) return "";
  let file = source.file ?? "";
  if (file && relativeTo && file.startsWith(relativeTo.endsWith("/") ? relativeTo : relativeTo + "/")) {
    file = file.slice(relativeTo.length).replace(/^\/+/, "");
  }
  let at = file;
  if (file && source.line !== undefined) {
    at += `:${source.line}` + (source.column !== undefined ? `:${source.column}` : "");
  }
  if (source.keyPath) at += at ? ` (${source.keyPath})` : source.keyPath;
  return at;
}

/**
 * Suggests the closest candidate for a misspelt name (Levenshtein distance, at most a third of the length).
 *
 * @example
 * ```ts
 * didYouMean("featurs", ["features", "labels"]); // "features"
 * ```
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(name.length / 3));
  for (const candidate of candidates) {
    const d = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "x"?` or the empty string — for appending to hints. */
export function didYouMeanHint(name: string, candidates: Iterable<string>): string {
  const guess = didYouMean(name, candidates);
  return guess === undefined ? "" : `did you mean "${guess}"?`;
}

// Optimal-string-alignment distance: like Levenshtein, plus adjacent transpositions ("prot" → "port").
function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
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
