import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { checkLayers } from "./layers.ts";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");

Deno.test("lib/ imports respect the layer rules", async () => {
  const violations = await checkLayers(root);
  assert.deepEqual(violations.map((v) => `${v.file}:${v.line} ${v.rule}`), []);
});

Deno.test("the layer check catches a runner importing tracking and a private cross-folder import", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(tmp, "lib/runner"), { recursive: true });
    await Deno.writeTextFile(
      join(tmp, "lib/runner/bad.ts"),
      'import { x } from "../tracking/mod.ts";\nimport { y } from "../catalog/datasets/csv.ts";\n',
    );
    const violations = await checkLayers(tmp);
    assert.equal(violations.length, 2);
    assert.match(violations[0].rule, /lib\/runner must not import lib\/tracking/);
    assert.match(violations[1].rule, /through lib\/catalog\/mod\.ts/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("the layer check catches two modules that import each other", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(tmp, "lib/catalog"), { recursive: true });
    await Deno.writeTextFile(join(tmp, "lib/catalog/a.ts"), 'import type { B } from "./b.ts";\n');
    await Deno.writeTextFile(join(tmp, "lib/catalog/b.ts"), 'import { a } from "./a.ts";\n');
    const violations = await checkLayers(tmp);
    assert.equal(violations.length, 1);
    assert.match(
      violations[0].rule,
      /import cycle: lib\/catalog\/a\.ts → lib\/catalog\/b\.ts → lib\/catalog\/a\.ts/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
