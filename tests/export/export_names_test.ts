/**
 * Exports of pipelines whose names are hard for the orchestrators: quotes, `$`, backticks, spaces,
 * Jinja's `{{ }}`, `{% %}`, `{# #}`, unicode, names ending in `.sh`, very long names. The Airflow DAG
 * file imports under Airflow's own id rules, and each task's command, rendered by Jinja as Airflow does
 * and run by bash, passes kmlf exactly the pipeline, env and nodes; every Argo manifest is valid against
 * Argo's schema with Kubernetes-valid names; options Kubernetes or Airflow would refuse are refused first.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kmlf } from "../cli_harness.ts";
import { assertValidArgo, exportableDemo, exportArgo, inspectDag } from "./export_helpers.ts";

const TRAINING = (await Deno.readTextFile(new URL("../../pipelines/training.yml", import.meta.url)))
  .replace(/\n# The inference pipeline[^]*$/, "\n");

/** The demo training pipeline under `name`, its nodes renamed `split.sh`, `train.bash`, …, in env `x.sh`. */
async function oddProject(names: string[]): Promise<string> {
  const nodes = TRAINING.replace("name: split_data", "name: split.sh")
    .replace("name: train_model", "name: train.bash")
    .replace("tags: [preprocessing]", "tags: [Prep_Stage]")
    .replace("name: predict\n", "name: predict\n    namespace: Eval.Sub\n");
  const files = Object.fromEntries(names.map((n) => [`pipelines/${n}.yml`, nodes]));
  const dir = await exportableDemo({ ...files, "conf/x.sh/parameters.yml": "{}\n" });
  return dir;
}

const ODD = [
  `we'ird "dq" $HOME \`id\` {{ x }} {%raw%} {#c#} {{{ é 训练.sh`,
  "ünïcode-训练",
  "tab\there: {a: 1} # not a comment",
  "p".repeat(90) + ".long-" + "q".repeat(90),
];

