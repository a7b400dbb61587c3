/**
 * Appending metric points to `metrics/<key>` files with the SQL store's dedupe (an exact duplicate
 * point is stored once), remembering each file's lines so a long run does not re-read its whole history
 * for every batch. The memory is checked against the file size, so appends by other writers are seen.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Metric } from "../entities.ts";
import { pythonFloat } from "./file_format.ts";
import { readHistory } from "./file_read.ts";

/** How many metric files' lines are remembered. */
const REMEMBERED_FILES = 64;

/** A metric point as its line in MLflow's metric file: `<timestamp> <value> <step>`. */
function metricLine(m: Metric): string {
  return `${m.timestamp} ${pythonFloat(m.value)} ${m.step}\n`;
}

/** Appends metric points to a run's metric files, skipping exact duplicates. */
export class MetricFileWriter {
  readonly #files = new Map<string, { size: number; lines: Set<string> }>();

  async #linesOf(runDir: string, key: string, path: string): Promise<{ size: number; lines: Set<string> }> {
    const size = await Deno.stat(path).then((i) => i.size, () => 0);
    const known = this.#files.get(path);
    if (known && known.size === size) return known;
    const entry = { size, lines: new Set((await readHistory(runDir, key)).map(metricLine)) };
    if (this.#files.size >= REMEMBERED_FILES) this.#files.delete(this.#files.keys().next().value!);
    this.#files.set(path, entry);
    return entry;
  }

  /**
   * Appends the points of one key that the file does not hold yet.
   *
   * @example
   * ```ts
   * await writer.append(runDir, "loss", [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }]);
   * ```
   */
  async append(runDir: string, key: string, points: readonly Metric[]): Promise<void> {
    const path = join(runDir, "metrics", key);
    const entry = await this.#linesOf(runDir, key, path);
    const fresh = points.map(metricLine).filter((l) => !entry.lines.has(l) && Boolean(entry.lines.add(l)));
    if (fresh.length === 0) return;
    const text = fresh.join("");
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, text, { append: true });
    entry.size += new TextEncoder().encode(text).byteLength;
  }
}
