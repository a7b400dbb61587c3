/**
 * The python3 the differential tests run: Debian's `/usr/bin/python3` when it exists, since that is where
 * `apt-get install python3-*` (tests/prerequisites.ts) puts the packages, whatever `python3` comes first on
 * PATH (a pyenv shim or a virtualenv has its own site-packages and would not see them); else `python3`.
 *
 * @example
 * ```ts
 * await new Deno.Command(PYTHON3, { args: ["-c", "import yaml"] }).output();
 * ```
 */
export const PYTHON3: string = debianPython3() ?? "python3";

function debianPython3(): string | undefined {
  try {
    return Deno.statSync("/usr/bin/python3").isFile ? "/usr/bin/python3" : undefined;
  } catch {
    return undefined;
  }
}
