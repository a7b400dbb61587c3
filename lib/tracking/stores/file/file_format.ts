/**
 * MLflow's `mlruns` file formats: meta.yaml as PyYAML writes it (sorted keys, block style), run
 * statuses as integers, metric lines `"<timestamp> <value> <step>"` with Python float spelling.
 */
import { dirname, join } from "../../../path.ts";
import { PYYAML_SCHEMA } from "../../../yaml/yaml11.ts";
import { pyyamlDump } from "../../../yaml/pyyaml_dump.ts";
import { loadWithinLimits } from "../../../yaml/limits.ts";
import type { RunStatus } from "../../entities.ts";
import { statOrUndefined } from "../../../fs_utils.ts";
import { insideKeyFolder, linksOutOfFolder } from "./folder_links.ts";
import { mlflowError } from "../../tracking_errors.ts";
import { KmlfError, TrackingError } from "../../../errors.ts";
import { ioProblem } from "../../../io_errors.ts";
import { readTextFile, writeTextFile } from "../../../file_io.ts";

const STATUS_CODES: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};

/** RUNNING → 1 … KILLED → 5 (MLflow's RunStatus enum). */
export function statusToCode(status: RunStatus): number {
  return STATUS_CODES[status];
}

/** 1 → RUNNING …; names are accepted too. */
export function statusFromCode(code: unknown): RunStatus {
  if (typeof code === "string" && code in STATUS_CODES) return code as RunStatus;
  const found = Object.entries(STATUS_CODES).find(([, c]) => c === Number(code));
  return (found?.[0] ?? "RUNNING") as RunStatus;
}

/**
 * A disk failure (full, size limit, read-only, permissions) while writing the store at `root` as a
 * TrackingError naming the store; other errors pass through.
 *
 * @example
 * ```ts
 * throw storeIoError(error, "/project/mlruns");
 * ```
 */
export function storeIoError(error: unknown, root: string): unknown {
  const problem = error instanceof TrackingError ? undefined : ioProblem(error, root);
  if (!problem) return error;
  return new TrackingError(
    `tracking/${problem.code}`,
    `Cannot write to the file tracking store ${root}: ${problem.what}`,
    {
      cause: error,
      hint: problem.hint,
    },
  );
}

/**
 * Reads a meta.yaml (undefined when the file does not exist — or is a symbolic link leading out of its run,
 * experiment or model folder, which is no part of the store: its content is never read, nor quoted in an
 * error).
 */
export async function readMeta(path: string): Promise<Record<string, unknown> | undefined> {
  if (linksOutOfFolder(path)) return undefined;
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let problem: string;
  let cause: unknown;
  try {
    // Held to kmlf's YAML limits: a hostile or corrupted meta.yaml must not hang a server reading it.
    const meta = loadWithinLimits(text, path, PYYAML_SCHEMA) ?? {};
    if (typeof meta === "object" && !Array.isArray(meta)) return meta as Record<string, unknown>;
    problem = `it holds ${Array.isArray(meta) ? "a list" : "a single value"}, not the mapping MLflow writes`;
  } catch (error) {
    problem = metaProblem(error);
    // The parser's own error is not kept as the cause: the CLI prints a cause, snippet and all.
    if (error instanceof KmlfError) cause = error;
  }
  throw new TrackingError("INTERNAL_ERROR", `The file store's ${path} is unusable: ${problem}`, {
    cause,
    hint: "restore the file from a backup, or remove its experiment, run or model folder",
  });
}

// Why a meta.yaml could not be read, without its content: the YAML parser's message quotes the lines around
// the error (a server would hand them to any client), so only its reason and position are kept.
function metaProblem(error: unknown): string {
  if (error instanceof KmlfError) return error.message;
  const { reason, mark } = error as { reason?: unknown; mark?: { line?: unknown; column?: unknown } };
  if (typeof reason !== "string") throw error;
  const at = typeof mark?.line === "number" && typeof mark.column === "number"
    ? ` at line ${mark.line + 1}, column ${mark.column + 1}`
    : "";
  return `it is not valid YAML (${reason}${at})`;
}

/** Options of {@link writeAtomic}. */
export interface WriteAtomicOptions {
  /**
   * Create missing folders. Only for a new experiment (its folder does not exist yet); everywhere else the
   * folder must exist, so that a write racing with a delete (the folder moved to .trash) fails with
   * NotFound instead of re-creating a ghost folder.
   */
  createFolders?: boolean;
}

/**
 * Writes a meta.yaml atomically, byte for byte as MLflow's write_yaml does (`yaml.dump` with `CSafeDumper`,
 * `allow_unicode=True`, `sort_keys=True`): long values fold at column 80, only what PyYAML resolves is quoted.
 */
