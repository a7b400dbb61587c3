/**
 * The README's "Troubleshooting (by error code)" table is the user's index of kmlf's error codes: every code
 * it lists must be one kmlf can raise, and every code kmlf raises must be listed (or, until it is, named in
 * NOT_YET_LISTED below, which only shrinks: a listed or removed code must leave it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO } from "../cli_harness.ts";

/** The prefixes kmlf's error codes use (`area/name`); other `a/b` texts in lib/ are paths and media types. */
const AREAS = [
  "catalog",
  "cli",
  "config",
  "dataset",
  "export",
  "hooks",
  "io",
  "mlflow",
  "model",
  "node",
  "pipeline",
  "plugins",
  "project",
  "run",
  "runner",
  "server",
  "session",
  "settings",
  "tracking",
  "validation",
  "yaml",
];

/** Areas whose codes end with a kind from lib/io_errors.ts (`dataset/${problem.code}`). */
const IO_AREAS = ["dataset", "tracking"];

/** Prefixes completed at run time (`${codePrefix}-${what}`); the table lists them as `prefix-*`. */
const GENERATED_PREFIXES = ["catalog/comparison", "catalog/custom", "mlflow/flavor"];

/** Codes raised in lib/ that the table does not list yet. Only ever remove entries. */
const NOT_YET_LISTED = new Set<string>([
  "catalog/bad-argument",
  "catalog/bad-entry",
  "catalog/bad-transcoding",
  "catalog/create-failed",
  "catalog/custom-incomplete",
  "catalog/duplicate",
  "catalog/multiple-catch-all",
  "catalog/no-confirm",
  "catalog/not-versionable",
  "cli/alias-needs-version",
  "cli/bad-content-type",
  "cli/bad-copy-mode",
  "cli/bad-input-name",
  "cli/bad-model-name",
  "cli/bad-option",
  "cli/bad-tag",
  "cli/conflicting-pipelines",
  "cli/input-bad-json",
  "cli/input-unreadable",
  "cli/invalid-option",
  "cli/output-unwritable",
  "cli/project-runtime-refused",
  "cli/register-local-model",
  "cli/register-no-model",
  "cli/server-modes",
  "cli/usage",
  "config/bad-merge-strategy",
  "config/not-a-mapping",
  "dataset/bad-cell",
  "dataset/bad-copy-mode",
  "dataset/bad-dtype",
  "dataset/bad-encoding",
  "dataset/bad-excel",
  "dataset/bad-if-exists",
  "dataset/bad-image-name",
  "dataset/bad-json",
  "dataset/bad-parquet",
  "dataset/bad-partition-id",
  "dataset/bad-pickle",
  "dataset/bad-sheet-name",
  "dataset/bad-table-name",
  "dataset/bad-usecols",
  "dataset/bad-version",
  "dataset/bad-yaml",
  "dataset/duplicate-columns",
  "dataset/duplicate-names",
  "dataset/memory-empty",
  "dataset/missing-filepath",
  "dataset/no-columns",
  "dataset/no-partitions",
  "dataset/no-versions",
  "dataset/not-a-database",
  "dataset/not-a-figure",
  "dataset/not-an-image",
  "dataset/not-bytes",
  "dataset/not-cloneable",
  "dataset/not-json",
  "dataset/not-partitions",
  "dataset/not-rows",
  "dataset/not-text",
  "dataset/plotly-column",
  "dataset/save-none",
  "dataset/table-exists",
  "dataset/table-not-found",
  "dataset/unknown-sheet",
  "dataset/version-exists",
  "dataset/version-list-failed",
  "dataset/versioned-file-conflict",
  "export/argo-template-tag",
  "export/empty-pipeline",
  "export/task-cycle",
  "hooks/import-failed",
  "hooks/module-not-found",
  "hooks/not-an-object",
  "hooks/unknown-export",
  "mlflow/artifact-needs-file",
  "mlflow/bad-history",
  "mlflow/bad-metrics",
  "mlflow/bad-mode",
  "mlflow/bad-signature",
  "mlflow/bad-tracking-uri",
  "mlflow/config-invalid",
  "mlflow/experiment-deleted",
  "mlflow/header-provider-import",
  "mlflow/header-provider-result",
  "mlflow/init-no-env",
  "mlflow/metric-not-found",
  "mlflow/model-uri-set",
  "mlflow/no-active-run",
  "mlflow/no-such-run",
  "mlflow/no-tracking-store",
  "mlflow/not-a-number",
  "mlflow/not-configured",
  "mlflow/param-too-long",
  "mlflow/unknown-credentials",
  "mlflow/unknown-flavor",
  "mlflow/workflow-join",
  "model/artifacts-mismatch",
  "model/bad-data",
  "model/bad-flavor",
  "model/bad-mlmodel",
  "model/bad-serialization",
  "model/bad-signature",
  "model/bad-source",
  "model/cannot-bundle",
  "model/input-missing",
  "model/module-unreadable",
  "model/needs-server",
  "model/no-mlmodel",
  "model/no-store",
  "model/no-version",
  "model/not-a-kmlf-model",
  "model/not-found",
  "model/not-serializable",
  "model/run-not-found",
  "model/unknown-model",
  "model/unknown-version",
  "node/exited",
  "node/missing-inputs",
  "pipeline/arity",
  "pipeline/bad-mapping",
  "pipeline/bad-name",
  "pipeline/confirm",
  "pipeline/duplicate-confirms",
  "pipeline/duplicate-file",
  "pipeline/duplicate-node",
  "pipeline/include-not-found",
  "pipeline/input-is-output",
  "pipeline/no-dir",
  "pipeline/no-env",
  "pipeline/node-without-datasets",
  "pipeline/not-found",
  "pipeline/recursive-include",
  "pipeline/schema",
  "pipeline/transcoding-mix",
  "pipeline/unknown-input",
  "pipeline/unknown-input-key",
  "pipeline/yaml",
  "plugins/bad-member",
  "plugins/bad-name",
  "plugins/factory-failed",
  "plugins/not-a-plugin",
  "run/node-failed",
  "run/unscheduled",
  "runner/bad-max-workers",
  "runner/cannot-cross",
  "runner/not-importable",
  "runner/pool-full",
  "runner/shared-assign",
  "runner/transcoded-in-memory",
  "runner/worker-failed",
  "runner/worker-import",
  "runner/worker-replaced",
  "server/bad-host",
  "session/already-ran",
  "session/no-project-root",
  "settings/invalid",
  "tracking/artifact-store-denied",
  "tracking/artifact-store-unreachable",
  "tracking/bad-env",
  "tracking/cannot-open-database",
  "tracking/database-auth",
  "tracking/no-active-run",
  "tracking/no-store",
  "tracking/not-an-mlflow-database",
  "tracking/run-already-active",
  "tracking/run-ended",
  "tracking/run-left-active",
  "tracking/s3-credentials",
  "tracking/s3-endpoint",
  "tracking/s3-extra-args",
  "tracking/store-closed",
  "tracking/unserializable-dict",
  "tracking/unsupported-artifact-uri",
  "validation/multiple",
  "yaml/unreadable",
]);

