/**
 * Runs a python3 oracle script of the differential tests: the request as JSON on stdin, the answer as JSON
 * on stdout. python3 and python3-yaml are test prerequisites (tests/prerequisites.ts).
 */

/**
 * Sends `request` to the python3 script at `script` (run by `python`) and returns its JSON answer.
 *
 * @example
 * ```ts
 * const answer = await pythonOracle<{ dump: string[] }>("/repo/tests/yaml/pyyaml_oracle.py", { dump: [1] });
 * ```
 */
export async function pythonOracle<T>(script: string, request: unknown, python = "python3"): Promise<T> {
  const child = new Deno.Command(python, {
    args: [script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(request)));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(
      `${python} ${script} failed (python3-yaml and python3-pandas are test prerequisites, tests/prerequisites.ts): ` +
        new TextDecoder().decode(out.stderr),
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
