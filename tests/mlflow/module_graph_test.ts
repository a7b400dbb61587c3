/** The import scan that decides which modules a logged model carries. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { moduleGraph, scanImports } from "../../lib/mlflow/mod.ts";

Deno.test("imports are found in every static and literal dynamic form, never in comments or strings", () => {
  const source = `
    import { a } from "./a.ts";
    import type { T } from './types.ts';
    import * as ns from "./ns.ts"
    import "./side-effect.ts";
    export { b } from "./b.ts";
    export * from "./star.ts";
    import {
      multi,
    } from "./multi.ts";
    const lazy = await import("./lazy.ts");
    const tpl = import(\`./tpl.ts\`);
    import { z } from "zod";
    // import { no } from "./commented.ts";
    /* export * from "./block.ts"; */
    const text = 'import { x } from "./in-string.ts"';
    const dyn = import(name);
  `;
  const { specifiers, computed } = scanImports(source);
  assert.deepEqual(
    specifiers.sort(),
    [
      "./a.ts",
      "./b.ts",
      "./lazy.ts",
      "./multi.ts",
      "./ns.ts",
      "./side-effect.ts",
      "./star.ts",
      "./tpl.ts",
      "./types.ts",
      "zod",
    ].sort(),
  );
  assert.equal(computed.length, 1);
});

Deno.test("the module graph follows relative imports transitively and lists packages", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "lib/deep"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "entry.ts"),
      'import { x } from "./lib/x.ts";\nimport "npm:lodash@4";\n',
    );
    await Deno.writeTextFile(join(dir, "lib/x.ts"), 'export * from "./deep/y.ts";\nexport const x = 1;\n');
    await Deno.writeTextFile(
      join(dir, "lib/deep/y.ts"),
      'import { x } from "../x.ts";\nexport const y = x;\n',
    );
    const graph = await moduleGraph([join(dir, "entry.ts")]);
    assert.deepEqual(graph.local, [join(dir, "entry.ts"), join(dir, "lib/deep/y.ts"), join(dir, "lib/x.ts")]);
    assert.deepEqual(graph.external, ["npm:lodash@4"]);
    await Deno.writeTextFile(join(dir, "lib/x.ts"), 'import "./missing.ts";\n');
    await assert.rejects(() => moduleGraph([join(dir, "entry.ts")]), /Cannot read module .*missing\.ts/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
