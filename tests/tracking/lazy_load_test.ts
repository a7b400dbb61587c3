/**
 * The PostgreSQL driver and the S3 signer load only when a postgresql:// store or an s3:// location is
 * used: neither is in the static import graph of the CLI's entry, of the run command, or of lib/tracking
 * (what every SQLite run loads), while both stay reachable by dynamic import from what `deno task compile`
 * embeds (kmlf's bundle).
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { moduleGraph as graph } from "../module_graph.ts";
import { bundleFiles } from "../../tools/build_bundle.ts";
import { kmlfBundle } from "../cli_harness.ts";

const heavy = (modules: Set<string>) => [...modules].filter((m) => /postgres@|aws4fetch@/.test(m));

// cli.ts reaches the command tree (lib/cli/main.ts), main.ts each command and openStore each store through
// computed imports, which no graph follows.
for (const entry of ["lib/cli/main.ts", "lib/cli/run_command.ts", "lib/tracking/mod.ts"]) {
  Deno.test(`${entry} does not load the PostgreSQL driver or the S3 signer until they are used`, async () => {
    assert.deepEqual(heavy((await graph(entry)).static), []);
  });
}

Deno.test("deno task compile embeds the PostgreSQL driver and the S3 signer, in chunks loaded on first use", async () => {
  // The binary is compiled from the bundle (all of it --include'd), which inlines both packages.
  const bundle = await kmlfBundle();
  const files = (await bundleFiles(bundle)).filter((f) => f.endsWith(".js"));
  const holding = async (marker: string) => {
    const found = [];
    for (const f of files) if ((await Deno.readTextFile(join(bundle, f))).includes(marker)) found.push(f);
    assert.equal(found.length, 1, `one chunk holds ${marker}: ${found}`);
    return new URL(found[0], `file://${bundle}/`).href;
  };
  const chunks = [await holding("sslnegotiation"), await holding("var AwsClient = class")];
  const entries = files.filter((f) => f === "cli.js" || f.startsWith("lib/"));
  const graphs = await Promise.all(entries.map((entry) => graph(entry, bundle)));
  const reachable = await bundleReach(bundle, ["cli.js"]);
  for (const chunk of chunks) {
    assert.ok(reachable.has(chunk), `${chunk} is reachable from the bundle's cli.js`);
    for (const entry of ["cli.js", "lib/cli/main.js", "lib/cli/run_command.js", "lib/tracking/mod.js"]) {
      assert.ok(!graphs[entries.indexOf(entry)].static.has(chunk), `${entry} loads ${chunk} at start`);
    }
  }
});

// Every bundle file cli.js can load: static imports and dynamic ones, which the bundle writes as computed
// URLs (`import(new URL("./x.js", import.meta.url).href)`) that no `deno info` graph follows.
async function bundleReach(bundle: string, entries: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  const refs = /(?:from\s*|import\s*\(?\s*|new URL\(\s*)"(\.{1,2}\/[^"]+\.js)"/g;
  const visit = async (path: string) => {
    const url = new URL(`file://${path}`).href;
    if (seen.has(url)) return;
    seen.add(url);
    for (const m of (await Deno.readTextFile(path)).matchAll(refs)) await visit(join(dirname(path), m[1]));
  };
  for (const entry of entries) await visit(join(bundle, entry));
  return seen;
}
