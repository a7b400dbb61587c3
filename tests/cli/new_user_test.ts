/**
 * A new user's first hour, end to end and from outside the repository, on a PATH without Deno (as after
 * `npx deno@…`): `deno task install` into a temp root → `kmlf new` → `deno check` in the new project →
 * `kmlf run` (twice) → the README's MlflowClient example → `kmlf mlflow ui` answers → uninstall.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO } from "../cli_harness.ts";

const dec = new TextDecoder();

async function exec(cmd: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  const out = await new Deno.Command(cmd, { args, ...options, stdout: "piped", stderr: "piped" }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The README's client example, as written there. */
async function readmeClientExample(): Promise<string> {
  const readme = await Deno.readTextFile(join(REPO, "README.md"));
  const start = readme.indexOf("```ts\n// compare_runs.ts");
  assert.ok(start >= 0, "README has the compare_runs.ts example");
  return readme.slice(start + "```ts\n".length, readme.indexOf("```", start + 6));
}

const TYPED_NODE = `import type { Dataset, Hooks, NodeFunction, Plugin } from "kmlf";
import { DatasetError, MlflowClient } from "kmlf";

/** A node typed with kmlf's public types. */
export const double: NodeFunction = (x: unknown) => (x as number) * 2;
export const hooks: Hooks = { afterNodeRun: ({ node }) => console.error(node.name) };
export const plugin: Plugin = { name: "typed" };
export type Text = Dataset<string>;
export const classes = [DatasetError, MlflowClient];
`;

Deno.test({
  name: "a new user installs kmlf, creates, checks, runs and browses a project, then uninstalls",
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "kmlf-install-" });
    const work = await Deno.makeTempDir({ prefix: "kmlf-user-" });
    const bin = join(root, "bin");
    const env = { PATH: `${bin}:/usr/bin:/bin`, NO_COLOR: "1" };
    const kmlfLock = await Deno.readTextFile(join(REPO, "deno.lock"));
    try {
      const installed = await exec(Deno.execPath(), ["task", "install", "--root", root], {
        cwd: REPO,
        env: { PATH: "/usr/bin:/bin", NO_COLOR: "1" },
      });
      assert.equal(installed.code, 0, installed.stderr);
      assert.match(installed.stdout, /Installed kmlf .*\/bin\/kmlf/);
      assert.match(installed.stdout, /is not on PATH: kmlf uses .*\/bin\/deno/);
      const kmlfCmd = join(bin, "kmlf");
      const deno = join(bin, "deno");

      const created = await exec(kmlfCmd, ["new", "churn"], { cwd: work, env });
      assert.equal(created.code, 0, created.stderr);
      const project = join(work, "churn");
      await Deno.writeTextFile(join(project, "pipelines/iris/typed.ts"), TYPED_NODE);
      const checked = await exec(deno, ["check"], { cwd: project, env });
      assert.equal(checked.code, 0, checked.stderr);
      const tested = await exec(deno, ["task", "test"], { cwd: project, env });
      assert.equal(tested.code, 0, tested.stderr + tested.stdout);

      const first = await exec(kmlfCmd, ["run", "training"], { cwd: project, env });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Completed 4 nodes/);
      const second = await exec(kmlfCmd, ["run", "training", "--params", "model.n_iter=5"], {
        cwd: project,
        env,
      });
      assert.equal(second.code, 0, second.stderr);

      await Deno.writeTextFile(join(project, "compare_runs.ts"), await readmeClientExample());
      const compared = await exec(deno, ["run", "-A", "compare_runs.ts"], { cwd: project, env });
      assert.equal(compared.code, 0, compared.stderr);
      assert.match(compared.stdout, /^best of 2 runs: training accuracy=0\.\d+/m);
      assert.match(compared.stdout, /^vs [0-9a-f]{8}: accuracy \+\d\.\d{3}, params changed: model$/m);

      const ui = new Deno.Command(kmlfCmd, {
        args: ["mlflow", "ui", "--port", "0"],
        cwd: project,
        env,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = ui.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let seen = "";
      while (!/opens on experiment "churn": (\S+)/.test(seen)) {
        const { value, done } = await reader.read();
        if (done) {
          throw new Error(`kmlf mlflow ui stopped:\n${seen}\n${await new Response(ui.stderr).text()}`);
        }
        seen += value;
      }
      const link = new URL(seen.match(/opens on experiment "churn": (\S+)/)![1]);
      const experimentId = link.hash.match(/^#\/experiments\/(\d+)$/)![1];
      const page = await (await fetch(new URL("/", link))).text();
      assert.match(page, /kmlf-start-page/);
      const search = await fetch(new URL("/api/2.0/mlflow/runs/search", link), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ experiment_ids: [experimentId] }),
      });
      assert.equal((await search.json()).runs.length, 2);
      ui.kill("SIGINT");
      while (!(await reader.read()).done) { /* drain until the server says it stopped */ }
      assert.equal((await ui.status).code, 0);
      await ui.stderr.cancel();

      const removed = await exec(Deno.execPath(), ["task", "install", "--uninstall", "--root", root], {
        cwd: REPO,
        env: { PATH: "/usr/bin:/bin", NO_COLOR: "1" },
      });
      assert.equal(removed.code, 0, removed.stderr);
      for (const file of ["kmlf", "deno", ".kmlf"]) {
        assert.equal(await Deno.lstat(join(bin, file)).catch(() => null), null, `${file} is removed`);
      }
      assert.equal(
        await Deno.readTextFile(join(REPO, "deno.lock")),
        kmlfLock,
        "kmlf's deno.lock is untouched",
      );
    } finally {
      await Deno.remove(root, { recursive: true }).catch(() => {});
      await Deno.remove(work, { recursive: true });
    }
  },
});
