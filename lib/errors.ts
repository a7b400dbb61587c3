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
  file?: string;
  line?: number;
  column?: number;
  /** Dotted/indexed key path inside the file, e.g. `nodes[2].inputs[0]` or `model.lr`. */
  keyPath?: string;
}

/** Options shared by every kmlf error. */
export interface KmlfErrorOptions {
  source?: SourceLocation;
  hint?: string;
  cause?: unknown;
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
  readonly code: string;
  readonly source?: SourceLocation;
  readonly hint?: string;

  constructor(code: string, message: string, options: KmlfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.source = options.source;
    this.hint = options.hint;
  }
}

/** A problem in `conf/` files, `kmlf.yml` or `--params`. */
export class ConfigError extends KmlfError {}
/** A dataset could not be created, loaded or saved. */
export class DatasetError extends KmlfError {}
/** A pipeline YAML file or the graph it describes is invalid. */
export class PipelineDefinitionError extends KmlfError {}
/** A node function failed while running. `cause` holds the user's error with its stack. */
export class NodeError extends KmlfError {}
/** A pipeline run failed while running (exit code 1, unlike configuration problems). */
export class RunError extends KmlfError {}
/** A hook implementation threw. */
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
/** A tracking store rejected an operation (MLflow error codes live in `code`, e.g. `INVALID_PARAMETER_VALUE`). */
export class TrackingError extends KmlfError {}
/** Bad command-line usage. */
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
  readonly errors: readonly KmlfError[];
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
 * error[pipeline/unknown-input]: Cannot resolve input "featurs" of node "fit_model"
 *   at pipelines/training.yml:14:9 (nodes[2].inputs[0])
 *   hint: did you mean "features"?
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
      options.debug ? (e.stack ?? "") : "  (run with --debug for the stack trace)"
    }`;
  }
  const root = options.relativeTo?.replace(/\/$/, "");
  const rel = (
    text: string,
  ) => (root ? text.split(`file://${root}/`).join("").split(`${root}/`).join("") : text);
  const lines = [`error[${error.code}]: ${rel(error.message)}`];
  const at = formatLocation(error.source, options.relativeTo);
  if (at) lines.push(`  at ${at}`);
  if (error.cause !== undefined && !(error.cause instanceof KmlfError)) {
    const cause = error.cause instanceof Error ? error.cause : new Error(String(error.cause));
    if ((error instanceof NodeError || error instanceof RunError) && cause.stack) {
      lines.push(indent(rel(userStack(cause.stack)), "    "));
    } else lines.push(`  caused by: ${rel(cause.message)}`);
  } else if (error.cause instanceof KmlfError) {
    lines.push(indent(renderError(error.cause, options), "  "));
  }
  if (error.hint) lines.push(`  hint: ${rel(error.hint)}`);
  if (options.debug && error.stack) lines.push(indent(error.stack, "  "));
  return lines.join("\n");
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

function indent(text: string, prefix: string): string {
  return text.split("\n").map((l) => prefix + l).join("\n");
}

// Keeps the user's frames: everything up to the node function itself ("[as func]"), none of kmlf's callers.
function userStack(stack: string): string {
  const lines = stack.split("\n");
  const end = lines.findIndex((l) => l.includes("[as func]"));
  return (end < 0 ? lines : lines.slice(0, end + 1)).filter((l) => !/ext:|node:internal/.test(l)).join("\n");
}
