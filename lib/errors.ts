/**
 * One error type for everything a user can get wrong, rendered the same way everywhere (by
 * lib/error_render.ts's `renderError`, which the CLI loads only when it has an error to print).
 *
 * Errors are data: a stable `code` (e.g. `config/duplicate-key`), an optional source location
 * (file, line, column, key path), an optional hint, and an optional cause. This module imports
 * nothing else from kmlf so every layer can use it.
 *
 * @module
 */

/** Where in the user's files an error comes from. `line` and `column` are 1-based. */
export interface SourceLocation {
  /** The file, usually an absolute path (`renderError` shows it relative to `relativeTo`). */
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

/**
 * The note under an error whose cause is a thrown value that is not an Error (`throw "bad"`); also the hint
 * of `throw undefined`, which leaves no cause to note.
 */
export const NOT_AN_ERROR =
  "a value that is not an Error was thrown, so there is no stack; throw new Error(...) to get one";

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
