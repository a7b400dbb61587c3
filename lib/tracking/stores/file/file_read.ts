/** Reading experiments and runs from an mlruns tree into kmlf's entities. */
import { join } from "../../../path.ts";
import { type DatasetInput, type Experiment, type Metric, MLFLOW_TAGS, type Run } from "../../entities.ts";
import { validateKey } from "../../key_validation.ts";
import type { SampledHistoryOptions } from "../store.ts";
import { metricStepSummary } from "../step_summary.ts";
import { storedMetricNumber } from "../../search/metric_value.ts";
import { keyFile, readKeyFiles, readMeta, statusFromCode } from "./file_format.ts";
import { parseMetricLine } from "./metric_lines.ts";
import { leadsOutOf } from "./folder_links.ts";
import { readTextFile } from "../../../file_io.ts";

/** An experiment folder's meta.yaml and tags. */
export async function readExperiment(dir: string): Promise<Experiment> {
  const meta = (await readMeta(join(dir, "meta.yaml")))!;
  return {
    experimentId: String(meta.experiment_id),
    name: String(meta.name),
    artifactLocation: String(meta.artifact_location ?? ""),
    lifecycleStage: meta.lifecycle_stage === "deleted" ? "deleted" : "active",
    creationTime: meta.creation_time == null ? null : Number(meta.creation_time),
    lastUpdateTime: meta.last_update_time == null ? null : Number(meta.last_update_time),
    tags: await readKeyFiles(join(dir, "tags")),
  };
}

/**
 * The points of a metric file. Every line is written with its newline, so text after the last newline is
 * an append that was cut short (a full disk, a killed process): it was never a point and is left out.
 */
function parseHistory(text: string, key: string): Metric[] {
  const lines = text.split("\n");
  lines.pop(); // "" after the final newline, or the torn tail of an interrupted append
  return lines.filter((l) => l.trim() !== "").map((l) => parseMetricLine(l, key));
}

/**
 * Every point of one metric of the run in `dir`, in logging order (none when the file is missing). The
 * key is checked as on writes (MLflow's rules), and its file must not lead out of the run.
 */
export async function readHistory(dir: string, key: string): Promise<Metric[]> {
  return parseHistory(await readHistoryText(dir, key), key);
}

/**
 * `points` in the order MLflow's SQL store returns a history — timestamp, step, value, a NaN after a 0
 * (it stores NaN as 0 with a flag) — so every store answers alike; the file keeps logging order, which
 * is this order whenever timestamps increase (then the points are returned as they are).
 */
export function inHistoryOrder(points: Metric[]): Metric[] {
  for (let i = 1; i < points.length; i++) {
    if (historyOrder(points[i - 1], points[i]) > 0) return points.sort(historyOrder);
  }
  return points;
}

const storedValue = (m: Metric) => Number.isNaN(m.value) ? 0 : m.value;

function historyOrder(a: Metric, b: Metric): number {
  return a.timestamp - b.timestamp || a.step - b.step || storedValue(a) - storedValue(b) ||
    Number(Number.isNaN(a.value)) - Number(Number.isNaN(b.value));
}

