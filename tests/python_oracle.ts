/**
 * Runs a python3 oracle script of the differential tests: the request as JSON on stdin, the answer as JSON
 * on stdout. python3 and the packages the oracles import are test prerequisites (tests/prerequisites.ts).
 */
import { PYTHON3 } from "./python3.ts";

/**
 * Sends `request` to the python3 script at `script` and returns its JSON answer.
 *
 * @example
 * ```ts
 * const answer = await pythonOracle<{ dump: string[] }>("/repo/tests/yaml/pyyaml_oracle.py", { dump: [1] });
 * ```
 */
export async function pythonOracle<T>(script: string, request: unknown): Promise<T> {
  const child = new Deno.Command(PYTHON3, {
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
      `${PYTHON3} ${script} failed (its Python packages are test prerequisites, tests/prerequisites.ts): ` +
        new TextDecoder().decode(out.stderr),
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
