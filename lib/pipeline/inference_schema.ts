/**
 * The schema of a pipeline file's `inference:` block (see inference.ts). Apart, so that importing the
 * pipeline layer to run nodes — a parallel runner's worker — does not load it; it loads zod on first need.
 *
 * @module
 */
import { servableModelNameProblem } from "../mlflow_conventions.ts";
import { type LaterOutput, laterSchema } from "../zod/on_demand.ts";

/**
 * The `inference:` block of a pipeline file, as written: built when a file has one (most projects' pipeline
 * files have none).
 */
export const InferenceEntry = laterSchema(undefined, (z) => {
  const MODE = z.enum(["assign", "copy", "deepcopy"]);
  const MODEL_NAME = z.string().check(
    z.regex(/^[\w.-]+(\/[\w.-]+)*$/, "use a relative artifact path: letters, digits, _ . - and /"),
    z.refine((s) => !s.split("/").includes(".."), "must not contain .."),
  );
  // A registered model's name that MLflow's registry takes and `models:/<name>/<version>` can serve.
  const SERVABLE_MODEL_NAME = z.string().check(
    z.minLength(1, "must not be empty"),
    z.maxLength(256, "must be at most 256 characters"),
    z.refine((s) => servableModelNameProblem(s) === undefined, {
      error: (issue) => servableModelNameProblem(String(issue.input)),
    }),
  );
  return z.strictObject({
    pipeline: z.string().check(z.minLength(1)),
    input_name: z.string().check(z.minLength(1)),
    log_model: z.prefault(
      z.strictObject({
        name: z._default(MODEL_NAME, "model"),
        signature: z._default(
          z.union([z.literal("auto"), z.null(), z.literal(false)], { error: "must be auto or null" }),
          "auto",
        ),
        input_example: z._default(
          z.union([z.literal("auto"), z.null(), z.literal(false)], { error: "must be auto or null" }),
          "auto",
        ),
        // MLflow's registry rules, checked before the run rather than after training: not empty, at most
        // 256 characters; and a name models:/<name>/<version> can serve (the rule kmlf models register uses).
        registered_model_name: z._default(z.nullable(SERVABLE_MODEL_NAME), null),
      }),
      {},
    ),
    copy_mode: z._default(
      z.union([MODE, z.record(z.string(), MODE)], {
        error: "must be assign, copy or deepcopy, or a map of dataset name to one of them",
      }),
      "assign",
    ),
  });
});

/** A parsed `inference:` block. */
export type InferenceEntryValue = LaterOutput<typeof InferenceEntry>;