async function readHistoryText(dir: string, key: string): Promise<string> {
  validateKey("metric", key);
  try {
    return await readTextFile(keyFile(join(dir, "metrics"), key, "metric"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) return "";
    throw error;
  }
}

/**
 * The points of `key` in the run folders `dirs` at the steps `options.pick` chooses (see
 * TrackingStore.sampledMetricHistories). Every line is read, but only its last field (the step) is looked
 * at until the picker has chosen: just the kept lines become points. A line that is not
 * `<timestamp> <value> <step>` fails as in {@link readHistory}.
 */
export async function sampledHistories(
  dirs: readonly string[],
  key: string,
  options: SampledHistoryOptions,
): Promise<Metric[][]> {
  const histories: { lines: string[]; steps: number[] }[] = [];
  for (const dir of dirs) histories.push(stepsOfLines(await readHistoryText(dir, key), key));
  const picked = new Set(options.pick(metricStepSummary(histories.map((h) => h.steps))));
  return histories.map((h) => {
    const kept: Metric[] = [];
    h.lines.forEach((line, i) => {
      if (picked.has(h.steps[i])) kept.push(parseMetricLine(line, key));
    });
    // As a whole history in MLflow's order (inHistoryOrder) sorted by step and timestamp would be.
    kept.sort((a, b) => a.step - b.step || historyOrder(a, b));
    return kept.slice(0, options.maxPerRun);
  });
}

function stepsOfLines(text: string, key: string): { lines: string[]; steps: number[] } {
  const lines = text.split("\n");
  lines.pop(); // "" after the final newline, or the torn tail of an interrupted append
  const kept: string[] = [];
  const steps: number[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const cut = trimmed.lastIndexOf(" ");
    const step = cut > 0 && trimmed.indexOf(" ") < cut ? Number(trimmed.slice(cut + 1)) : NaN;
    // Anything but the plain three-field form goes through the full parser (its errors, tabs, 2 fields).
    steps.push(Number.isFinite(step) ? step : parseMetricLine(trimmed, key).step);
    kept.push(trimmed);
  }
  return { lines: kept, steps };
}

/** A run folder as a Run: latest metric per key by (step, timestamp, value), params, tags, inputs. */
export async function readRun(dir: string): Promise<Run> {
  return (await readRunIfAny(dir))!;
}

/**
 * {@link readRun}, or undefined for a folder holding no run (no meta.yaml, or one linking out of the folder):
 * a search leaves it out, as MLflow's file store skips a malformed run.
 */
export async function readRunIfAny(dir: string): Promise<Run | undefined> {
  const meta = await readMeta(join(dir, "meta.yaml"));
  if (!meta) return undefined;
  const tags = await readKeyFiles(join(dir, "tags"));
  const params = await readKeyFiles(join(dir, "params"));
  const metricFiles = await readKeyFiles(join(dir, "metrics"));
  const metrics: Record<string, number> = {};
  const latestMetrics: Record<string, Metric> = {};
  for (const [key, text] of Object.entries(metricFiles)) {
    let best: Metric | undefined;
    for (const m of parseHistory(text, key)) {
      // Values compare as the SQL stores hold them (NaN as 0, ±inf as ±MAX_VALUE), so every store picks
      // the same point; ties keep the earlier one, like MLflow's strict `>`.
      if (
        !best || m.step > best.step ||
        (m.step === best.step &&
          (m.timestamp > best.timestamp ||
            (m.timestamp === best.timestamp && storedMetricNumber(m.value) > storedMetricNumber(best.value))))
      ) best = m;
    }
    if (best) {
      metrics[key] = best.value;
      latestMetrics[key] = best;
    }
  }
  const runId = String(meta.run_id ?? meta.run_uuid);
  return {
    info: {
      runId,
      runName: String(meta.run_name || tags[MLFLOW_TAGS.runName] || ""),
      experimentId: String(meta.experiment_id),
      userId: String(meta.user_id ?? ""),
      status: statusFromCode(meta.status),
      startTime: Number(meta.start_time ?? 0),
      endTime: meta.end_time == null ? null : Number(meta.end_time),
      artifactUri: String(meta.artifact_uri ?? ""),
      lifecycleStage: meta.lifecycle_stage === "deleted" ? "deleted" : "active",
    },
    data: { metrics, params, tags, latestMetrics },
    inputs: { datasetInputs: await readInputs(dir) },
  };
}

/** The dataset inputs linked from a run's `inputs/` folder. */
export async function readInputs(runDir: string): Promise<DatasetInput[]> {
  const out: DatasetInput[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(join(runDir, "inputs"))];
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // A link out of the run or its experiment (`inputs`, `datasets` or an entry) is no part of the store.
    const linkPath = `inputs/${e.name}/meta.yaml`;
    const link = leadsOutOf(runDir, linkPath) ? undefined : await readMeta(join(runDir, linkPath));
    // The id comes from a stored file: one folder name of the experiment's datasets, never a path out of it.
    const id = String(link?.source_id);
    const datasetPath = `datasets/${id}/meta.yaml`;
    const expDir = join(runDir, "..");
    const d = link && /^[\w-]+$/.test(id) && !leadsOutOf(expDir, datasetPath) &&
      await readMeta(join(expDir, datasetPath));
    if (!link || !d) continue;
    out.push({
      dataset: {
        name: String(d.name),
        digest: String(d.digest),
        sourceType: String(d.source_type),
        source: String(d.source),
        ...(d.schema == null ? {} : { schema: String(d.schema) }),
        ...(d.profile == null ? {} : { profile: String(d.profile) }),
      },
      tags: (link.tags ?? {}) as Record<string, string>,
    });
  }
  return out;
}
