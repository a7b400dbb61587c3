/** MLflow's validation rules for keys, values and batches (mlflow/utils/validation.py). */
import { TrackingError } from "../errors.ts";
import type { LogBatch } from "./entities.ts";

/** Limits MLflow enforces. */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  experimentTagValueLength: 5000,
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
} as const;

const KEY = /^[\p{L}\p{N}_/.\- :]*$/u;

/**
 * Throws INVALID_PARAMETER_VALUE unless `key` is a valid metric/param/tag name.
 *
 * @example
 * ```ts
 * validateKey("metric", "val/loss"); // ok
 * validateKey("metric", "../x"); // throws
 * ```
 */
export function validateKey(kind: "metric" | "param" | "tag", key: string): void {
  const bad = (why: string) =>
    new TrackingError("INVALID_PARAMETER_VALUE", `Invalid ${kind} name: '${key}'. ${why}`, {
      hint: "names may contain letters, digits, _ - . space : / and must be a normalized relative path",
    });
  if (typeof key !== "string" || key === "") throw bad("Names may not be empty.");
  if (key.length > LIMITS.keyLength) throw bad(`Names may be at most ${LIMITS.keyLength} characters.`);
  if (!KEY.test(key)) {
    throw bad(
      "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).",
    );
  }
  if (
    key === "." || key.startsWith("..") || key.startsWith("/") || key.endsWith("/") || key.includes("//") ||
    key.split("/").some((p) => p === "." || p === "..")
  ) {
    throw bad(
      "Names may be treated as files in certain cases, and must not resolve to other names when treated as such.",
    );
  }
}

/**
 * Validates a batch's shape and limits before anything is written.
 *
 * @example
 * ```ts
 * validateBatch({ metrics: [{ key: "loss", value: 0.1, timestamp: Date.now(), step: 0 }] });
 * ```
 */
export function validateBatch(batch: LogBatch): void {
  const metrics = batch.metrics ?? [];
  const params = Object.entries(batch.params ?? {});
  const tags = Object.entries(batch.tags ?? {});
  const over = (what: string, n: number, max: number) =>
    new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `A batch logging request can contain at most ${max} ${what}. Got ${n} ${what}.`,
      {
        hint: "split the batch",
      },
    );
  if (metrics.length > LIMITS.metricsPerBatch) throw over("metrics", metrics.length, LIMITS.metricsPerBatch);
  if (params.length > LIMITS.paramsPerBatch) throw over("params", params.length, LIMITS.paramsPerBatch);
  if (tags.length > LIMITS.tagsPerBatch) throw over("tags", tags.length, LIMITS.tagsPerBatch);
  const total = metrics.length + params.length + tags.length;
  if (total > LIMITS.entitiesPerBatch) {
    throw over("total metrics, params, and tags", total, LIMITS.entitiesPerBatch);
  }
  for (const m of metrics) {
    validateKey("metric", m.key);
    if (typeof m.value !== "number") {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `Got invalid value ${
          String(m.value)
        } for metric '${m.key}' (timestamp=${m.timestamp}). Please specify value as a valid double (64-bit floating point)`,
        { hint: "log numbers only" },
      );
    }
    if (!Number.isFinite(m.timestamp) || m.timestamp < 0) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `Got invalid timestamp ${m.timestamp} for metric '${m.key}'. Timestamp must be a non-negative long (64-bit integer)`,
        { hint: "use milliseconds since the epoch" },
      );
    }
    if (!Number.isInteger(m.step)) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `Got invalid step ${m.step} for metric '${m.key}'. Step must be a valid long (64-bit integer).`,
        { hint: "use integer steps" },
      );
    }
  }
  for (const [k, v] of params) {
    validateKey("param", k);
    if (String(v).length > LIMITS.paramValueLength) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `Param value '${String(v).slice(0, 50)}...' had length ${
          String(v).length
        }, which exceeded length limit of ${LIMITS.paramValueLength}`,
        {
          hint: "log shorter values (or as a tag or artifact)",
        },
      );
    }
  }
  for (const [k, v] of tags) {
    validateKey("tag", k);
    if (String(v).length > LIMITS.tagValueLength) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `Tag value '${String(v).slice(0, 50)}...' had length ${
          String(v).length
        }, which exceeded length limit of ${LIMITS.tagValueLength}`,
        {
          hint: "log long text as an artifact",
        },
      );
    }
  }
}

/**
 * Validates an experiment name (non-empty, ≤ 500 characters).
 *
 * @example
 * ```ts
 * validateExperimentName("iris");
 * ```
 */
export function validateExperimentName(name: string): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      "Invalid experiment name: ''. Experiment name cannot be empty.",
      { hint: "give the experiment a name" },
    );
  }
  if (name.length > LIMITS.experimentNameLength) {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `Experiment name exceeds maximum length of ${LIMITS.experimentNameLength} characters.`,
      { hint: "use a shorter name" },
    );
  }
}
