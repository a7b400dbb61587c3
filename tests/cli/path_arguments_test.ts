/**
 * Command-line paths written for another machine (`C:\x`, `\\server\share`, `out\x`, `~/x` after `--flag=`,
 * where the shell leaves `~` as written) are refused before any command runs, naming the option and the fix.
 */
import assert from "node:assert/strict";
import { buildProgram } from "../../lib/cli/main.ts";
import { checkPathArguments } from "../../lib/cli/path_arguments.ts";
import { UsageError } from "../../lib/errors.ts";
import { kmlf } from "../cli_harness.ts";

// Commands whose action, without the check, would fail on another error (no project here) or write nothing.
const REFUSED: [argv: string[], message: RegExp, hint: RegExp][] = [
  [
    ["run", "--conf-source=~/conf"],
    /--conf-source ~\/conf: ~ is not expanded/,
    /write --conf-source ~\/conf \(a space/,
  ],
  [
    ["--project", "C:\\work\\iris", "registry", "list"],
    /--project C:\\work\\iris: it is a Windows path/,
    /\/mnt\/c/,
  ],
  [
    ["export", "argo", "-o", "out\\wf.yaml"],
    /--output out\\wf.yaml: \\ separates folders/,
    /write it with \/: out\/wf.yaml/,
  ],
  [["catalog", "list", "--project=\\\\server\\share\\iris"], /--project .*UNC path/, /mount the share/],
];

Deno.test("path options written for another machine are cli/foreign-path before the command runs", async () => {
  if (Deno.build.os === "windows") return;
  for (const [argv, message, hint] of REFUSED) {
    await assert.rejects(buildProgram(argv).parseAsync(argv, { from: "user" }), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${argv.join(" ")}: ${e}`);
      assert.equal(e.code, "cli/foreign-path", argv.join(" "));
      assert.match(e.message, message);
      assert.match(e.hint ?? "", hint);
      return true;
    });
  }
});

Deno.test("a file: URI is judged by its path; URIs of other schemes and paths of this machine pass", () => {
  if (Deno.build.os === "windows") return;
  assert.throws(
    () => checkPathArguments([{ name: "--artifacts-destination", value: "file:///D:/artifacts" }]),
    /Cannot use --artifacts-destination file:\/\/\/D:\/artifacts: it is a Windows path \(drive D:\)/,
  );
  checkPathArguments([
    { name: "--artifacts-destination", value: "s3://bucket/artifacts" },
    { name: "--project", value: "../iris" },
    { name: "--output", value: "/tmp/dag.py" },
    { name: "--dest-path", value: "runs~1" },
  ]);
});

Deno.test("kmlf new refuses a target folder written for another machine and creates nothing", async () => {
  if (Deno.build.os === "windows") return;
  const dir = await Deno.makeTempDir({ prefix: "kmlf-new-foreign-" });
  try {
    const r = await kmlf(["new", "projects\\demo", "--name", "demo"], { cwd: dir, env: { NO_COLOR: "1" } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /error\[cli\/foreign-path\]: Cannot use <dir> projects\\demo: \\ separates folders/,
    );
    assert.match(r.stderr, /hint: write it with \/: projects\/demo/);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
