/**
 * The import-layer check (style.md): which lib/ folders may import which. Run as a script
 * (`deno run --allow-read tests/layers.ts`) or through tests/layers_test.ts.
 */
import { dirname, join, relative, resolve } from "node:path";

/** folder → folders it must never import. `*config` style rule: only session and cli see config. */
export const FORBIDDEN: Record<string, string[]> = {
  pipeline: ["catalog", "config", "runner", "session", "tracking", "mlflow", "server", "cli", "hooks"],
  catalog: ["pipeline", "config", "runner", "session", "tracking", "mlflow", "server", "cli", "hooks"],
  hooks: ["config", "runner", "session", "tracking", "mlflow", "server", "cli"],
  runner: ["config", "session", "tracking", "mlflow", "server", "cli"],
  tracking: ["pipeline", "catalog", "config", "runner", "session", "hooks", "mlflow", "server", "cli"],
  mlflow: ["config", "runner", "session", "server", "cli"],
  server: ["runner", "session", "pipeline", "catalog", "config", "hooks", "mlflow", "cli"],
  config: ["pipeline", "catalog", "runner", "session", "tracking", "mlflow", "server", "cli", "hooks"],
  yaml: [
    "pipeline",
    "catalog",
    "runner",
    "session",
    "tracking",
    "mlflow",
    "server",
    "cli",
    "hooks",
    "config",
  ],
  session: ["cli", "server"],
  models: ["config", "session", "mlflow", "server", "cli"],
  // Exporting to orchestrators plans from a pipeline and a persistence predicate the CLI passes in.
  export: ["catalog", "config", "runner", "session", "tracking", "mlflow", "server", "cli", "hooks"],
};
// lib/models loads and serves logged models, so it runs pipelines: only the CLI (and mod.ts) import it.
for (
  const layer of ["pipeline", "catalog", "hooks", "runner", "tracking", "mlflow", "server", "config", "yaml"]
) {
  FORBIDDEN[layer].push("models");
}
// The vendored zod bundle (tools/vendor_zod.ts) is a leaf: it imports none of kmlf's folders.
FORBIDDEN.zod = [...FORBIDDEN.yaml, "yaml"];
// Only the CLI exports workflows.
for (const layer of Object.keys(FORBIDDEN)) if (layer !== "export") FORBIDDEN[layer].push("export");
FORBIDDEN.export.push("models");

/**
 * Modules other folders may import directly instead of through the folder's `mod.ts`. Importing a `mod.ts`
 * loads every module it re-exports — the whole folder — so the start-up paths of `kmlf server` and
 * `kmlf models serve` import only these light modules (bench/README.md has the figures). Each stays on its
 * folder's public surface: the folder's `mod.ts` re-exports it (checked), and the forbidden lines still apply.
 */
export const START_UP_ENTRIES: readonly string[] = [
  "catalog/atomic.ts",
  "catalog/builtin_types.ts",
  "catalog/catalog.ts",
  "catalog/custom_type.ts",
  "catalog/datasets/memory_dataset.ts",
  "catalog/datasets/partitioned_brand.ts", // the parallel runner's checks ask without loading the dataset
  "catalog/file_dataset.ts",
  "catalog/ordered_record.ts", // the parallel runner copies ordered records for its workers
  "catalog/registry.ts", // the MLflow layer registers its dataset types with later schemas
  "catalog/versioning.ts",
  "config/project.ts",
  "mlflow/mlflow_config.ts",
  "mlflow/tracking_uri_rules.ts", // `kmlf models serve` and the plugin pick the tracking URI with mlflow.yml
  "mlflow/mlruns_left_behind.ts", // kmlf mlflow ui notes a kedro-mlflow mlruns/ without loading the layer
  "mlflow/orphaned_runs.ts", // kmlf mlflow ui names runs a killed kmlf left RUNNING, without the layer
  "mlflow/plugin.ts",
  "pipeline/lazy_loader.ts",
  "pipeline/node.ts", // a parallel runner's worker: Node without the YAML loader and zod
  "runner/lost_outputs.ts", // the inference checks name misspelt entries; listing commands load no runner
  "runner/run_error.ts", // a session's error hooks get the raised error; listing commands load no runner
  "runner/runner_settings.ts", // a session resolves its runner settings without loading the runners
  "runner/sequential_runner.ts",
  "server/auth.ts",
  "server/serve.ts",
  "server/server_options.ts",
  "tracking/artifacts/artifact_repository.ts", // safeArtifactPath: the catalog checks artifact_path with it
  "tracking/artifacts/local_access.ts", // `kmlf server` checks a local artifacts destination before listening
  "tracking/artifacts/local_uri.ts", // `kmlf server` checks its artifact roots' URIs before loading a store
  "tracking/client/client.ts",
  "tracking/models/flavor.ts",
  "tracking/models/mlmodel.ts",
  "tracking/models/model_folder.ts",
  "tracking/models/model_uri.ts",
  "tracking/models/resolve_model.ts",
  "tracking/models/signature.ts",
  "tracking/stores/open_store.ts",
  "tracking/stores/prepare_store.ts",
  "tracking/stores/tracking_uri.ts", // `kmlf server --no-serve-artifacts` picks the artifact root by store kind
  "zod/on_demand.ts", // a run whose configuration is in the validation cache loads no zod
];

