/**
 * The schema of a pipeline file's `inference:` block (see inference.ts). Apart, so that importing the
 * pipeline layer to run nodes — a parallel runner's worker — does not load zod.
 *
 * @module
 */
import { z } from "../zod/mod.ts";

const MODE = z.enum(["assign", "copy", "deepcopy"]);
const MODEL_NAME = z.string().regex(
  /^[\w.-]+(\/[\w.-]+)*$/,
  "use a relative artifact path: letters, digits, _ . - and /",
).refine((s) => !s.split("/").includes(".."), "must not contain ..");

/** The `inference:` block of a pipeline file, as written. */
export const InferenceEntry = z.strictObject({
  pipeline: z.string().min(1),
  input_name: z.string().min(1),
  log_model: z.strictObject({
    name: MODEL_NAME.default("model"),
    signature: z.union([z.literal("auto"), z.null(), z.literal(false)], { error: "must be auto or null" })
      .default("auto"),
    input_example: z.union([z.literal("auto"), z.null(), z.literal(false)], { error: "must be auto or null" })
      .default("auto"),
    // MLflow's registry rules, checked before the run rather than after training: not empty, at most
    // 256 characters, no control characters; `/ : % @` cannot be in a models:/ URI or a file-store folder.
    registered_model_name: z.string().min(1, "must not be empty").max(256, "must be at most 256 characters")
      // deno-lint-ignore no-control-regex -- refusing control characters is the point
      .regex(/^[^/:%@\u0000-\u001f]+$/, "must not contain / : % @ or control characters").nullable().default(
        null,
      ),
  }).prefault({}),
  copy_mode: z.union([MODE, z.record(z.string(), MODE)], {
    error: "must be assign, copy or deepcopy, or a map of dataset name to one of them",
  }).default("assign"),
});

/** A parsed `inference:` block. */
export type InferenceEntryValue = z.infer<typeof InferenceEntry>;
