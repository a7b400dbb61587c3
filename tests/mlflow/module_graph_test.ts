/** The import scan that decides which modules a logged model carries. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { moduleGraph, scanImports } from "../../lib/mlflow/mod.ts";
import { blankCommentsAndStrings } from "../../lib/mlflow/module_graph.ts";
import { rewriteImports } from "../../lib/import_scan.ts";

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

// The character loop the regex replaced, kept as the reference.
function blankByLoop(src: string): string {
  const out = src.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") j++;
        else if (c !== "`" && src[j] === "\n") break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else i++;
  }
  return out.join("");
}

Deno.test("comments and strings are blanked exactly as the character loop did, on kmlf's sources and random text", async () => {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts") || e.name.endsWith(".js")) files.push(path);
    }
  };
  await walk(new URL("../../lib", import.meta.url).pathname);
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    assert.equal(blankCommentsAndStrings(text), blankByLoop(text), file);
  }
  let seed = 3;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pieces = ["/", "*", "'", '"', "`", "\\", "\n", "\r", "a", " ", "import", "x/", "${", "}", "é"];
  for (let round = 0; round < 3000; round++) {
    const text = Array.from(
      { length: Math.floor(random() * 30) },
      () => pieces[Math.floor(random() * pieces.length)],
    )
      .join("");
    // (The loop wrote one space past the end when the text ended in a backslash inside a string.)
    assert.equal(
      blankCommentsAndStrings(text),
      blankByLoop(text).slice(0, text.length),
      JSON.stringify(text),
    );
  }
});

Deno.test("rewriteImports replaces only import specifiers, never the same text in comments or strings", () => {
  const source = [
    'import { z } from "zod"; // from "zod"',
    "const s = 'import \"zod\"';",
    "export * from 'zod/v4';",
    'const m = await import("zod");',
    'import "@/side.ts";',
    "",
  ].join("\n");
  const out = rewriteImports(
    source,
    (spec) => spec === "@/side.ts" ? "./side.ts" : spec.startsWith("zod") ? `npm:${spec}` : undefined,
  );
  assert.equal(
    out,
    [
      'import { z } from "npm:zod"; // from "zod"',
      "const s = 'import \"zod\"';",
      "export * from 'npm:zod/v4';",
      'const m = await import("npm:zod");',
      'import "./side.ts";',
      "",
    ].join("\n"),
  );
});
