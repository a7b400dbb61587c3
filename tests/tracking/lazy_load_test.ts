/**
 * The PostgreSQL driver and the S3 signer load only when a postgresql:// store or an s3:// location is
 * used: neither is in the static import graph of the CLI's entry, of the run command, or of lib/tracking
 * (what every SQLite run loads), while both stay reachable by dynamic import from what `deno task compile`
 * embeds (its entry and --include'd modules).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO } from "../cli_harness.ts";

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; isDynamic?: boolean; code?: { specifier?: string } }[];
  npmPackage?: string;
}

async function graph(entry: string): Promise<{ static: Set<string>; all: Set<string> }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", join(REPO, entry)],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info: { roots: string[]; modules: InfoModule[]; redirects: Record<string, string> } = JSON.parse(
    new TextDecoder().decode(out.stdout),
  );
  const byUrl = new Map(info.modules.map((m) => [m.specifier, m]));
  const walk = (includeDynamic: boolean) => {
    const seen = new Set<string>();
    const visit = (url: string) => {
      const resolved = info.redirects[url] ?? url;
      if (seen.has(resolved)) return;
      seen.add(resolved);
      for (const dep of byUrl.get(resolved)?.dependencies ?? []) {
        if (dep.isDynamic && !includeDynamic) continue;
        if (dep.code?.specifier) visit(dep.code.specifier);
      }
    };
    info.roots.forEach(visit);
    return new Set([...seen].map((u) => byUrl.get(u)?.npmPackage ?? u));
  };
  return { static: walk(false), all: walk(true) };
}

const heavy = (modules: Set<string>) => [...modules].filter((m) => /postgres@|aws4fetch@/.test(m));

// cli.ts reaches the command tree (lib/cli/main.ts), main.ts each command and openStore each store through
// computed imports, which no graph follows.
for (const entry of ["lib/cli/main.ts", "lib/cli/run_command.ts", "lib/tracking/mod.ts"]) {
  Deno.test(`${entry} does not load the PostgreSQL driver or the S3 signer until they are used`, async () => {
    assert.deepEqual(heavy((await graph(entry)).static), []);
  });
}

Deno.test("deno task compile embeds the PostgreSQL driver and the S3 signer (reachable by dynamic import)", async () => {
  const task: string = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).tasks.compile;
  const entries = ["cli.ts", ...[...task.matchAll(/--include[= ](\S+)/g)].map((m) => m[1])];
  const reachable = new Set<string>();
  for (const entry of entries) for (const m of (await graph(entry)).all) reachable.add(m);
  assert.deepEqual(heavy(reachable).sort(), ["aws4fetch@1.0.20", "postgres@4.2.0"]);
});
