/**
 * Catalog paths as Kedro's `_convert_paths_to_absolute_posix` makes them absolute: every string under a
 * `filepath`/`path`/`filename` key at any depth is joined to the project root unless it is a URL or absolute.
 * Where Kedro keeps a Windows drive path as written (and joins `~/x`), none of which can be the file meant
 * off Windows, kmlf refuses it at its line (`catalog/foreign-path`).
 */
import assert from "node:assert/strict";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import { formatLocation, KmlfAggregateError, KmlfError } from "../../lib/errors.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";

// A registry whose `probe` type records the arguments it gets (a project class would get the same).
function probing(): { registry: ReturnType<typeof builtinRegistry>; seen: Record<string, unknown>[] } {
  const seen: Record<string, unknown>[] = [];
  const registry = builtinRegistry();
  registry.register(["probe"], (args) => {
    seen.push(args);
    return { load: () => args, save() {}, exists: () => true, describe: () => ({}) };
  });
  return { registry, seen };
}

// The errors building `yaml` gives, as `code @ file:line:col (key path)`.
async function errorsOf(yaml: string, credentials?: string): Promise<string[]> {
  try {
    await Catalog.fromConfig(catalogConfig(yaml), {
      projectRoot: "/p",
      registry: probing().registry,
      ...(credentials
        ? { credentials: catalogConfig(credentials, "/project/conf/local/credentials.yml") }
        : {}),
    });
  } catch (error) {
    const errors = error instanceof KmlfAggregateError ? error.errors : [error];
    return errors.map((e) => e instanceof KmlfError ? `${e.code} @ ${formatLocation(e.source)}` : String(e));
  }
  throw new Error("the catalog was built");
}

const at = (position: string, keyPath: string) => `${CATALOG_FILE}:${position} (${keyPath})`;

// YAML single-quoted: backslashes are letters.
const WINDOWS_PATHS = [
  "C:\\data\\x.json",
  "c:/data/x.json",
  "C:",
  "C:x.json",
  "\\\\server\\share\\x.json",
  "\\\\server/share/x.json",
  "/\\server\\share\\x.json",
  "file:///C:/data/x.json",
  "file://localhost/C:/x.json",
  "file://C:/x.json",
  "data\\01_raw\\x.json",
  "~/data/x.json",
  "~",
  "~alice/x.json",
];

for (const path of WINDOWS_PATHS) {
  Deno.test(`filepath '${path}' is refused at its value, for built-in and project types`, async () => {
    const yaml = `a:\n  type: json\n  filepath: '${path}'\nb:\n  type: probe\n  filepath: '${path}'\n`;
    assert.deepEqual(await errorsOf(yaml), [
      `catalog/foreign-path @ ${at("3:13", "a.filepath")}`,
      `catalog/foreign-path @ ${at("6:13", "b.filepath")}`,
    ]);
  });
}

Deno.test("the refusal says what the path is and what to write, naming the key and the value", async () => {
  const messages = async (path: string) => {
    try {
      await Catalog.fromConfig(catalogConfig(`a: {type: json, filepath: '${path}'}\n`), {
        projectRoot: "/p",
      });
    } catch (e) {
      return `${(e as KmlfError).message} | ${(e as KmlfError).hint}`;
    }
    throw new Error("built");
  };
  assert.match(
    await messages("C:\\data\\x.json"),
    /^Cannot use filepath "C:\\data\\x\.json": it is a Windows path \(drive C:\), and this machine runs \w+ \| write where the file is on this machine/,
  );
  assert.match(
    await messages("\\\\srv\\share\\x.json"),
    /Windows network share \(UNC path\).* \| mount the share/,
  );
  assert.match(
    await messages("data\\01_raw\\x.json"),
    /\\ separates folders on Windows only.* \| write it with \/: data\/01_raw\/x\.json$/,
  );
  assert.match(await messages("~/x.json"), /~ is not expanded in catalog paths .* \| write the full path/);
});

