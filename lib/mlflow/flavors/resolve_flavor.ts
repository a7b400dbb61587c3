/**
 * The `flavor:` of an Mlflow model dataset, resolved: a built-in flavor (`js_value`, and `kmlf` — an
 * inference pipeline — which the host provides), or a class in the project
 * (`flavor: ./flavors/onnx.ts#OnnxFlavor` with `save(model, dir)` and `load(dir)`). kedro-mlflow names a
 * Python module here (`mlflow.sklearn`); those are refused with the TypeScript way to do it.
 *
 * @module
 */
import { importProjectClass, isCustomType, type ProjectClassKind } from "../../catalog/custom_type.ts";
import { DatasetError, didYouMeanHint, type SourceLocation } from "../../errors.ts";
import type { ModelFlavor } from "../../tracking/mod.ts";

/** Provides a built-in flavor when a dataset uses it (imported lazily). */
export type FlavorProvider = () => Promise<ModelFlavor>;

/** The flavors every host has; the CLI adds `kmlf` (it lives in lib/models, which this layer cannot import). */
export const BUILTIN_FLAVORS: Record<string, FlavorProvider> = {
  js_value: async () => (await import("../../tracking/mod.ts")).jsValueFlavor,
};

const FLAVOR_CLASS: ProjectClassKind = {
  noun: "flavor",
  codePrefix: "mlflow/flavor",
  example: "./flavors/my_flavor.ts#MyFlavor",
  classHint:
    "export a class with save(model, dir) and load(dir): export class MyFlavor { save(model, dir) {…} load(dir) {…} }",
};

/** What resolving a flavor needs. */
export interface FlavorContext {
  projectRoot: string;
  /** Built-in flavors by name. */
  builtins: Record<string, FlavorProvider>;
  /** The catalog entry, for messages. */
  dataset: string;
  source?: SourceLocation;
}

/** The methods a custom flavor class implements (`save` may return its MLmodel entry). */
interface FlavorInstance {
  name?: unknown;
  save(model: unknown, dir: string, args: Record<string, unknown>): unknown;
  load(dir: string, entry: Record<string, unknown>, args: Record<string, unknown>): unknown;
}

/**
 * Resolves `flavor:` of a model dataset.
 *
 * @example
 * ```ts
 * const flavor = await resolveFlavor("js_value", { projectRoot, builtins: BUILTIN_FLAVORS, dataset: "model" });
 * ```
 */
export async function resolveFlavor(ref: string, ctx: FlavorContext): Promise<ModelFlavor> {
  const builtin = ctx.builtins[ref];
  if (builtin) return await builtin();
  const names = Object.keys(ctx.builtins);
  const ways = `${names.join(", ")}, or a class of the project (./flavors/my_flavor.ts#MyFlavor ` +
    "with save(model, dir) and load(dir))";
  if (/^mlflow\.|^(sklearn|pyfunc|pytorch|tensorflow|keras|xgboost|lightgbm|onnx|statsmodels)$/.test(ref)) {
    throw new DatasetError(
      "mlflow/python-flavor",
      `Dataset "${ctx.dataset}" names the Python flavor "${ref}": kmlf models are TypeScript`,
      { source: ctx.source, hint: `use flavor: ${ways}` },
    );
  }
  if (!isCustomType(ref)) {
    throw new DatasetError(
      "mlflow/unknown-flavor",
      `Dataset "${ctx.dataset}" has an unknown flavor "${ref}"`,
      {
        source: ctx.source,
        hint: didYouMeanHint(ref, names)
          ? `${didYouMeanHint(ref, names)} (flavors: ${ways})`
          : `flavors: ${ways}`,
      },
    );
  }
  const Cls = await importProjectClass(ref, ctx.projectRoot, FLAVOR_CLASS, ctx.source);
  const instance = new Cls() as FlavorInstance;
  const exportName = ref.slice(ref.lastIndexOf("#") + 1);
  const missing = ["save", "load"].filter((m) =>
    typeof (instance as unknown as Record<string, unknown>)[m] !== "function"
  );
  if (missing.length) {
    throw new DatasetError(
      "mlflow/flavor-incomplete",
      `Flavor class ${exportName} does not implement ${missing.map((m) => `${m}()`).join(", ")}`,
      { source: ctx.source, hint: "a flavor class has save(model, dir) and load(dir)" },
    );
  }
  const name = instance.name === undefined ? exportName : instance.name;
  if (typeof name !== "string" || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new DatasetError(
      "mlflow/flavor-name",
      `Flavor class ${exportName} has the name ${
        JSON.stringify(name)
      }, which cannot be a key of MLmodel's flavors`,
      {
        source: ctx.source,
        hint: "name it with letters, digits, _ . and - (or leave name out: the class name is used)",
      },
    );
  }
  return {
    name,
    async save(model, dir, args) {
      const entry = await instance.save(model, dir, args);
      const own = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? entry : {};
      return { entry: { ...own, kmlf_class: ref } };
    },
    async load(dir, { entry, args }) {
      return await instance.load(dir, entry, args);
    },
  };
}