export async function writeMeta(
  path: string,
  meta: Record<string, unknown>,
  options: WriteAtomicOptions = {},
): Promise<void> {
  await writeAtomic(
    path,
    pyyamlDump(meta, { emitter: "libyaml", allowUnicode: true }),
    options,
  );
}

/**
 * A temp file name in `path`'s folder. Short whatever the name: a key of 250 characters is a valid
 * file name, the same name with a suffix may be over the file system's 255 bytes.
 */
function tempBeside(path: string): string {
  return join(dirname(path), `.kmlf-${crypto.randomUUID().slice(0, 8)}.tmp`);
}

/** Writes a file through a temp file and a rename (NotFound when its folder is missing, unless told). */
export async function writeAtomic(
  path: string,
  text: string,
  options: WriteAtomicOptions = {},
): Promise<void> {
  if (options.createFolders) Deno.mkdirSync(dirname(path), { recursive: true });
  const tmp = tempBeside(path);
  try {
    await writeTextFile(tmp, text);
    Deno.renameSync(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/** The longest file name (bytes) of Linux, macOS and Windows file systems. */
const FILE_NAME_BYTES = 255;

/**
 * Refuses a key that cannot name a file: a key of 250 characters is valid in MLflow, but not every such
 * key fits a file name (255 bytes of UTF-8). Refused by name, rather than as the OS error (a 500) that
 * MLflow's file store answers; a batch checks all its keys before writing any.
 *
 * @example
 * ```ts
 * checkKeyFitsFileName("é".repeat(200), "metric"); // throws INVALID_PARAMETER_VALUE (400 bytes)
 * ```
 */
export function checkKeyFitsFileName(key: string, kind: "metric" | "param" | "tag" | "alias"): void {
  if (key.length * 3 <= FILE_NAME_BYTES) return; // a UTF-16 unit takes at most 3 bytes of UTF-8
  for (const part of key.split("/")) {
    const bytes = new TextEncoder().encode(part).byteLength;
    if (bytes <= FILE_NAME_BYTES) continue;
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid ${kind} name: '${key}'. The file store keeps each ${kind} in a file named after it, and ` +
        `'${part}' is ${bytes} bytes in UTF-8, over the ${FILE_NAME_BYTES} a file name may hold.`,
      "use a shorter name (non-ASCII letters take 2-4 bytes each), or a SQLite store (sqlite:///mlflow.db), " +
        "which has no such limit",
    );
  }
}

/**
 * Refuses keys that would need one path as both a file and a folder: `a` beside `a/b` in one request, or
 * either one when the other is already in `folder` (a run's `metrics`, `params` or `tags`, an
 * experiment's or a registered model's `tags`; undefined for a folder not created yet). A file store
 * keeps each key in a file named after it, so MLflow's file store fails midway with an OS error (a 500,
 * half of a batch written); kmlf refuses the request before writing anything. SQLite has no such limit.
 *
 * @example
 * ```ts
 * checkKeyPaths(join(runDir, "tags"), ["stage", "stage/env"], "tag"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export function checkKeyPaths(
  folder: string | undefined,
  keys: Iterable<string>,
  kind: "metric" | "param" | "tag",
): void {
  const all = new Set(keys);
  const hint =
    `rename one of the two ${kind}s, or use a SQLite store (sqlite:///mlflow.db), which keeps both`;
  for (const key of all) {
    const parts = key.split("/");
    for (let i = 1; i < parts.length; i++) {
      const file = parts.slice(0, i).join("/");
      if (all.has(file) || (folder !== undefined && statOrUndefined(join(folder, file))?.isFile)) {
        throw mlflowError(
          "INVALID_PARAMETER_VALUE",
          `Invalid ${kind} name: '${key}'. The file store keeps the ${kind} '${file}' in a file of that name, ` +
            `so '${file}' cannot also be a folder holding '${key}'.`,
          hint,
        );
      }
    }
    if (folder === undefined || !statOrUndefined(join(folder, key))?.isDirectory) continue;
    // A folder reached through a link out of the store is refused as such: its listing names a file of the machine.
    keyFile(folder, key, kind);
    const below = [...Deno.readDirSync(join(folder, key))][0]?.name ?? "…";
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid ${kind} name: '${key}'. The file store keeps ${kind}s such as '${key}/${below}' in a folder ` +
        `named '${key}', so '${key}' cannot also be a ${kind} of its own.`,
      hint,
    );
  }
}

/**
 * The file of `key` in a key folder (a run's `metrics`, `params` or `tags`, an experiment's `tags`, a
 * registered model's or version's `tags`, a model's `aliases`), refused when a symbolic link on the way —
 * the key folder itself included — leads out of the run, experiment or model folder holding it
 * ({@link insideKeyFolder}): a name never reaches a file outside the store, even when someone linked one in. The key itself is checked by the caller (`validateKey`,
 * which already refuses `..`, absolute paths, backslashes and NUL).
 *
 * @example
 * ```ts
 * const path = keyFile(join(runDir, "metrics"), "val/loss", "metric");
 * ```
 */
export function keyFile(
  folder: string,
  key: string,
  kind: "metric" | "param" | "tag" | "alias",
): string {
  checkKeyFitsFileName(key, kind);
  const path = join(folder, key);
  if (!insideKeyFolder(folder, path)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid ${kind} name: '${key}'. Its file in the store is a symbolic link leading out of the store.`,
      "the store never follows links out of a run or experiment folder; remove the link or move its target in",
    );
  }
  return path;
}

/**
 * Creates `relDir` below a run folder one level at a time, never the run folder itself: when the run has
 * moved (its experiment was deleted meanwhile), this fails with NotFound instead of leaving a ghost folder.
 *
 * @example
 * ```ts
 * mkdirInRun(runDir, "metrics/train");
 * ```
 */
export function mkdirInRun(runDir: string, relDir: string): void {
  Deno.statSync(join(runDir, "meta.yaml")); // NotFound when the run folder is gone
  let current = runDir;
  for (const segment of relDir.split("/").filter((s) => s !== "" && s !== ".")) {
    current = join(current, segment);
    try {
      Deno.mkdirSync(current);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

/**
 * {@link writeAtomic} for a file inside a run folder (params, tags), without re-creating a moved run.
 *
 * @example
 * ```ts
 * await writeAtomicInRun(runDir, "params/lr", "0.1");
 * ```
 */
export async function writeAtomicInRun(runDir: string, relPath: string, text: string): Promise<void> {
  const [folder, ...key] = relPath.split("/");
  const path = keyFile(join(runDir, folder), key.join("/"), folder === "params" ? "param" : "tag");
  const tmp = tempBeside(path);
  try {
    await writeTextFile(tmp, text); // never creates parent folders
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    mkdirInRun(runDir, dirname(relPath));
    await writeTextFile(tmp, text);
  }
  Deno.renameSync(tmp, path);
}

/**
 * Creates a file inside a run folder only if it does not exist yet, atomically and with its whole
 * content (a temp file hard-linked into place), and returns the content already there otherwise: two
 * writers racing to log one param can never both win. Without hard links (some file systems), the file
 * is created exclusively and written.
 *
 * @example
 * ```ts
 * const existing = await createAtomicInRun(runDir, "params/lr", "0.1"); // undefined when created
 * ```
 */
export async function createAtomicInRun(
  runDir: string,
  relPath: string,
  text: string,
): Promise<string | undefined> {
  const [folder, ...key] = relPath.split("/");
  const path = keyFile(join(runDir, folder), key.join("/"), folder === "params" ? "param" : "tag");
  const tmp = tempBeside(path);
  try {
    await writeTextFile(tmp, text);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    mkdirInRun(runDir, dirname(relPath));
    await writeTextFile(tmp, text);
  }
  try {
    await Deno.link(tmp, path);
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return await readTextFile(path);
    // No hard links here: create exclusively instead (a reader may briefly see it empty).
    try {
      await writeTextFile(path, text, { createNew: true });
      return undefined;
    } catch (inner) {
      if (inner instanceof Deno.errors.AlreadyExists) return await readTextFile(path);
      throw inner;
    }
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * Every file under `dir` as `key → content` (keys with `/` are nested folders, as MLflow stores them).
 * Symbolic links are followed only while they stay inside `dir`; a link leading out is not part of the
 * store and is left out.
 */
export async function readKeyFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  // The key folder itself a link out of its run, experiment or model folder: nothing in it is the store's.
  if (linksOutOfFolder(dir)) return out;
  const walk = async (current: string, prefix: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(current)];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const e of entries) {
      if (e.name.endsWith(".tmp")) continue;
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      const path = join(current, e.name);
      let isDirectory = e.isDirectory;
      if (e.isSymlink) {
        const target = statOrUndefined(path); // undefined: a dangling link
        if (!target || !insideKeyFolder(dir, path)) continue;
        isDirectory = target.isDirectory;
      }
      if (isDirectory) await walk(path, key);
      else out[key] = await readTextFile(path);
    }
  };
  await walk(dir, "");
  return out;
}
