/**
 * `deno task bundle`: builds `dist/bundle/`, kmlf as ~130 JavaScript files instead of ~200 TypeScript modules
 * and the npm packages they import (`deno bundle --code-splitting`, which inlines those packages too); a
 * command loads a few dozen of them, so it reads and compiles far less code before it starts (the tracked
 * demo run ~40 ms less: bench/README.md). `deno task install` and `deno task compile` ship it; the
 * repository's own tasks and the tests run the sources.
 *
 *   deno task bundle [OUT_DIR]      (default dist/bundle)
 *
 * kmlf loads some modules lazily by a computed URL (`new URL("./x.ts", import.meta.url)`, so Deno does not
 * read them at start-up) and finds its own folder the same way. A bundle moves code into chunks, so those
 * URLs are rewritten: each target becomes an entry point of the bundle, and the URL is replaced by the path
 * from the output file that holds it to that entry's output. Any other `import.meta` use fails the build.
 *
 * In the bundle, `"kmlf"` maps to the bundle's `mod.js` (its `deno.json`), so a project's modules share the
 * CLI's classes (`instanceof KmlfError` holds across them), and `lib/cli/bundle_info.ts` records the
 * checkout it was built from (what `kmlf new` maps for editors).
 */
import { cp } from "node:fs/promises";
import { join, posix, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleLock } from "./bundle_lock.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const COMPUTED_URL = /new URL\(\s*"(\.{1,2}\/[^"]*)",\s*import\.meta\.url\s*\)/g;
const MARKER = /"@@kmlf:([^"@]*)@@"/g;
// A dynamic import of another output file, as deno bundle writes one for each code-split `import()`.
const LITERAL_IMPORT = /\bimport\("(\.{1,2}\/[^"]+\.js)"\)/g;
const BUNDLE_INFO = "lib/cli/bundle_info.ts";
// Generated modules holding other files' text (the demo template, the UI): their strings are left alone.
const EMBEDDED_TEXT = ["lib/cli/templates/iris_files.ts", "lib/server/ui/ui_assets.ts"];
const BUNDLE_INFO_LINE = "export const BUNDLED_FROM: string | undefined = undefined;";
// The files a bundle is built from besides lib/.
const SOURCE_ROOT_FILES = ["cli.ts", "mod.ts", "deno.json", "deno.lock"];
const BUILD_ID_LINE = "export const BUILD_ID: string | undefined = undefined;";

/** What a build wrote. */
export interface BundleBuild {
  outDir: string;
  /** Entry points, relative to the repository (`cli.ts`, `mod.ts`, every computed-URL target). */
  entries: string[];
  files: number;
}

/**
 * Replaces each computed `new URL("./…", import.meta.url)` of a module by a marker naming its target
 * relative to the repository (a folder keeps its trailing `/`), and lists the targets.
 *
 * @example
 * ```ts
 * markComputedUrls('import(new URL("./a.ts", import.meta.url).href)', "lib/cli/main.ts");
 * // { text: 'import(new URL("@@kmlf:lib/cli/a.ts@@", import.meta.url).href)', targets: ["lib/cli/a.ts"] }
 * ```
 */
export function markComputedUrls(text: string, file: string): { text: string; targets: string[] } {
  const targets: string[] = [];
  const marked = text.replace(COMPUTED_URL, (_match, rel: string) => {
    // Bundle-relative paths are URL paths: posix on every platform.
    const path = posix.normalize(posix.join(posix.dirname(file), rel)).replace(/\/$/, "");
    if (path.startsWith("..")) throw new Error(`${file}: ${rel} points outside kmlf's folder`);
    const target = rel.endsWith("/") ? (path === "." ? "" : `${path}/`) : path;
    targets.push(target);
    return `new URL("@@kmlf:${target}@@", import.meta.url)`;
  });
  const rest = marked.split("\n").findIndex((line) => /import\.meta\.(?!main\b)/.test(stripMarkers(line)));
  if (rest >= 0) {
    throw new Error(
      `${file}:${
        rest + 1
      }: import.meta used in a way the bundle cannot keep; use new URL("./…", import.meta.url)`,
    );
  }
  return { text: marked, targets };
}

/**
 * Replaces the markers in one output file by paths relative to it: a module's output (`.ts` → `.js`), or
 * the bundle's root for a folder (every chunk lives under it).
 *
 * @example
 * ```ts
 * resolveMarkers('new URL("@@kmlf:lib/cli/a.ts@@", import.meta.url)', "chunk-X.js"); // '…"./lib/cli/a.js"…'
 * ```
 */
