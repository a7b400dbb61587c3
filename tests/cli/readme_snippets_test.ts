/**
 * The README's TypeScript examples are what node, plugin and script authors copy: each type-checks as
 * printed (against the public API where it imports "kmlf") in a `kmlf new` project, the Plugins section's
 * example runs as a plugin of that project (the MlflowClient example runs in tests/cli/new_user_test.ts), and
 * mod.ts's module example — the first thing `deno doc` shows — runs in a tracked demo project.
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
    const named = /^\/\/ ([\w./-]+\.ts)\b/.exec(code);
    snippets.push({ line: readme.slice(0, m.index).split("\n").length, file: named?.[1], code });
  }
  return snippets;
}

Deno.test("every README TypeScript example type-checks as printed in a kmlf new project", async () => {
  const snippets = await readmeSnippets();
  assert.ok(snippets.length >= 3, `README examples found: ${snippets.map((s) => s.line).join(", ")}`);
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

Deno.test("mod.ts's module example runs in a tracked iris project and reads the accuracy it orders by", async () => {
  const mod = await Deno.readTextFile(join(REPO, "mod.ts"));
  const block = /^\/\*\*[\s\S]*?@example\n \* ```ts\n([\s\S]*?) \* ```/.exec(mod);
  assert.ok(block, "mod.ts's module doc has an @example");
  const lines = block[1].split("\n").map((l) => l.replace(/^ \* ?/, "")).filter((l) => l !== "");
  // The last line is an expression the example shows the value of: print it.
  const last = lines.pop()!.replace(/;\s*(\/\/.*)?$/, "");
  const dir = await demoProject({}, { tracked: true });
  try {
    const code = [...lines, `console.log(JSON.stringify(${last}));`].join("\n")
      .replaceAll('"/path/to/project"', JSON.stringify(dir));
    await Deno.writeTextFile(join(dir, "module_example.ts"), code);
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "module_example.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const [stdout, stderr] = [r.stdout, r.stderr].map((b) => new TextDecoder().decode(b));
    assert.equal(r.code, 0, stderr);
    const value = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.ok(typeof value === "number" && value > 0.5 && value <= 1, `\`${last}\` printed ${stdout}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
