/**
 * Where Deno installed an npm package deno.json maps, and one module bundled from it, for the tools that vendor
 * one (commander, zod, semver).
 */
import { join } from "node:path";

/**
 * The `npm:` specifier `root`'s deno.json maps `name` to: in its `imports` (a package kmlf ships to project
 * code too), else in `scopes["./tools/"]` (one only these tools use, as semver).
 *
 * @example
 * ```ts
 * await npmSpecifier("/path/to/kmlf", "semver"); // "npm:semver@7.8.6"
 * ```
 */
export async function npmSpecifier(root: string, name: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const specifier: string | undefined = config.imports?.[name] ?? config.scopes?.["./tools/"]?.[name];
  if (!specifier?.startsWith("npm:")) throw new Error(`deno.json does not map "${name}" to an npm package`);
  return specifier;
}

/**
 * The installed folder and version of the npm package `name` maps to in `root`'s deno.json (downloaded
 * into Deno's cache if needed).
 *
 * @example
 * ```ts
 * await npmPackage("/path/to/kmlf", "zod"); // { dir: "/home/me/.cache/deno/npm/registry.npmjs.org/zod/4.6.7", version: "4.6.7" }
 * ```
 */
export async function npmPackage(root: string, name: string): Promise<{ dir: string; version: string }> {
  const specifier = await npmSpecifier(root, name);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", specifier],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno info ${specifier} failed: ${new TextDecoder().decode(out.stderr)}`);
  const id = specifier.replace(/^npm:/, "").replace(/\/.*$/, "");
  const dir = JSON.parse(new TextDecoder().decode(out.stdout)).npmPackages?.[id]?.localPath;
  if (!dir) throw new Error(`deno info did not report where ${specifier} is installed`);
  return { dir, version: id.slice(id.lastIndexOf("@") + 1) };
}

/**
 * `deno bundle` of one entry module's source (written as `entry.js` in a temporary folder) with `root`'s
 * deno.json: the bundled text, whose header comment names `entry.js` by its temporary path.
 *
 * @example
 * ```ts
 * const text = await bundleEntry("/path/to/kmlf", 'export { default } from "npm:semver@7.8.6/functions/valid.js";\n');
 * ```
 */
export async function bundleEntry(root: string, entry: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-vendor-" });
  try {
    await Deno.writeTextFile(join(dir, "entry.js"), entry);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--config",
        join(root, "deno.json"),
        "--platform",
        "deno",
        "--output",
        join(dir, "bundle.js"),
        join(dir, "entry.js"),
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(`deno bundle failed: ${new TextDecoder().decode(out.stderr)}`);
    return await Deno.readTextFile(join(dir, "bundle.js"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
