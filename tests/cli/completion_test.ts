/** `kmlf completion`: the bash script completes at any point of a command line, as a user types it. */
import assert from "node:assert/strict";
import { kmlf, REPO } from "../cli_harness.ts";

// What bash offers for the last word of `line` (a trailing space → an empty word), through the script.
async function offered(script: string, line: string): Promise<string[]> {
  const words = line.split(" ");
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})\n` +
    `COMP_CWORD=${words.length - 1}\n_kmlf_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
  const { stdout, code } = await new Deno.Command("bash", { args: ["-c", program] }).output();
  assert.equal(code, 0);
  return new TextDecoder().decode(stdout).split("\n").filter((w) => w !== "");
}

Deno.test("bash completion still offers options after a pipeline name, an option's value or --project DIR", async () => {
  const { stdout, code } = await kmlf(["completion", "bash"], { cwd: REPO });
  assert.equal(code, 0);
  assert.deepEqual(await offered(stdout, "kmlf run --p"), ["--pipeline", "--pipelines", "--params"]);
  assert.deepEqual(await offered(stdout, "kmlf run training --e"), ["--env"]);
  assert.deepEqual(await offered(stdout, "kmlf run -e local --ta"), ["--tags"]);
  assert.deepEqual(await offered(stdout, "kmlf --project /tmp/p run --to-o"), ["--to-outputs"]);
  assert.deepEqual(await offered(stdout, "kmlf catalog list -e base --pi"), ["--pipeline"]);
  assert.deepEqual(await offered(stdout, "kmlf pipeline create my_pipe --s"), ["--skip-config"]);
  assert.deepEqual(await offered(stdout, "kmlf catalog v"), ["validate"]);
  assert.deepEqual(await offered(stdout, "kmlf catalog describe-datasets -e base --p"), [
    "--params",
    "--pipeline",
  ]);
  const runFlags = await offered(stdout, "kmlf run training -");
  for (const flag of ["-ns", "-lv", "--namespaces", "--load-versions", "-t", "--conf-source"]) {
    assert.ok(runFlags.includes(flag), `${flag} in ${runFlags.join(" ")}`);
  }
});

Deno.test("fish completion offers a subcommand's options only under that exact command path", async () => {
  const { stdout } = await kmlf(["completion", "fish"], { cwd: REPO });
  const lines = stdout.split("\n");
  // `list` is a subcommand of both catalog and registry: each one's options stay its own.
  assert.ok(lines.includes(
    "complete -c kmlf -n '__fish_seen_subcommand_from catalog; and __fish_seen_subcommand_from list' -a '--env'",
  ));
  assert.ok(!lines.some((l) => /from registry; and __fish_seen_subcommand_from list' -a '--env'/.test(l)));
  assert.ok(lines.includes("complete -c kmlf -n '__fish_seen_subcommand_from run' -a '-lv'"));
  assert.ok(
    lines.some((l) =>
      l.includes("'__fish_seen_subcommand_from catalog; and not __fish_seen_subcommand_from list")
    ),
  );
});
