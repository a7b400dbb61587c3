/**
 * The README's TypeScript examples that import "kmlf" are what plugin authors and script users copy: each
 * type-checks against the public API in a `kmlf new` project, and the Plugins section's example runs as a
 * plugin of that project (the MlflowClient example runs in tests/cli/new_user_test.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";

interface Snippet {
  line: number;
  /** The file the example names in its first comment (`// plugins/timing.ts`), if any. */
  file?: string;
  code: string;
}

async function readmeSnippets(): Promise<Snippet[]> {
  const readme = await Deno.readTextFile(join(REPO, "README.md"));
  const snippets: Snippet[] = [];
  for (const m of readme.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)) {
    const code = m[1];
    if (!/from "kmlf"/.test(code)) continue;
    const named = /^\/\/ ([\w./-]+\.ts)\b/.exec(code);
    snippets.push({ line: readme.slice(0, m.index).split("\n").length, file: named?.[1], code });
  }
  return snippets;
}

Deno.test("every README example importing kmlf type-checks in a kmlf new project", async () => {
  const snippets = await readmeSnippets();
  assert.ok(snippets.length >= 2, `README examples found: ${snippets.map((s) => s.line).join(", ")}`);
  const dir = await demoProject();
  try {
    const files = [];
    for (const [i, snippet] of snippets.entries()) {
      const file = join("readme_examples", `example_${i}_line_${snippet.line}.ts`);
      await Deno.mkdir(join(dir, "readme_examples"), { recursive: true });
      await Deno.writeTextFile(join(dir, file), snippet.code);
      files.push(file);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", ...files],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `README examples (by README line) fail to type-check:\n${errors}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the README's plugin example, listed in kmlf.yml plugins:, reports each node of a run", async () => {
  const snippet = (await readmeSnippets()).find((s) => s.file?.startsWith("plugins/"));
  assert.ok(snippet?.file, "README's Plugins section has an example naming its file (// plugins/….ts)");
  const dir = await demoProject({
    "kmlf.yml": `name: iris\nplugins: [./${snippet.file}]\n`,
    [snippet.file]: snippet.code,
  });
  try {
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    for (const node of ["split_data", "train_model", "predict", "report_accuracy"]) {
      assert.match(r.stderr, new RegExp(`^${node} finished at \\d{4}-\\d\\d-\\d\\dT`, "m"));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
