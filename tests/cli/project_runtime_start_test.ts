/**
 * Starting kmlf inside a project's Deno configuration as a user's project has it: a deno.json with
 * comments (Deno reads it as JSONC), a project folder whose name holds a space, `%` or `#`, and a
 * configuration Deno refuses to start (an outdated frozen deno.lock, an unreadable one), which is a kmlf
 * error naming the project's files and the fix — never Deno's backtrace alone.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseJsonc } from "../../lib/deno_config_file.ts";
import { relaunchPlan } from "../../lib/cli/project_runtime.ts";
import { bundledKmlf, demoProject, kmlf } from "../cli_harness.ts";

async function withOwnPackage(dir: string, extra: Record<string, unknown> = {}): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
  config.imports["is-number"] = "npm:is-number@7.0.0";
  await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify({ ...config, ...extra }, null, 2));
}

Deno.test("parseJsonc reads deno.json as Deno does: comments and trailing commas out, strings untouched", () => {
  assert.deepEqual(
    parseJsonc(
      '{\n  // mine\n  "imports": { "a": "npm:a@1", /* b */ },\n  "x": ["// not a comment", ", }"],\n}\n',
    ),
    { imports: { a: "npm:a@1" }, x: ["// not a comment", ", }"] },
  );
  assert.throws(() => parseJsonc("{ imports: }"), SyntaxError);
});

Deno.test("a deno.json with comments and trailing commas still brings the project's own packages", async () => {
  const dir = await demoProject();
  try {
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    const text = JSON.stringify(config, null, 2).replace(
      '"imports": {',
      '"imports": {\n    // the project\'s own\n    "is-number": "npm:is-number@7.0.0",',
    ).replace(/\n\s*\}\n\}\s*$/, ",\n  },\n}\n");
    await Deno.writeTextFile(join(dir, "deno.json"), text);
    const plan = relaunchPlan(["run", "training"], { cwd: dir, env: {} });
    assert.ok(plan.relaunch, "restarts inside the project's configuration");
    assert.equal((plan.importMap.imports as Record<string, string>)["is-number"], "npm:is-number@7.0.0");
    assert.deepEqual(plan.notes, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a project folder named with a space, % or # is found by --project and its paths map exactly", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  const made = await demoProject();
  const dir = join(parent, "my 100%25 #1 ü");
  try {
    await Deno.rename(made, dir);
    await withOwnPackage(dir);
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports.util = "./src/util.ts";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config));
    for (const project of ["my 100%25 #1 ü", `--project=${dir}`]) {
      const argv = project.startsWith("--") ? ["run", project] : ["run", "--project", project];
      const plan = relaunchPlan(argv, { cwd: parent, env: {} });
      assert.ok(plan.relaunch, project);
      assert.equal(plan.root, dir);
      assert.equal(
        (plan.importMap.imports as Record<string, string>).util,
        pathToFileURL(join(dir, "src/util.ts")).href,
      );
    }
    const r = await kmlf(["run", "training", "-q", "--project", "my 100%25 #1 ü"], { cwd: parent });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(parent, { recursive: true });
    await Deno.remove(made, { recursive: true }).catch(() => {});
  }
});

Deno.test("Deno refusing the project's configuration is a kmlf error naming deno.json and the fix, without a backtrace", async () => {
  const dir = await demoProject();
  try {
    // deno.lock written for the project's deno.json, then a package mapped and the lock frozen: Deno
    // refuses (the bundle, as installed, before any kmlf code runs; the sources when kmlf loads a module).
    await withOwnPackage(dir);
    const locked = await new Deno.Command(Deno.execPath(), { args: ["install", "--quiet"], cwd: dir })
      .output();
    assert.ok(locked.success, new TextDecoder().decode(locked.stderr));
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["is-number-6"] = "npm:is-number@6.0.0";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify({ ...config, lock: { frozen: true } }));
    const env = { RUST_BACKTRACE: "1" };
    for (
      const r of [
        await bundledKmlf(["run", "training", "-q"], { cwd: dir, env }),
        await kmlf(["run", "training", "-q"], { cwd: dir, env }),
      ]
    ) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The lockfile is out of date/, "Deno's own message stays");
      assert.match(
        r.stderr,
        /error\[cli\/project-runtime-refused\]: Deno could not start kmlf with the project's configuration in .*\n {2}at deno\.json\n {2}hint: deno\.json freezes deno\.lock .*`deno install --frozen=false` in the project/,
      );
      assert.doesNotMatch(r.stderr, /Stack backtrace/);
    }
    // A deno.lock Deno cannot read.
    await withOwnPackage(dir, { lock: undefined });
    await Deno.writeTextFile(join(dir, "deno.lock"), '{ "version": "99" }\n');
    // Run as installed (the bundle with its own --config), so the launcher itself does not read the project's.
    const unreadable = await bundledKmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(unreadable.code, 2, unreadable.stderr);
    assert.match(unreadable.stderr, /Unsupported lockfile version/);
    assert.match(unreadable.stderr, /hint: run `deno install` in the project: it updates deno\.lock/);
    // Fixed as the hint says: the run goes through, and a failing run is not called Deno's refusal.
    await Deno.remove(join(dir, "deno.lock"));
    const fixed = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(fixed.code, 0, fixed.stderr);
    const failing = await kmlf(["run", "no_such_pipeline"], { cwd: dir });
    assert.notEqual(failing.code, 0);
    assert.doesNotMatch(failing.stderr, /project-runtime-refused/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
