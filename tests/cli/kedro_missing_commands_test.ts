/** Kedro commands kmlf lacks are refused with what to do instead, not commander's bare "unknown command". */
import assert from "node:assert/strict";
import { kmlf, REPO } from "../cli_harness.ts";

Deno.test("kedro jupyter/ipython/package/starter/viz/airflow are cli/not-in-kmlf with kmlf's way; other names stay cli/usage", async () => {
  for (
    const [args, says] of [
      [["jupyter", "notebook"], /KmlfSession\.create/],
      [["ipython"], /KmlfSession\.create/],
      [["package"], /--conf-source conf\.tar\.gz/],
      [["starter", "list"], /kmlf new <dir>/],
      [["viz", "run"], /kmlf registry describe/],
      [["airflow", "create"], /kmlf export airflow/],
      [["--project", ".", "test"], /deno test/],
    ] as const
  ) {
    const res = await kmlf([...args], { cwd: REPO });
    assert.equal(res.code, 2, args.join(" "));
    assert.match(res.stderr, /^error\[cli\/not-in-kmlf\]: kmlf has no /, args.join(" "));
    assert.match(res.stderr, says, args.join(" "));
  }
  const other = await kmlf(["jupyterx"], { cwd: REPO });
  assert.equal(other.code, 2);
  assert.match(other.stderr, /^error\[cli\/usage\]: unknown command 'jupyterx'/);
});