async function libSources(dir = join(REPO, "lib")): Promise<string[]> {
  const texts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && !path.endsWith(join("server", "ui"))) texts.push(...await libSources(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) texts.push(await Deno.readTextFile(path));
  }
  return texts;
}

/** Every `area/name` literal in lib/ (the codes errors and warnings carry, and a few that are not codes). */
async function libCodes(): Promise<{ codes: Set<string>; ioKinds: Set<string> }> {
  const codes = new Set<string>();
  const literal = new RegExp(`["'\`\\[]((?:${AREAS.join("|")})/[a-z][a-z0-9-]*[a-z0-9])["'\`\\]]`, "g");
  for (const text of await libSources()) {
    for (const m of text.matchAll(literal)) codes.add(m[1]);
  }
  const ioText = await Deno.readTextFile(join(REPO, "lib", "io_errors.ts"));
  const ioKinds = new Set([...ioText.matchAll(/code: "([a-z-]+)"/g)].map((m) => m[1]));
  for (const area of IO_AREAS) for (const kind of ioKinds) codes.add(`${area}/${kind}`);
  for (const prefix of GENERATED_PREFIXES) codes.delete(prefix);
  return { codes, ioKinds };
}

/** The codes in the first column of the Troubleshooting table (`mlflow/flavor-*` wildcards kept as written). */
async function tableCodes(): Promise<string[]> {
  const readme = await Deno.readTextFile(join(REPO, "README.md"));
  const start = readme.indexOf("## Troubleshooting (by error code)");
  assert.ok(start >= 0, "README has the Troubleshooting section");
  const end = readme.indexOf("\n## ", start + 3);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]).filter((c) => c !== "code");
}

Deno.test("every code in the README's Troubleshooting table is one kmlf raises", async () => {
  const { codes } = await libCodes();
  const sources = await libSources();
  const unknown = (await tableCodes()).filter((code) => {
    if (/^[A-Z_]+$/.test(code)) return !sources.some((text) => text.includes(`"${code}"`)); // MLflow's REST codes
    if (code.endsWith("-*")) {
      const prefix = code.slice(0, -2);
      return !GENERATED_PREFIXES.includes(prefix) && ![...codes].some((c) => c.startsWith(`${prefix}-`));
    }
    return !codes.has(code);
  });
  assert.deepEqual(unknown, [], "README lists codes lib/ never raises (renamed or removed?)");
});

Deno.test("every code kmlf raises is in the README's Troubleshooting table", async () => {
  const { codes } = await libCodes();
  const listed = await tableCodes();
  const covered = (code: string) =>
    listed.includes(code) ||
    listed.some((l) => l.endsWith("-*") && code.startsWith(l.slice(0, -1)));
  const missing = [...codes].filter((c) => !covered(c) && !NOT_YET_LISTED.has(c)).sort();
  assert.deepEqual(missing, [], "add these codes to the README's Troubleshooting table");
  const stale = [...NOT_YET_LISTED].filter((c) => covered(c) || !codes.has(c)).sort();
  assert.deepEqual(stale, [], "listed in the README or no longer raised: remove from NOT_YET_LISTED");
});

Deno.test("the README's Troubleshooting table lists each code once", async () => {
  const codes = await tableCodes();
  assert.deepEqual(codes.filter((c, i) => codes.indexOf(c) !== i), []);
});
