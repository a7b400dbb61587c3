/**
 * What Deno's own failures to load a module say, as far as kmlf reads them before lib/import_failure.ts
 * loads: whether a failed import is Deno's (or the module's own throw), the failing import's position, and
 * a refused deno.lock. A refused lock is explained here, without importing anything: once a frozen deno.lock
 * refused one import, Deno refuses every later import in the process, lib/import_failure.ts too (which
 * loads when an import fails, lib/failed_import.ts). A kmlf restarted in its project
 * (lib/cli/project_runtime_startup.ts) names the same fix when Deno refuses to start it.
 *
 * @module
 */
import type { SourceLocation } from "./errors.ts";
import { fileURLToPath } from "./path.ts";

/** The kinds of import failure, each with its own fix. */
export type ImportFailureKind =
  | "unmapped-package"
  | "unknown-package"
  | "download"
  | "lockfile"
  | "syntax"
  | "missing-file"
  | "module-not-found"
  | "load-failed"
  | "top-level-throw";

/** What lib/import_failure.ts's `importFailure` makes of a failed import. */
export interface ImportFailure {
  kind: ImportFailureKind;
  /** One line for "Cannot import <module>: <reason>", naming the failing import and where it is. */
  reason: string;
  /** The fix. */
  hint: string;
  /** The cause for the kmlf error: the module's own error, or Deno's message without colors and noise. */
  cause: unknown;
  /** True when the module's own code failed (its stack frames are worth showing). */
  userCode: boolean;
  /** The position Deno names (the failing import, or the syntax error). */
  at?: SourceLocation;
}

/**
 * Deno refusing the project's deno.lock (or deno.json's lock settings): the lockfile is out of date under
 * `--frozen`, cannot be read, or a package's checksum differs from the one it records.
 */
export const LOCKFILE_REFUSAL =
  /The lockfile is out of date|Failed reading lockfile|Integrity check failed|checksum did not match/;

/**
 * The fix for a lockfile refusal: with a frozen lockfile (`"lock": { "frozen": true }` or Deno's message
 * asking for `--frozen=false`), update it deliberately; otherwise let `deno install` rewrite it.
 *
 * @example
 * ```ts
 * lockfileFix({ frozen: true }); // "deno.json freezes deno.lock …"
 * ```
 */
export function lockfileFix(options: { frozen: boolean }): string {
  return options.frozen
    ? 'deno.json freezes deno.lock ("lock": { "frozen": true }): after changing imports, run ' +
      "`deno install --frozen=false` in the project to update it"
    : "run `deno install` in the project: it updates deno.lock (delete one Deno cannot read) and fetches " +
      "the packages deno.json maps, and shows what to correct";
}

/**
 * The failure when `error` is Deno refusing the project's deno.lock (as `importFailure` words it), else
 * undefined.
 *
 * @example
 * ```ts
 * lockfileRefusal(error)?.hint; // "deno.json freezes deno.lock …"
 * ```
 */
export function lockfileRefusal(error: unknown): ImportFailure | undefined {
  const raw = denoLoadMessage(error);
  if (raw === undefined || raw.startsWith("SyntaxError: ")) return undefined;
  return lockfileFailure(raw, loadFailureParts(error as Error, raw));
}

/**
 * Deno's message without colors when `error` is one of Deno's own loading failures (a TypeError with the
 * code `ERR_MODULE_NOT_FOUND`, parse errors included), else undefined (the module's own throw).
 */
export function denoLoadMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  return (error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND" ? plain(error.message) : undefined;
}

/** A Deno load failure's message in the parts each kind's words use. */
export interface LoadFailureParts {
  /** The position Deno names. */
  at: SourceLocation | undefined;
  /** " (imported at file:line:col)", or empty. */
  from: string;
  /** The message's first line, without Deno's ` from "…"`. */
  first: string;
  /** `text` with Deno's detail line and the position. */
  reason: (text: string) => string;
  /** The failure, with the position and Deno's error as the cause. */
  done: (failure: Omit<ImportFailure, "cause" | "userCode">) => ImportFailure;
}

/** The parts of Deno's message `raw` (see {@link denoLoadMessage}) for `error`. */
export function loadFailureParts(error: Error, raw: string): LoadFailureParts {
  const at = position(raw);
  const from = at ? ` (imported at ${formatAt(at)})` : "";
  const first = raw.split("\n")[0].replace(/ from "[^"]*"$/, "");
  const detail = raw.split("\n").map((l) => l.trim()).find((l) => /^\d+: /.test(l))?.replace(/^\d+: /, "");
  const reason = (text: string) => `${text}${detail && !text.includes(detail) ? `: ${detail}` : ""}${from}`;
  const done = (failure: Omit<ImportFailure, "cause" | "userCode">): ImportFailure => ({
    ...failure,
    at,
    // The reason says it all (the kmlf error's message quotes it, so it is not printed twice).
    cause: new Error(failure.reason, { cause: error }),
    userCode: false,
  });
  return { at, from, first, reason, done };
}

/** The `lockfile` failure when Deno's message (`raw`) is a lockfile refusal, else undefined. */
export function lockfileFailure(
  raw: string,
  { first, reason, done }: LoadFailureParts,
): ImportFailure | undefined {
  if (!LOCKFILE_REFUSAL.test(raw)) return undefined;
  const frozen = /--frozen=false/.test(raw);
  // Deno's diff of the lock: the specifiers it would add are the imports the lock lacks.
  const added = [...raw.matchAll(/^\s*\d+\s*\|\s*\+\s*"((?:npm|jsr):[^"]+)": "/gm)].map((m) => m[1]);
  const lacks = added.length > 0 ? `: deno.lock lacks ${[...new Set(added)].join(", ")}` : "";
  return done({
    kind: "lockfile",
    reason: reason(first.replace(/\. Run `deno install.*$/, "").replace(/\.$/, "") + lacks),
    hint: lockfileFix({ frozen }),
  });
}

// Deno colors parts of its messages unless NO_COLOR is set.
function plain(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** The last "at file:///x.ts:1:2" line of Deno's message. */
export function position(text: string): SourceLocation | undefined {
  const matches = [...text.matchAll(/^\s+at (file:\/\/\S+?):(\d+):(\d+)\s*$/gm)];
  const last = matches.at(-1);
  if (!last) return undefined;
  return { file: modulePath(last[1]), line: Number(last[2]), column: Number(last[3]) };
}

/** `file:line:column`. */
export function formatAt(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/** A `file:` URL as a path; any other specifier as it is. */
export function modulePath(specifier: string): string {
  try {
    return specifier.startsWith("file:") ? fileURLToPath(specifier) : specifier;
  } catch {
    return specifier;
  }
}
