/**
 * Commands that only read the project start without Deno's Node compatibility layer: importing any `node:`
 * module starts it, which costs 5–10 ms before the module's first line runs (bench/README.md). So the
 * modules the CLI and its list and run commands load at once import none; `node:sqlite` and `node:v8`
 * load when a store or a pickle is opened, other built-ins when their feature is used.
 */
import assert from "node:assert/strict";
import { moduleGraph } from "../module_graph.ts";
import { kmlfBundle } from "../cli_harness.ts";

const COMMANDS = ["main", "registry_command", "catalog_command", "pipeline_command", "run_command"];
const builtins = (modules: Set<string>) => [...modules].filter((m) => m.startsWith("node:"));

Deno.test("the CLI's list and run commands import no node: module at start, from the sources", async () => {
  for (const entry of ["cli.ts", ...COMMANDS.map((c) => `lib/cli/${c}.ts`)]) {
    assert.deepEqual(builtins((await moduleGraph(entry)).static), [], entry);
  }
});

Deno.test("the CLI's list and run commands import no node: module at start, from the bundle", async () => {
  const bundle = await kmlfBundle();
  for (const entry of ["cli.js", ...COMMANDS.map((c) => `lib/cli/${c}.js`)]) {
    assert.deepEqual(builtins((await moduleGraph(entry, bundle)).static), [], entry);
  }
});