/** The argv bash gives `kmlf` for a rendered Airflow command. */
async function argvOf(command: string, cwd: string): Promise<string[]> {
  const out = await new Deno.Command("bash", {
    args: ["-c", `kmlf() { printf '%s\\0' "$@"; }\n${command}`],
    cwd,
    env: { HOME: "/should-not-expand" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\0").slice(0, -1);
}

Deno.test("Airflow DAGs of odd pipeline names import under Airflow's rules and run exactly the right kmlf commands", async () => {
  const dir = await oddProject(ODD);
  try {
    for (const pipeline of ODD) {
      const file = join(dir, "dag.py");
      const r = await kmlf(["export", "airflow", "--pipeline", pipeline, "--env", "x.sh", "-o", file], {
        cwd: dir,
      });
      assert.equal(r.code, 0, r.stderr);
      const dag = await inspectDag(file);
      assert.ok((dag.args.tags as string[]).every((t) => [...t].length <= 100));
      const byId = new Map(dag.tasks.map((t) => [t.task_id, t]));
      const common = ["--pipeline", pipeline, "--env", "x.sh"];
      const nodeTasks = dag.tasks.filter((t) => !t.task_id.startsWith("mlflow-"));
      assert.deepEqual(nodeTasks.map((t) => t.task_id), [
        "split-sh",
        "train-bash",
        "eval-sub-predict",
        "report-accuracy",
      ]);
      const nodes = ["split.sh", "train.bash", "Eval.Sub.predict", "report_accuracy"];
      for (const [i, task] of nodeTasks.entries()) {
        assert.deepEqual(await argvOf(task.rendered_command, dir), ["run", ...common, "--nodes", nodes[i]]);
      }
      assert.deepEqual(await argvOf(byId.get("mlflow-start-run")!.rendered_command, dir), [
        "mlflow",
        "start-run",
        ...common,
        "--workflow",
        "airflow",
      ]);
      for (const [id, status] of [["mlflow-end-run", "FINISHED"], ["mlflow-end-run-failed", "FAILED"]]) {
        assert.deepEqual(await argvOf(byId.get(id)!.rendered_command, dir), [
          "mlflow",
          "end-run",
          "--run-id",
          "xcom-of-mlflow-start-run",
          "--status",
          status,
          "--env",
          "x.sh",
        ]);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Argo manifests of odd names are schema-valid with Kubernetes names; Argo template tags are refused", async () => {
  const dir = await oddProject(ODD);
  const dns = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  try {
    for (const pipeline of ODD.slice(1)) {
      for (const extra of [["--group-by", "node"], ["--group-by", "tag"], ["--group-by", "namespace"]]) {
        for (const kind of ["Workflow", "WorkflowTemplate"]) {
          const { doc } = await exportArgo(dir, [
            "--pipeline",
            pipeline,
            "--env",
            "x.sh",
            "--kind",
            kind,
            "--namespace",
            "ml-prod",
            "--secret",
            "iris.tracking",
            "--name",
            "N".repeat(59) + "._x",
            ...extra,
          ]);
          assertValidArgo(doc);
          const name = String(doc.metadata.name ?? doc.metadata.generateName).replace(/-$/, "");
          assert.match(name, dns);
          assert.ok(name.length <= 63, name);
          for (const task of doc.spec.templates[0].dag!.tasks) {
            assert.match(task.name, dns);
            assert.ok(task.name.length <= 63);
          }
          const args = doc.spec.templates.find((t) => t.name === "mlflow-start-run")!.container!.args;
          assert.deepEqual(args.slice(2, 6), ["--pipeline", pipeline, "--env", "x.sh"]);
        }
      }
    }
    const r = await kmlf(["export", "argo", "--pipeline", ODD[0]], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /error\[export\/argo-template-tag\]: Cannot export pipeline "we'ird/);
    assert.match(r.stderr, /hint: rename pipelines\/we'ird .*\.yml/);
    assert.equal(r.stdout, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("options Kubernetes or Airflow would refuse are refused naming the option", async () => {
  const dir = await oddProject([]);
  try {
    for (
      const [args, message] of [
        [["argo", "--namespace", "My NS"], /--namespace must be a Kubernetes name .* got "My NS"/],
        [["argo", "--namespace", "n".repeat(64)], /--namespace must be a Kubernetes name/],
        [
          ["argo", "--secret", "Tracking_Secret"],
          /--secret must be a Kubernetes name .* got "Tracking_Secret"/,
        ],
        [
          ["airflow", "--dag-id", "iris training"],
          /--dag-id must be letters, digits, _ \. - only .* got "iris training"/,
        ],
        [["airflow", "--dag-id", "d".repeat(251)], /--dag-id must be/],
        [
          ["airflow", "--project-path", "relative/dir"],
          /--project-path must be an absolute path on the Airflow workers, got "relative\/dir"/,
        ],
      ] as const
    ) {
      const r = await kmlf(["export", args[0], "--pipeline", "training", ...args.slice(1)], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /hint: e\.g\. --/);
      assert.equal(r.stdout, "");
    }
    const ok = await kmlf(["export", "airflow", "--pipeline", "training", "--dag-id", "iris.训练_v2"], {
      cwd: dir,
    });
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// --params goes verbatim into every task's `kmlf run`: bash and Jinja (Airflow) must hand it over exactly,
// Argo (which substitutes any "{{…}}" and has no escape) must not change it, and a repeated flag adds to it
// as `kmlf run --params` does rather than keeping the last one.
Deno.test("export --params reaches each task's kmlf run exactly; Argo refuses {{ in it; repeats add up", async () => {
  const dir = await oddProject([]);
  const odd = `note=it's $HOME \`id\` \\ "q" {{ x }} {%raw%} {#c#} é,path=a b.sh`;
  try {
    const file = join(dir, "dag.py");
    const r = await kmlf(["export", "airflow", "--pipeline", "training", "--params", odd, "-o", file], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    for (const task of (await inspectDag(file)).tasks.filter((t) => !t.task_id.startsWith("mlflow-"))) {
      assert.deepEqual((await argvOf(task.rendered_command, dir)).slice(-2), ["--params", odd]);
    }
    const plain = `note=it's $HOME \`id\` \\ "q" {x} é`;
    const { doc } = await exportArgo(dir, [
      "--pipeline",
      "training",
      "--params",
      plain,
      "--params",
      "seed=3",
    ]);
    assertValidArgo(doc);
    const run = doc.spec.templates.find((t) => t.name === "kmlf-run")!.container!;
    assert.deepEqual(run.args!.slice(-2), ["--params", `${plain},seed=3`]);
    const tagged = await kmlf([
      "export",
      "argo",
      "--pipeline",
      "training",
      "--params",
      "run={{workflow.name}}",
    ], {
      cwd: dir,
    });
    assert.equal(tagged.code, 2, tagged.stderr);
    assert.match(
      tagged.stderr,
      /error\[export\/argo-template-tag\]: Cannot export --params "run=\{\{workflow\.name\}\}"/,
    );
    assert.equal(tagged.stdout, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
