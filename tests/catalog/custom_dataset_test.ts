/** User dataset classes from TypeScript modules: `type: ./datasets/x.ts#Class`. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { writeTree } from "../fs_helpers.ts";
import { catalogConfig } from "./catalog_helpers.ts";

const UPPER = `export interface UpperOptions {
  filepath: string;
  someFlag?: boolean;
  loadArgs?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  version?: { load?: string; save?: string };
}
export class UpperDataset {
  constructor(readonly opts: UpperOptions) {}
  async load(): Promise<string> { return (await Deno.readTextFile(this.opts.filepath)).toUpperCase(); }
  async save(data: string): Promise<void> { await Deno.writeTextFile(this.opts.filepath, data); }
  async exists(): Promise<boolean> { return await Deno.stat(this.opts.filepath).then(() => true, () => false); }
  describe() { return { ...this.opts }; }
}
export class Incomplete { load() { return 1; } }
export const notAClass = () => 1;
`;

async function project(): Promise<string> {
  return await writeTree({ "datasets/upper.ts": UPPER, "datasets/broken.ts": "export class X {\n" });
}

Deno.test("a user dataset class from a TS module gets camelCased options, metadata and version", async () => {
  const root = await project();
  try {
    const yaml =
      "u:\n  type: ./datasets/upper.ts#UpperDataset\n  filepath: u.txt\n  some_flag: true\n  load_args: {x: 1}\n" +
      "  metadata: {layer: raw}\n  versioned: true\n";
    const c = await Catalog.fromConfig(catalogConfig(yaml), {
      projectRoot: root,
      saveVersion: "2024-01-01T00.00.00.000Z",
    });
    assert.deepEqual((await c.get("u")).describe(), {
      filepath: join(root, "u.txt"),
      someFlag: true,
      loadArgs: { x: 1 },
      metadata: { layer: "raw" },
      version: { load: undefined, save: "2024-01-01T00.00.00.000Z" },
    });
    await c.save("u", "shout");
    assert.equal(await c.load("u"), "SHOUT");
    assert.equal(c.typeName("u"), "UpperDataset");
    assert.ok(!c.isEphemeral("u"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("custom dataset errors: missing module, missing export, not a class, incomplete class, no #, import failure", async () => {
  const root = await project();
  try {
    const expectations: [string, string, RegExp][] = [
      ["./datasets/nope.ts#X", "catalog/custom-module-not-found", /relative to the project root/],
      ["./datasets/upper.ts#UperDataset", "catalog/custom-export-not-found", /did you mean "UpperDataset"/],
      ["./datasets/upper.ts#notAClass", "catalog/custom-not-a-class", /export a class/],
      ["./datasets/upper.ts#Incomplete", "catalog/custom-incomplete", /exists\(\)/],
      ["./datasets/upper.ts", "catalog/custom-type", /upper\.ts#MyDataset/],
      ["./datasets/broken.ts#X", "catalog/custom-import-failed", /deno check/],
    ];
    for (const [type, code, hint] of expectations) {
      await assert.rejects(
        () => Catalog.fromConfig(catalogConfig(`u:\n  type: ${type}\n`), { projectRoot: root }),
        (e: DatasetError) => {
          assert.ok(e instanceof DatasetError, type);
          assert.equal(e.code, code, type);
          assert.match(e.hint!, hint, type);
          assert.equal(e.source?.keyPath, "u.type", type);
          return true;
        },
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a type written through the project's import-map alias imports the file the alias names", async () => {
  const root = await writeTree({
    "deno.json": JSON.stringify({ imports: { "@/": "./src/", "pkg/": "npm:argparse@2.0.1/" } }),
    "src/datasets.ts": UPPER,
    "u.txt": "quiet",
  });
  try {
    const c = await Catalog.fromConfig(
      catalogConfig('u:\n  type: "@/datasets.ts#UpperDataset"\n  filepath: u.txt\n'),
      { projectRoot: root },
    );
    assert.equal(await c.load("u"), "QUIET");
    assert.equal(c.typeName("u"), "UpperDataset");
    // An alias to no file, or to a package, names the key, what it maps to and the deno.json.
    const expectations: [string, RegExp, RegExp][] = [
      [
        "@/nope.ts#X",
        /Cannot find dataset module .*src\/nope\.ts \(@\/nope\.ts: .*deno\.json maps "@\/" to .*src\/\)/,
        /fix the path after "@\/", or what "@\/" maps to in .*deno\.json/,
      ],
      [
        "pkg/x.ts#X",
        /module pkg\/x\.ts is mapped by .*deno\.json \("pkg\/": "npm:argparse@2\.0\.1\/"\), which is not one of/,
        /map "pkg\/" to a folder or file of the project/,
      ],
    ];
    for (const [type, message, hint] of expectations) {
      await assert.rejects(
        () => Catalog.fromConfig(catalogConfig(`u:\n  type: "${type}"\n`), { projectRoot: root }),
        (e: DatasetError) => {
          assert.equal(e.code, "catalog/custom-module-not-found", type);
          assert.match(e.message, message, type);
          assert.match(e.hint!, hint, type);
          assert.equal(e.source?.keyPath, "u.type", type);
          return true;
        },
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
