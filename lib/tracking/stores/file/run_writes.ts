/**
 * Writing a batch into a run folder, and appending metric points to `metrics/<key>` files with the SQL store's dedupe (an exact duplicate
 * point is stored once), remembering recently written files' lines so a long run does not re-read its
 * whole history for every batch. The memory is trusted only while the file's size and modification time
 * are what this writer last saw, so appends by other writers are noticed; it is bounded in files and lines.
 *
 * @module
 */
import { basename, dirname, join } from "../../../path.ts";
import { statOrUndefined } from "../../../fs_utils.ts";
import { type KeyValue, type Metric, MLFLOW_TAGS } from "../../entities.ts";
import {
  createAtomicInRun,
  keyFile,
  mkdirInRun,
  readMeta,
  writeAtomicInRun,
  writeMeta,
} from "./file_format.ts";
import { pythonFloat } from "./metric_lines.ts";
import { paramValueChanged } from "../../tracking_errors.ts";
import { readHistory } from "./file_read.ts";
import { writeTextFile } from "../../../file_io.ts";

/** Bounds of the remembered lines (least recently used files are forgotten first). */
const REMEMBERED = { files: 64, lines: 2_000_000 } as const;

/** A metric point as its line in MLflow's metric file: `<timestamp> <value> <step>`. */
function metricLine(m: Metric): string {
  return `${m.timestamp} ${pythonFloat(m.value)} ${m.step}\n`;
}

interface FileMemory {
  size: number;
  mtime: number;
  /** The file ends in a torn line (an append cut short): the next append starts a new line. */
  torn?: boolean;
  lines: Set<string>;
}

function signature(path: string): { size: number; mtime: number } {
  const info = statOrUndefined(path);
  return { size: info?.size ?? 0, mtime: info?.mtime?.getTime() ?? 0 };
}

/** Whether a non-empty file's last byte is a newline. */
async function endsWithNewline(path: string): Promise<boolean> {
  const file = await Deno.open(path, { read: true });
  try {
    await file.seek(-1, Deno.SeekMode.End);
    const last = new Uint8Array(1);
    return (await file.read(last)) === 1 && last[0] === 10;
  } finally {
    file.close();
  }
}

/** Appends to a file in a run folder, creating missing sub-folders (never the run folder) only when needed. */
async function appendInRun(runDir: string, relPath: string, text: string): Promise<void> {
  const path = join(runDir, relPath);
  try {
    await writeTextFile(path, text, { append: true }); // never creates parent folders
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    mkdirInRun(runDir, dirname(relPath));
    await writeTextFile(path, text, { append: true });
  }
}

/** Appends metric points to a run's metric files, skipping exact duplicates. */
export class MetricFileWriter {
  readonly #files = new Map<string, FileMemory>();
  #lines = 0;

  #forget(path: string): void {
    const known = this.#files.get(path);
    if (!known) return;
    this.#lines -= known.lines.size;
    this.#files.delete(path);
  }

  #remember(path: string, memory: FileMemory): void {
    this.#forget(path);
    this.#files.set(path, memory); // re-inserted last: the map's order is least recently used first
    this.#lines += memory.lines.size;
    for (const oldest of this.#files.keys()) {
      if (this.#files.size <= REMEMBERED.files && this.#lines <= REMEMBERED.lines) break;
      if (oldest !== path) this.#forget(oldest);
    }
  }

  async #linesOf(runDir: string, key: string, path: string): Promise<FileMemory> {
    const now = signature(path);
    const known = this.#files.get(path);
    if (known && known.size === now.size && known.mtime === now.mtime) return known;
    const lines = new Set((await readHistory(runDir, key)).map(metricLine));
    return { ...now, lines, torn: now.size > 0 && !(await endsWithNewline(path)) };
  }

  /**
   * Appends the points of one key that the file does not hold yet. Throws NotFound when the run folder
   * has moved (its experiment was deleted), without re-creating it.
   *
   * @example
   * ```ts
   * await writer.append(runDir, "loss", [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }]);
   * ```
   */
  async append(runDir: string, key: string, points: readonly Metric[]): Promise<void> {
    const path = keyFile(join(runDir, "metrics"), key, "metric");
    const memory = await this.#linesOf(runDir, key, path);
    const fresh: string[] = [];
    const batch = new Set<string>();
    for (const line of points.map(metricLine)) {
      if (!memory.lines.has(line) && !batch.has(line)) fresh.push(line), batch.add(line);
    }
    if (fresh.length === 0) return;
    try {
      await appendInRun(runDir, join("metrics", key), (memory.torn ? "\n" : "") + fresh.join(""));
    } catch (error) {
      this.#forget(path); // the file's content is unknown now: re-read it next time
      throw error;
    }
    // Remember the lines only once they are on disk, so a failed write is retried in full.
    for (const line of fresh) memory.lines.add(line);
    this.#remember(path, { ...memory, ...signature(path), torn: false });
  }
}

/**
 * Writes a validated batch into a run folder: new params, metric points (deduplicated), tags (a
 * `mlflow.runName` tag also renames the run in meta.yaml). Throws NotFound if the run folder has moved.
 *
 * @example
 * ```ts
 * await writeRunBatch(runDir, { params: [], metrics, tags: [] }, writer);
 * ```
 */
export async function writeRunBatch(
  runDir: string,
  batch: { params: readonly KeyValue[]; metrics: readonly Metric[]; tags: readonly KeyValue[] },
  metricFiles: MetricFileWriter,
): Promise<void> {
  for (const p of batch.params) {
    // Created only if absent: of two writers racing with different values, one gets the conflict.
    const existing = await createAtomicInRun(runDir, `params/${p.key}`, p.value);
    if (existing !== undefined && existing !== p.value) {
      throw paramValueChanged(basename(runDir), p.key, existing, p.value);
    }
  }
  const byKey = new Map<string, Metric[]>();
  for (const m of batch.metrics) {
    const list = byKey.get(m.key);
    if (list) list.push(m);
    else byKey.set(m.key, [m]);
  }
  for (const [key, points] of byKey) await metricFiles.append(runDir, key, points);
  for (const t of batch.tags) {
    await writeAtomicInRun(runDir, `tags/${t.key}`, t.value);
    if (t.key === MLFLOW_TAGS.runName) {
      const meta = (await readMeta(join(runDir, "meta.yaml")))!;
      await writeMeta(join(runDir, "meta.yaml"), { ...meta, run_name: t.value });
    }
  }
}
