/**
 * `deno task install`: puts a `kmlf` command on PATH with `deno install -g` of this checkout's CLI, with
 * kmlf's config and the permissions and V8 flags it runs with. Works wherever Deno runs (no download
 * host needed, unlike `deno task compile`). It installs the bundle (`deno task bundle`, built first into
 * dist/bundle/), which starts faster; `--sources` installs cli.ts itself, so edits take effect at once.
 *
 *   deno task install [--root DIR] [--sources]   install (default root: $DENO_INSTALL_ROOT or ~/.deno)
 *   deno task install --uninstall [--root DIR]   remove it again
 *
 * The command deno writes runs `deno` from PATH. When PATH has no Deno of this version (say, Deno came
 * through `npx deno@…`), this Deno is linked (or copied) next to `kmlf` and the command points at it.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KMLF_RUN_FLAGS } from "../lib/cli/project_runtime.ts";
import { buildBundle, bundleRunArgs } from "./build_bundle.ts";

// A path, not a URL's text: a checkout in a folder with a space or a non-ASCII name installs too.
const REPO = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
/** Marks a `deno` this script placed next to `kmlf`, so uninstall removes only what it added. */
const OWN_DENO_MARKER = ".kmlf-deno";
/** Where `deno task install` builds the bundle it installs. */
export const BUNDLE_DIR = join(REPO, "dist", "bundle");

/** Parsed arguments. */
export interface InstallArgs {
  root?: string;
  uninstall: boolean;
  /** Install cli.ts instead of the bundle. */
  sources?: boolean;
}

/**
 * Parses `--root DIR`, `--root=DIR`, `--sources` and `--uninstall`.
 *
 * @example
 * ```ts
 * parseInstallArgs(["--root", "/tmp/r"]); // { root: "/tmp/r", uninstall: false }
 * ```
 */
export function parseInstallArgs(args: readonly string[]): InstallArgs {
  const parsed: InstallArgs = { uninstall: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--uninstall") parsed.uninstall = true;
    else if (a === "--sources") parsed.sources = true;
    else if (a === "--root" && args[i + 1]) parsed.root = resolve(args[++i]);
    else if (a.startsWith("--root=")) parsed.root = resolve(a.slice("--root=".length));
    else throw new Error(`Unknown argument "${a}": use --root DIR, --sources and/or --uninstall`);
  }
  return parsed;
}

/**
 * The bin folder `deno install -g` writes to.
 *
 * @example
 * ```ts
 * binDir(undefined); // "/home/me/.deno/bin"
 * ```
 */
export function binDir(root: string | undefined): string {
  const base = root ?? Deno.env.get("DENO_INSTALL_ROOT") ?? join(Deno.env.get("HOME") ?? "~", ".deno");
  return join(base, "bin");
}

/**
 * The `deno install -g` arguments for kmlf.
 *
 * @example
 * ```ts
 * installCommand({ uninstall: false, root: "/tmp/r" }); // ["install", "-g", "-f", "-n", "kmlf", "--root", "/tmp/r", …]
 * ```
 */
export function installCommand(args: InstallArgs): string[] {
  return [
    "install",
    "-g",
    "-f",
    "-n",
    "kmlf",
    ...(args.root ? ["--root", args.root] : []),
    ...KMLF_RUN_FLAGS,
    ...(args.sources
      ? ["--config", join(REPO, "deno.json"), join(REPO, "cli.ts")]
      : bundleRunArgs(BUNDLE_DIR)),
  ];
}

async function run(args: string[]): Promise<void> {
  const status = await new Deno.Command(Deno.execPath(), { args, stdout: "inherit", stderr: "inherit" })
    .spawn()
    .status;
  if (!status.success) throw new Error(`deno ${args.join(" ")} failed (exit ${status.code})`);
}

// `deno` on PATH, if it is this version and stays there: npx puts its package folders on PATH only
// while it runs a command, so a Deno found there is gone from the user's shell afterwards.
async function denoOnPath(): Promise<string | undefined> {
  const lasting = (dir: string) => !/node_modules\/\.bin|\/_npx\//.test(dir);
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean).filter(lasting)) {
    const candidate = join(dir, "deno");
    if (!(await Deno.stat(candidate).then((s) => s.isFile, () => false))) continue;
    const out = await new Deno.Command(candidate, { args: ["--version"], stdout: "piped", stderr: "null" })
      .output().catch(() => undefined);
    const version = out && new TextDecoder().decode(out.stdout).match(/^deno (\S+)/)?.[1];
    return version === Deno.version.deno ? candidate : undefined;
  }
  return undefined;
}

// Makes the kmlf command independent of PATH: this Deno next to it, and the command pointing at it.
async function pinDeno(bin: string): Promise<string> {
  const target = join(bin, "deno");
  const marker = join(bin, OWN_DENO_MARKER);
  const existing = await Deno.stat(target).then(() => true, () => false);
  if (!existing || await Deno.stat(marker).then(() => true, () => false)) {
    await Deno.remove(target).catch(() => {});
    await Deno.link(Deno.execPath(), target).catch(() => Deno.copyFile(Deno.execPath(), target));
    await Deno.chmod(target, 0o755);
    await Deno.writeTextFile(marker, `${Deno.version.deno}\n`);
  }
  const shim = join(bin, "kmlf");
  const text = await Deno.readTextFile(shim);
  await Deno.writeTextFile(shim, text.replace(/^exec deno /m, `exec '${target}' `));
  return target;
}

async function install(args: InstallArgs): Promise<void> {
  if (!args.sources) await buildBundle(REPO, BUNDLE_DIR);
  const command = installCommand(args);
  await run(command);
  const bin = binDir(args.root);
  const pinned = (await denoOnPath()) ? undefined : await pinDeno(bin);
  console.log(`✔ Installed kmlf ${join(bin, "kmlf")} (runs ${command.at(-1)})`);
  if (!args.sources) {
    console.log("  it runs the bundle: after pulling or editing kmlf, run deno task install again");
  }
  if (pinned) console.log(`  Deno ${Deno.version.deno} is not on PATH: kmlf uses ${pinned}`);
  const onPath = (Deno.env.get("PATH") ?? "").split(":").some((p) => resolve(p) === resolve(bin));
  if (!onPath) console.log(`  add it to PATH: export PATH="${bin}:$PATH"`);
  console.log(`  uninstall: deno task install --uninstall${args.root ? ` --root ${args.root}` : ""}`);
}

async function uninstall(args: InstallArgs): Promise<void> {
  await run(["uninstall", "-g", ...(args.root ? ["--root", args.root] : []), "kmlf"]);
  const bin = binDir(args.root);
  const marker = join(bin, OWN_DENO_MARKER);
  if (await Deno.stat(marker).then(() => true, () => false)) {
    await Deno.remove(join(bin, "deno")).catch(() => {});
    await Deno.remove(marker);
    console.log(`  removed the Deno it had placed in ${bin}`);
  }
}

if (import.meta.main) {
  try {
    const args = parseInstallArgs(Deno.args);
    await (args.uninstall ? uninstall(args) : install(args));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