/** One import that crosses a forbidden line. */
export interface LayerViolation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

/**
 * Scans `lib/` under `root` and returns every violation: forbidden folder imports, imports of another
 * folder's private files (anything but its `mod.ts`), and `lib/errors.ts` importing anything.
 *
 * @example
 * ```ts
 * const violations = await checkLayers("/path/to/kmlf");
 * ```
 */
export async function checkLayers(root: string): Promise<LayerViolation[]> {
  const lib = join(root, "lib");
  const violations: LayerViolation[] = [];
  const graph = new Map<string, { target: string; line: number; specifier: string }[]>();
  for await (const file of walk(lib)) {
    const rel = relative(lib, file);
    const from = rel.includes("/") ? rel.split("/")[0] : rel.replace(/\.ts$/, "");
    const lines = (await Deno.readTextFile(file)).split("\n");
    const edges: { target: string; line: number; specifier: string }[] = [];
    graph.set(rel, edges);
    lines.forEach((text, i) => {
      const specifiers = /(?:from\s+|import\s*\(\s*(?:new URL\(\s*)?|import\s+)["'](\.{1,2}\/[^"']+)["']/g;
      for (const m of text.matchAll(specifiers)) {
        const target = relative(lib, resolve(dirname(file), m[1]));
        edges.push({ target, line: i + 1, specifier: m[1] });
        if (target.startsWith("..")) continue; // deno.json, demo files for templates
        const to = target.includes("/") ? target.split("/")[0] : target.replace(/\.ts$/, "");
        const at = { file: relative(root, file), line: i + 1, specifier: m[1] };
        if (from === "errors") violations.push({ ...at, rule: "lib/errors.ts imports nothing from kmlf" });
        if (to === from || !target.includes("/")) continue;
        if (FORBIDDEN[from]?.includes(to)) {
          violations.push({ ...at, rule: `lib/${from} must not import lib/${to}` });
        } else if (
          !/^[a-z_]+\/mod\.ts$/.test(target) && to !== "yaml" && !START_UP_ENTRIES.includes(target)
        ) {
          violations.push({ ...at, rule: `import lib/${to} through lib/${to}/mod.ts, not ${target}` });
        }
      }
    });
  }
  for (const entry of START_UP_ENTRIES.filter((e) => graph.has(e))) {
    const folder = entry.split("/")[0];
    const mod = await Deno.readTextFile(join(lib, folder, "mod.ts")).catch(() => "");
    if (!mod.includes(`from "./${entry.slice(folder.length + 1)}"`)) {
      violations.push({
        file: `lib/${folder}/mod.ts`,
        line: 1,
        specifier: `./${entry.slice(folder.length + 1)}`,
        rule: `lib/${folder}/mod.ts must re-export the start-up entry lib/${entry}`,
      });
    }
  }
  return [...violations, ...cycles(graph)];
}

/** Modules that import each other, directly or through others (type imports count: they couple too). */
function cycles(graph: Map<string, { target: string; line: number; specifier: string }[]>): LayerViolation[] {
  const found: LayerViolation[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const edge of graph.get(file) ?? []) {
      if (!graph.has(edge.target)) continue;
      if (state.get(edge.target) === "open") {
        const loop = [...stack.slice(stack.indexOf(edge.target)), edge.target].map((f) => `lib/${f}`);
        found.push({
          file: `lib/${file}`,
          line: edge.line,
          specifier: edge.specifier,
          rule: `import cycle: ${loop.join(" → ")}`,
        });
      } else if (!state.has(edge.target)) visit(edge.target);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) yield path;
  }
}

if (import.meta.main) {
  const violations = await checkLayers(resolve(dirname(new URL(import.meta.url).pathname), ".."));
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.rule} (${v.specifier})`);
  console.log(violations.length === 0 ? "layers ok" : `${violations.length} layer violation(s)`);
  Deno.exit(violations.length === 0 ? 0 : 1);
}
