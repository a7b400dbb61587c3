/**
 * MLflow's `mlruns` file formats: meta.yaml as PyYAML writes it (sorted keys, block style), run
 * statuses as integers, metric lines `"<timestamp> <value> <step>"` with Python float spelling.
 */
import { dirname, join } from "node:path";
import { dump, load } from "js-yaml";
import type { RunStatus } from "../../entities.ts";

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

/** Reads a meta.yaml (undefined when the file does not exist). */
export async function readMeta(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (load(await Deno.readTextFile(path)) ?? {}) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Writes a meta.yaml atomically as PyYAML does: keys sorted (`sort_keys=True`), list items not indented. */
export async function writeMeta(path: string, meta: Record<string, unknown>): Promise<void> {
  await writeAtomic(path, dump(meta, { sortKeys: true, lineWidth: -1, noRefs: true, noArrayIndent: true }));
}

/** Writes a file through a temp file and a rename, creating folders. */
/**
 * A temp file name in `path`'s folder. Short whatever the name: a key of 250 characters is a valid
 * file name, the same name with a suffix may be over the file system's 255 bytes.
 */
function tempBeside(path: string): string {
  return join(dirname(path), `.kmlf-${crypto.randomUUID().slice(0, 8)}.tmp`);
}

export async function writeAtomic(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempBeside(path);
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

/**
 * Creates `relDir` below a run folder one level at a time, never the run folder itself: when the run has
 * moved (its experiment was deleted meanwhile), this fails with NotFound instead of leaving a ghost folder.
 *
 * @example
 * ```ts
 * await mkdirInRun(runDir, "metrics/train");
 * ```
 */
export async function mkdirInRun(runDir: string, relDir: string): Promise<void> {
  await Deno.stat(join(runDir, "meta.yaml")); // NotFound when the run folder is gone
  let current = runDir;
  for (const segment of relDir.split("/").filter((s) => s !== "" && s !== ".")) {
    current = join(current, segment);
    try {
      await Deno.mkdir(current);
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
  const path = join(runDir, relPath);
  const tmp = tempBeside(path);
  try {
    await Deno.writeTextFile(tmp, text); // never creates parent folders
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await mkdirInRun(runDir, dirname(relPath));
    await Deno.writeTextFile(tmp, text);
  }
  await Deno.rename(tmp, path);
}

/** A float as Python's `str()` writes it: `1.0`, `0.1`, `nan`, `inf`, `1e+300`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value);
}

/** Parses a metric line; NaN/inf in Python spelling. */
export function parseMetricLine(
  line: string,
  key: string,
): { key: string; timestamp: number; value: number; step: number } {
  const [ts, raw, step] = line.trim().split(/\s+/);
  const lower = raw.toLowerCase();
  const value = lower === "nan"
    ? NaN
    : lower === "inf" || lower === "+inf"
    ? Infinity
    : lower === "-inf"
    ? -Infinity
    : Number(raw);
  return { key, timestamp: Number(ts), value, step: Number(step ?? 0) };
}

/** Every file under `dir` as `key → content` (keys with `/` are nested folders, as MLflow stores them). */
export async function readKeyFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
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
      if (e.isDirectory) await walk(join(current, e.name), key);
      else out[key] = await Deno.readTextFile(join(current, e.name));
    }
  };
  await walk(dir, "");
  return out;
}