export function resolveMarkers(text: string, outputFile: string): string {
  return text.replace(MARKER, (_match, target: string) => {
    const isDir = target === "" || target.endsWith("/");
    const dest = isDir ? "." : target.replace(/\.ts$/, ".js");
    let path = posix.relative(posix.dirname(outputFile), dest) || ".";
    if (!path.startsWith(".")) path = `./${path}`;
    return JSON.stringify(isDir ? `${path}/` : path);
  });
}

/**
 * Turns each dynamic import of another bundle file that deno bundle wrote as a literal (`import("./x.js")`)
 * into a computed URL, as kmlf's own lazy imports are. Deno reads every module a literal `import()` names
 * when it loads the importer, whether the import runs or not: `catalog list` read the Excel reader (986
 * KB), the SQLite and S3 clients and the conf archive reader this way (bench/README.md). `known` are the
 * output files; a literal naming another file fails the build.
 *
 * @example
 * ```ts
 * deferDynamicImports('await import("./xlsx-A.js")', "chunk-X.js", new Set(["xlsx-A.js"]));
 * // 'await import(new URL("./xlsx-A.js", import.meta.url).href)'
 * ```
 */
export function deferDynamicImports(text: string, outputFile: string, known: ReadonlySet<string>): string {
  return text.replace(LITERAL_IMPORT, (_match, rel: string) => {
    const target = posix.normalize(posix.join(posix.dirname(outputFile), rel));
    if (!known.has(target)) {
      throw new Error(`${outputFile} imports ${rel}, which the bundle does not hold (${target})`);
    }
    return `import(new URL(${JSON.stringify(rel)}, import.meta.url).href)`;
  });
}

/**
 * Builds the bundle of the checkout `repo` into `outDir` (replaced when the build succeeds).
 *
 * @example
 * ```ts
 * const { entries } = await buildBundle(REPO, join(REPO, "dist/bundle"));
 * ```
 */
