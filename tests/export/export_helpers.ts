/** Shared by the export tests: a demo project whose intermediate datasets are persisted, and the exports. */
import assert from "node:assert/strict";
import { load } from "js-yaml";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import Ajv2020 from "npm:ajv@8.20.0/dist/2020.js";
import { PYTHON3 } from "../python3.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

/** Catalog entries that persist the demo's intermediate datasets (they are in memory in the demo). */
export const PERSISTED_INTERMEDIATES = ["X_train", "y_train", "X_test", "y_test"]
  .map((name) => `\n${name}:\n  type: pickle\n  filepath: data/02_intermediate/${name}.pkl\n`).join("");

/** The demo project (tracked), with its intermediate datasets persisted so every node can be its own task. */
export async function exportableDemo(files: Record<string, string | null> = {}): Promise<string> {
  const dir = await demoProject(files, { tracked: true });
  const catalog = `${dir}/conf/base/catalog.yml`;
  await Deno.writeTextFile(catalog, (await Deno.readTextFile(catalog)) + PERSISTED_INTERMEDIATES);
  return dir;
}

/** An Argo workflow as written by `kmlf export argo`. */
export interface ArgoDoc {
  kind: string;
  metadata: Record<string, unknown>;
  spec: {
    entrypoint: string;
    onExit: string;
    templates: {
      name: string;
      dag?: {
        tasks: {
          name: string;
          template: string;
          dependencies?: string[];
          arguments?: { parameters: { name: string; value: string }[] };
        }[];
      };
      inputs?: { parameters: { name: string }[] };
      outputs?: { parameters: { name: string; valueFrom: { path: string }; globalName: string }[] };
      container?: {
        image: string;
        command: string[];
        args: string[];
        env?: { name: string; value: string }[];
      };
    }[];
  };
}

/** Runs `kmlf export argo <args>` in `dir` and parses the YAML it prints. */
export async function exportArgo(dir: string, args: string[]): Promise<{ doc: ArgoDoc; text: string }> {
  const r = await kmlf(["export", "argo", ...args], { cwd: dir });
  if (r.code !== 0) throw new Error(`kmlf export argo failed (${r.code}): ${r.stderr}`);
  return { doc: load(r.stdout) as ArgoDoc, text: r.stdout };
}

/** One task of an Airflow DAG, as the stand-in `airflow` package recorded it. */
export interface AirflowTask {
  task_id: string;
  bash_command: string;
  cwd: string;
  env: Record<string, string> | null;
  append_env: boolean;
  do_xcom_push: boolean;
  trigger_rule: string;
  upstream: string[];
  /** The command as Airflow renders it (Jinja), `ti.xcom_pull` answering "xcom-of-TASK_ID". */
  rendered_command: string;
}

/** Imports a DAG file under tests/fixtures/airflow_stub and returns what it declared. */
export async function inspectDag(
  file: string,
): Promise<{ dag_id: string; args: Record<string, unknown>; tasks: AirflowTask[] }> {
  const root = new URL("../", import.meta.url).pathname;
  const out = await new Deno.Command(PYTHON3, {
    args: [`${root}export/airflow_inspect.py`, file],
    env: { PYTHONPATH: `${root}fixtures/airflow_stub`, PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`importing ${file} failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const SCHEMA = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/argo/argo-workflows-v4.1.2.schema.json", import.meta.url)),
);
/**
 * Argo Workflows' v4.1.2 JSON schema, compiled. Its formats (int-or-string, …) are Kubernetes', not JSON
 * Schema's: types and structure are checked.
 */
// deno-lint-ignore no-explicit-any
export const validateArgo = new (Ajv2020 as any)({ strict: false, validateFormats: false, allErrors: true })
  .compile(SCHEMA);

/** Fails with the schema's first errors unless `doc` is a valid Argo workflow. */
export function assertValidArgo(doc: unknown): void {
  assert.ok(validateArgo(doc), JSON.stringify(validateArgo.errors?.slice(0, 5), null, 2));
}
