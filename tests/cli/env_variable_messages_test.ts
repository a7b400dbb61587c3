/**
 * An env named by KMLF_ENV or KEDRO_ENV that is invalid or has no folder: the error names the variable that
 * was set and its value, in `kmlf run` (a session) and in a command reading mlflow.yml alone.
 */
import assert from "node:assert/strict";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("a missing or invalid env from a variable names that variable and its value", async () => {
  const dir = await demoProject();
  try {
    for (const args of [["run"], ["experiments", "search"]]) {
      const missing = await kmlf(args, { cwd: dir, env: { KEDRO_ENV: "prod" } });
      const said = `${args.join(" ")}: ${missing.stderr}`;
      assert.equal(missing.code, 2, said);
      assert.match(
        missing.stderr,
        /error\[config\/missing-env\]: Configuration folder conf\/prod does not exist/,
      );
      assert.match(
        missing.stderr,
        /hint: create conf\/prod \(it may stay empty\), or unset KEDRO_ENV \(KEDRO_ENV=prod names it\) or pass another --env; environments: local/,
        said,
      );
      // KMLF_ENV wins over KEDRO_ENV: it is the one named.
      const bad = await kmlf(args, { cwd: dir, env: { KMLF_ENV: ".x", KEDRO_ENV: "local" } });
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(
        bad.stderr,
        /Environment name "\.x" \(from KMLF_ENV=\.x\) is not valid\n {2}hint: unset KMLF_ENV or set/,
      );
    }
    // --env names its own folder: no variable is blamed.
    const flag = await kmlf(["run", "--env", "prod"], { cwd: dir, env: { KEDRO_ENV: "local" } });
    assert.match(flag.stderr, /or pass another --env \/ KMLF_ENV \/ KEDRO_ENV/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