Deno.test("a foreign path anywhere Kedro converts is refused where written: nested keys, checkpoint, dataset:", async () => {
  assert.deepEqual(
    await errorsOf("a:\n  type: probe\n  filepath: x.csv\n  load_args:\n    path: 'C:\\tmp'\n"),
    [`catalog/foreign-path @ ${at("5:11", "a.load_args.path")}`],
  );
  assert.deepEqual(
    await errorsOf(
      "p:\n  type: incremental\n  path: parts\n  dataset: json\n  checkpoint:\n    filepath: '~/cp'\n",
    ),
    [`catalog/foreign-path @ ${at("6:15", "p.checkpoint.filepath")}`],
  );
  assert.deepEqual(
    await errorsOf("p:\n  type: partitioned\n  path: 'D:\\parts'\n  dataset: json\n"),
    [`catalog/foreign-path @ ${at("3:9", "p.path")}`],
  );
  // An inline credentials mapping is the catalog's (Kedro converts it too).
  assert.deepEqual(
    await errorsOf("a:\n  type: probe\n  filepath: x\n  credentials:\n    path: 'C:\\key.json'\n"),
    [`catalog/foreign-path @ ${at("5:11", "a.credentials.path")}`],
  );
});

Deno.test("a Kedro SQL dataset's sqlite:/// file on a Windows drive is refused at its credentials", async () => {
  assert.deepEqual(
    await errorsOf(
      "t:\n  type: pandas.SQLTableDataset\n  table_name: t\n  credentials: db\n",
      "db: {con: 'sqlite:///C:/data/db.sqlite'}\n",
    ),
    // At the con credentials.yml wrote (the fix goes there), not at the entry's `credentials: db`.
    ["catalog/foreign-path @ /project/conf/local/credentials.yml:1:11 (db.con)"],
  );
});

Deno.test("every other path is as Kedro makes it: joined to the root, or kept when a URL or absolute", async () => {
  const paths: Record<string, string> = {
    "./x.json": "/p/x.json",
    "../x.json": "/x.json",
    "data/a b#1?x%20y.json": "/p/data/a b#1?x%20y.json",
    // urlparse finds the scheme "s3", fsspec a local file: read from the project (where Kedro runs).
    "s3:x.json": "/p/s3:x.json",
    "s3://bucket/k.csv": "s3://bucket/k.csv",
    "http://host/x.csv": "http://host/x.csv",
    "//server/share/x.json": "//server/share/x.json",
    "/abs/x.json": "/abs/x.json",
    "file:///abs/a%20b.json": "/abs/a%20b.json",
    // A name that only starts with ~ (Office's lock files, a temp copy) is a file of the project, not a home.
    "~$report.json": "/p/~$report.json",
    "~tmp.json": "/p/~tmp.json",
    "data/~x.json": "/p/data/~x.json",
  };
  const { registry, seen } = probing();
  const yaml = Object.keys(paths).map((p, i) => `e${i}: {type: probe, filepath: '${p}'}\n`).join("");
  await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p", registry });
  assert.deepEqual(seen.map((args) => args.filepath), Object.values(paths));
  // At any mapping depth, under path and filename too; other keys and lists are left alone.
  seen.length = 0;
  await Catalog.fromConfig(
    catalogConfig(
      "n: {type: probe, load_args: {path: rel, opts: {filename: f.log}, dir: rel, paths: [rel]}}\n",
    ),
    { projectRoot: "/p", registry },
  );
  assert.deepEqual(seen, [{
    load_args: { path: "/p/rel", opts: { filename: "/p/f.log" }, dir: "rel", paths: ["rel"] },
  }]);
});

Deno.test("a path in an inline credentials mapping is made absolute, one in a credentials.yml block is not", async () => {
  const { registry, seen } = probing();
  const yaml = "a: {type: probe, filepath: x, credentials: {path: keys/a.json}}\n" +
    "b: {type: probe, filepath: x, credentials: gcp}\n";
  await Catalog.fromConfig(catalogConfig(yaml), {
    projectRoot: "/p",
    registry,
    credentials: catalogConfig("gcp: {path: keys/b.json}\n", "/project/conf/local/credentials.yml"),
  });
  assert.deepEqual(seen.map((args) => args.credentials), [{ path: "/p/keys/a.json" }, {
    path: "keys/b.json",
  }]);
});

Deno.test("an empty filepath is refused by its type's schema at the value, not taken for the project root", async () => {
  const [error] = await errorsOf("a:\n  type: json\n  filepath: ''\n");
  assert.match(
    error,
    new RegExp(`^catalog/bad-argument @ ${at("3:13", "a.filepath").replace(/[.()]/g, "\\$&")}$`),
  );
});