export async function buildBundle(repo: string, outDir: string): Promise<BundleBuild> {
  const src = await Deno.makeTempDir({ prefix: "kmlf-bundle-src-" });
  const staging = `${outDir}.new-${Deno.pid}`;
  try {
    await copySources(repo, src);
    const entries = new Set(["cli.ts", "mod.ts"]);
    const buildId = await sourceFingerprint(src);
    for (const file of (await sourceFiles(src)).sort()) {
      const text = await Deno.readTextFile(join(src, file));
      const { text: marked, targets } = markComputedUrls(text, file);
      for (const t of targets) if (t.endsWith(".ts")) entries.add(t);
      if (marked !== text) await Deno.writeTextFile(join(src, file), marked);
    }
    await stampBundleInfo(src, repo, buildId);
    const config = JSON.parse(await Deno.readTextFile(join(src, "deno.json")));
    config.imports.kmlf = "./mod.js";
    await Deno.writeTextFile(join(src, "deno.json"), JSON.stringify(config, null, 2));
    await denoBundle(src, staging, [...entries]);
    const outputs = await bundleFiles(staging);
    const known = new Set(outputs);
    for (const file of outputs) {
      if (!file.endsWith(".js")) continue;
      const text = await Deno.readTextFile(join(staging, file));
      const resolved = deferDynamicImports(resolveMarkers(text, file), file, known);
      if (resolved !== text) await Deno.writeTextFile(join(staging, file), resolved);
    }
    for (const entry of entries) {
      const output = entry.replace(/\.ts$/, ".js");
      if (!(await Deno.stat(join(staging, output)).then(() => true, () => false))) {
        throw new Error(
          `deno bundle wrote no ${output} for the entry point ${entry}, which kmlf loads by URL`,
        );
      }
    }
    await Deno.writeTextFile(
      join(staging, "deno.json"),
      JSON.stringify({ imports: config.imports }, null, 2),
    );
    const lock = bundleLock(JSON.parse(await Deno.readTextFile(join(repo, "deno.lock"))), config.imports);
    await Deno.writeTextFile(join(staging, "deno.lock"), JSON.stringify(lock, null, 2) + "\n");
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
    await Deno.rename(staging, outDir);
    return { outDir, entries: [...entries].sort(), files: outputs.length + 2 };
  } finally {
    await Deno.remove(src, { recursive: true }).catch(() => {});
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

async function copySources(repo: string, dest: string): Promise<void> {
  for (const name of SOURCE_ROOT_FILES) {
    await Deno.copyFile(join(repo, name), join(dest, name));
  }
  await cp(join(repo, "lib"), join(dest, "lib"), { recursive: true });
}

// The checkout the bundle comes from, and a fingerprint of its sources (the validation cache's key).
async function stampBundleInfo(src: string, repo: string, buildId: string): Promise<void> {
  const path = join(src, BUNDLE_INFO);
  const text = await Deno.readTextFile(path);
  for (const line of [BUNDLE_INFO_LINE, BUILD_ID_LINE]) {
    if (!text.includes(line)) throw new Error(`${BUNDLE_INFO} no longer holds "${line}"`);
  }
  const from = pathToFileURL(join(repo, "/")).href.replace(/\/?$/, "/");
  await Deno.writeTextFile(
    path,
    text.replace(BUNDLE_INFO_LINE, `export const BUNDLED_FROM: string | undefined = ${JSON.stringify(from)};`)
      .replace(BUILD_ID_LINE, `export const BUILD_ID: string | undefined = ${JSON.stringify(buildId)};`),
  );
}

/**
 * The fingerprint a bundle is stamped with (`BUILD_ID`, which keys the validation cache): a SHA-256 of every
 * file the bundle is built from (`cli.ts`, `mod.ts`, `deno.json`, `deno.lock` and each file under `lib/`,
 * whatever its kind: the vendored zod that validates and the YAML parser are `.js`), by path and bytes. Two
 * checkouts that differ in any of them are two builds.
 *
 * @example
 * ```ts
 * await sourceFingerprint(REPO); // "3f1c…" (64 hex digits)
 * ```
 */
export async function sourceFingerprint(dir: string): Promise<string> {
  const files = [...SOURCE_ROOT_FILES, ...(await bundleFiles(join(dir, "lib"))).map((f) => `lib/${f}`)]
    .sort();
  const hash = new Uint8Array(32 * files.length);
  await Promise.all(files.map(async (file, i) => {
    const bytes = await Deno.readFile(join(dir, file));
    const name = new TextEncoder().encode(`${file}\0`);
    const named = new Uint8Array(name.length + bytes.length);
    named.set(name);
    named.set(bytes, name.length);
    hash.set(new Uint8Array(await crypto.subtle.digest("SHA-256", named)), 32 * i);
  }));
  return hex(await crypto.subtle.digest("SHA-256", hash));
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function denoBundle(src: string, outDir: string, entries: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--config",
      join(src, "deno.json"),
      "--code-splitting",
      "--platform",
      "deno",
      "--outdir",
      outDir,
      ...entries.map((e) => join(src, e)),
    ],
    cwd: src,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(out.stderr)}`);
}

// TypeScript modules of the copy (kmlf's lib/ and its two entry points), relative to `src`.
async function sourceFiles(src: string): Promise<string[]> {
  return ["cli.ts", "mod.ts", ...(await bundleFiles(join(src, "lib"))).map((f) => `lib/${f}`)]
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !EMBEDDED_TEXT.includes(f));
}

/**
 * Every file under `dir`, as `/`-separated paths relative to it (a bundle's outputs, a source folder).
 *
 * @example
 * ```ts
 * await bundleFiles("dist/bundle"); // ["cli.js", "chunk-…js", "lib/cli/main.js", …]
 * ```
 */
export async function bundleFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) files.push(...await bundleFiles(join(dir, entry.name), rel));
    else files.push(rel);
  }
  return files;
}

/**
 * The `deno run` arguments after the flags that run the bundle in `dir`: its config, then its entry.
 *
 * @example
 * ```ts
 * ["run", ...KMLF_RUN_FLAGS, ...bundleRunArgs("dist/bundle"), "--version"];
 * ```
 */
export function bundleRunArgs(dir: string): string[] {
  return ["--config", join(dir, "deno.json"), join(dir, "cli.js")];
}

function stripMarkers(line: string): string {
  return line.replace(/new URL\("@@kmlf:[^"]*@@", import\.meta\.url\)/g, "");
}

if (import.meta.main) {
  const outDir = resolve(Deno.args[0] ?? join(REPO, "dist", "bundle"));
  const started = performance.now();
  try {
    const build = await buildBundle(REPO, outDir);
    const ms = Math.round(performance.now() - started);
    console.log(
      `✔ Bundled kmlf into ${relative(Deno.cwd(), outDir) || "."}: ${build.files} files (${ms} ms)`,
    );
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
