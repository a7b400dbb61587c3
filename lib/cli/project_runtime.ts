/**
 * Running kmlf inside a project's own Deno configuration. A project's node modules, datasets, hooks
 * and plugins may import npm packages of their own (mapped in the project's deno.json) and `"kmlf"`;
 * those dependencies belong in the project's lockfile, never in kmlf's. So for a command that loads
 * project code, kmlf starts itself again (one more Deno start, 30–50 ms) with the project's deno.json
 * and lockfile and an import map that joins the project's imports with kmlf's own (scoped to kmlf's
 * folder, so a project pinning another version of a package kmlf uses does not change kmlf).
 *
 * Not done in a compiled binary (it carries its own import map), for kmlf's own repository (the demo
 * project), or with `KMLF_PROJECT_RUNTIME=off`.
 *
 * @module
 */
import kmlfConfig from "../../deno.json" with { type: "json" };
import { BUNDLED_FROM } from "./bundle_info.ts";
import { readDenoConfig, withPackageSubpaths } from "../deno_config_file.ts";
import { markStarted, STARTED_ENV, startMarker, startRefusal } from "./project_runtime_startup.ts";
import { fileURLToPath, pathToFileURL, resolve } from "../path.ts";
import { isRecord } from "../is_record.ts";
import { asksForHelp, commandOf } from "./launch_argv.ts";

/**
 * The Deno flags every kmlf process runs with (the `kmlf`/`demo`/`compile` tasks, `deno task install`, a
 * restart in the project). V8 flags: a 1 MB young generation (a run peaks ~11 MB lower than with V8's
 * default for +1 ms of scavenges; the servers' throughput measured the same) and `--no-lazy`, which compiles
 * every function when its module compiles, so Deno's code cache holds them all and the next run
 * deserializes what it would otherwise compile on first call (the tracked demo ~35 ms faster from the
 * bundle, ~20 from the sources), and `--no-sparkplug`: V8's baseline compiler turns each function called a
 * few times into machine code (~600 functions, ~740 KB estimated, in a tracked run), work a command of a
 * tenth of a second never earns back; hot code still reaches Maglev and TurboFan (−4 to −7 ms CPU per
 * command, the servers' throughput and a compute-heavy node the same; bench/README.md).
 */
export const KMLF_RUN_FLAGS = [
  "--allow-all",
  "--v8-flags=--max-semi-space-size=1,--no-lazy,--no-sparkplug",
] as const;

/**
 * Commands that never load project code, so they run where they are (`cli.ts` skips this module for them
 * when they come first, and keeps a copy of the list).
 *
 * @example
 * ```ts
 * PLAIN_COMMANDS.has("server"); // true
 * ```
 */
export const PLAIN_COMMANDS: ReadonlySet<string> = new Set([
  "new",
  "server",
  "completion",
  "help",
  "pipeline",
]);

/** The project import map is written here, below the project root (`.kmlf/` is git-ignored). */
export const PROJECT_IMPORT_MAP = ".kmlf/import_map.json";

/**
 * kmlf's source folder as a file URL ending in `/`, or undefined in a compiled binary (whose files
 * are not on disk).
 *
 * @example
 * ```ts
 * kmlfRoot()?.href; // "file:///home/me/kmlf/"
 * ```
 */
export function kmlfRoot(): URL | undefined {
  return isCompiledBinary() ? undefined : new URL("../../", import.meta.url);
}

/**
 * kmlf's source checkout as a file URL ending in `/`: what a project maps `"kmlf"` to for editors and
 * `deno check` (`kmlf new` writes it). The same as {@link kmlfRoot} unless kmlf runs from its bundle
 * (then the checkout the bundle was built from); undefined in a compiled binary.
 *
 * @example
 * ```ts
 * new URL("mod.ts", kmlfSourceRoot()).href; // "file:///home/me/kmlf/mod.ts"
 * ```
 */
export function kmlfSourceRoot(): URL | undefined {
  const root = kmlfRoot();
  return root && BUNDLED_FROM ? new URL(BUNDLED_FROM) : root;
}

/**
 * Whether this process is a `deno compile`d kmlf rather than `deno run` of the sources.
 *
 * @example
 * ```ts
 * if (isCompiledBinary()) console.log("single binary");
 * ```
 */
export function isCompiledBinary(): boolean {
  return !/^deno(\.exe)?$/.test(Deno.execPath().split(/[\\/]/).pop() ?? "");
}

/**
 * kmlf's own import map entries (npm packages, and `"kmlf"` → mod.ts as an absolute URL).
 *
 * @example
 * ```ts
 * kmlfImports()["js-yaml"]; // "npm:js-yaml@4.1.0"
 * ```
 */
export function kmlfImports(root: URL | undefined = kmlfRoot()): Record<string, string> {
  const imports: Record<string, string> = {};
  for (const [name, target] of Object.entries(kmlfConfig.imports as Record<string, string>)) {
    if (!/^\.{1,2}\//.test(target)) imports[name] = target;
    else if (root) imports[name] = new URL(target, root).href;
  }
  return imports;
}

/** How to start kmlf again inside the project, or why not. */
export type RelaunchPlan =
  | { relaunch: false; notes?: string[] }
  | {
    relaunch: true;
    root: string;
    args: string[];
    importMap: Record<string, unknown>;
    /** The project's deno.json (or deno.jsonc). */
    configPath: string;
    /** Where `args` expect the import map (`.kmlf/import_map.json` in the project). */
    importMapPath: string;
    notes: string[];
  };

/**
 * Decides whether `kmlf <argv>` run from `cwd` should restart inside the project's configuration, and
 * with which Deno arguments. Reads only small files; never throws for a broken project (the command
 * itself then reports it).
 *
 * @example
 * ```ts
 * const plan = relaunchPlan(["run", "training"], { cwd: "/p", env: {} });
 * ```
 */
export function relaunchPlan(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): RelaunchPlan {
  const root = kmlfRoot();
  const marker = options.env.KMLF_PROJECT_RUNTIME;
  if (!root || marker === "off") return { relaunch: false };
  const { command, project } = commandOf(argv);
  if (
    command === undefined || PLAIN_COMMANDS.has(command) || asksForHelp(argv)
  ) {
    return { relaunch: false };
  }
  const projectRoot = findProjectRoot(project ? resolve(options.cwd, project) : options.cwd);
  if (!projectRoot || marker === projectRoot) return { relaunch: false };
  const sources = kmlfSourceRoot() ?? root;
  if (
    toDirUrl(realPath(projectRoot)).href === toDirUrl(realPath(fileURLToPath(sources))).href
  ) {
    return { relaunch: false };
  }
  const configPath = ["deno.json", "deno.jsonc"].map((f) => `${projectRoot}/${f}`).find(isFile);
  // Without a deno.json of its own, the project can only use what kmlf provides: no restart needed.
  if (!configPath) return { relaunch: false };
  const notes: string[] = [];
  const config = readDenoConfig(configPath, notes);
  // deno.json may keep its map in a separate file ("importMap"); paths there are relative to that file.
  const mapFile = typeof config.importMap === "string" ? resolve(projectRoot, config.importMap) : undefined;
  const importMap = mapFile
    ? projectImportMap(readDenoConfig(mapFile, notes), { projectRoot: dirOf(mapFile), kmlfRoot: root })
    : projectImportMap(config, { projectRoot, kmlfRoot: root, subpaths: true });
  const mapped = (config.imports as Record<string, unknown> | undefined)?.kmlf;
  const expected = new URL("mod.ts", sources).href;
  if (typeof mapped === "string" && new URL(mapped, toDirUrl(projectRoot)).href !== expected) {
    notes.push(
      `note: deno.json maps "kmlf" to ${mapped}, but kmlf runs from ${expected}; runs use the latter, ` +
        `editors and \`deno check\` the former (set imports.kmlf in deno.json to ${expected})`,
    );
  }
  // A project that maps nothing beyond kmlf's own packages (what `kmlf new` writes) runs as it is: one
  // Deno start, not two.
  if (!mapFile && providedByKmlf(config, sources)) return { relaunch: false, notes };
  const importMapPath = `${projectRoot}/${PROJECT_IMPORT_MAP}`;
  const args = [
    "run",
    ...KMLF_RUN_FLAGS,
    "--config",
    configPath,
    "--import-map",
    importMapPath,
    new URL(BUNDLED_FROM ? "cli.js" : "cli.ts", root).href,
    ...argv,
  ];
  return { relaunch: true, root: projectRoot, args, configPath, importMap, importMapPath, notes };
}

/**
 * Whether everything the project's deno.json maps is what kmlf maps too (`"kmlf"` aside): then kmlf's own
 * configuration resolves the project's imports exactly as the project's would.
 *
 * @example
 * ```ts
 * providedByKmlf({ imports: { kmlf: "../kmlf/mod.ts", zod: "npm:zod@4.6.7" } }, kmlfRoot()!); // true
 * ```
 */
export function providedByKmlf(config: Record<string, unknown>, root: URL): boolean {
  if (config.importMap !== undefined) return false;
  const own = kmlfImports(root);
  const same = (map: unknown) =>
    Object.entries(isRecord(map) ? map : {}).every(([name, target]) =>
      name === "kmlf" || own[name] === target
    );
  // `kmlf new` also scopes kmlf's folder to kmlf's packages, for editors: that changes nothing here.
  const scopes = Object.entries(isRecord(config.scopes) ? config.scopes : {});
  return same(config.imports) && scopes.every(([scope, map]) => scope === root.href && same(map));
}

/**
 * The import map a project runs with: its own imports and scopes (paths made absolute), kmlf's
 * packages where the project does not map them, `"kmlf"` → the running kmlf, and kmlf's own imports
 * scoped to kmlf's folder.
 *
 * @example
 * ```ts
 * projectImportMap({ imports: { lodash: "npm:lodash@4" } }, { projectRoot: "/p", kmlfRoot: new URL("file:///k/") });
 * ```
 */
export function projectImportMap(
  config: { imports?: unknown; scopes?: unknown },
  options: { projectRoot: string; kmlfRoot: URL; subpaths?: boolean },
): { imports: Record<string, string>; scopes: Record<string, Record<string, string>> } {
  const base = toDirUrl(options.projectRoot);
  const absolute = (map: unknown) =>
    Object.fromEntries(
      Object.entries(isRecord(map) ? map : {}).filter(([, v]) => typeof v === "string").map((
        [k, v],
      ) => [k, /^\.{0,2}\//.test(v as string) ? new URL(v as string, base).href : v as string]),
    );
  // Both maps are deno.json's (unless the project's is an import map file): Deno maps a package's subpaths
  // (`"zod/v4"`) from its entry, which the --import-map a relaunch runs with would not do by itself.
  const ownImports = kmlfImports(options.kmlfRoot);
  const own = withPackageSubpaths(ownImports);
  const projectImports = absolute(config.imports);
  const scopes: Record<string, Record<string, string>> = {};
  for (const [scope, map] of Object.entries(isRecord(config.scopes) ? config.scopes : {})) {
    scopes[new URL(scope, base).href] = absolute(map);
  }
  scopes[options.kmlfRoot.href] = own;
  const project = options.subpaths ? withPackageSubpaths(projectImports) : projectImports;
  const imports: Record<string, string> = { ...own, ...project };
  // A package the project maps itself has no subpaths from kmlf's version of it.
  for (const key of Object.keys(own)) {
    const name = key.slice(0, -1);
    if (!Object.hasOwn(ownImports, key) && Object.hasOwn(project, name) && !Object.hasOwn(project, key)) {
      delete imports[key];
    }
  }
  return { imports: { ...imports, kmlf: own.kmlf }, scopes };
}

/**
 * Runs kmlf again inside the project (see the module doc) and returns its exit code, or undefined when
 * this process should run the command itself. Signals reach the child once; its exit code is ours.
 *
 * @example
 * ```ts
 * const code = await relaunchInProject(Deno.args);
 * if (code !== undefined) Deno.exit(code);
 * ```
 */
export async function relaunchInProject(argv: readonly string[]): Promise<number | undefined> {
  markStarted();
  const plan = relaunchPlan(argv, { cwd: Deno.cwd(), env: Deno.env.toObject() });
  for (const note of plan.notes ?? []) console.error(note);
  if (!plan.relaunch) return undefined;
  const map = JSON.stringify(plan.importMap, null, 2) + "\n";
  let args = plan.args;
  let temp: string | undefined;
  try {
    writeIfChanged(plan.importMapPath, map);
  } catch {
    // A project folder kmlf may not write to (a read-only checkout): the map goes to a temp file.
    temp = Deno.makeTempFileSync({ prefix: "kmlf-import-map-", suffix: ".json" });
    Deno.writeTextFileSync(temp, map);
    args = args.map((a) => (a === plan.importMapPath ? temp! : a));
  }
  const marker = startMarker();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: {
      KMLF_PROJECT_RUNTIME: plan.root,
      [PARENT_ENV]: String(Deno.pid),
      ...(marker ? { [STARTED_ENV]: marker } : {}),
      // Deno's own refusals (a frozen deno.lock, a package it cannot fetch) print a Rust backtrace under
      // RUST_BACKTRACE=1: noise to a kmlf user, who gets kmlf's error naming the fix instead.
      RUST_BACKTRACE: "0",
    },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
    // Its own process group: a Ctrl-C reaches this process only, which passes it on exactly once.
    detached: true,
  }).spawn();
  const status = await statusForwardingSignals(child);
  if (temp) Deno.removeSync(temp);
  const refused = startRefusal(marker, status, { root: plan.root, configPath: plan.configPath });
  if (!refused) return status.code;
  const { reportError } = await import("./exit_codes.ts");
  return await reportError(refused, { debug: false, root: plan.root });
}

/**
 * The exit status of a kmlf this process started in its own process group (`detached`), passing on every
 * interrupting signal this process gets meanwhile (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT) exactly once.
 *
 * @example
 * ```ts
 * const status = await statusForwardingSignals(new Deno.Command(Deno.execPath(), { detached: true }).spawn());
 * ```
 */
export async function statusForwardingSignals(child: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
  const forward = signals.map((s) => [s, () => forwardSignal(child, s)] as const);
  for (const [s, fn] of forward) Deno.addSignalListener(s, fn);
  try {
    return await child.status;
  } finally {
    for (const [s, fn] of forward) Deno.removeSignalListener(s, fn);
  }
}

// To the child's whole process group (it leads it), as a terminal's Ctrl-C reaches a kmlf that was not
// restarted: the group holds the signal watchdog of a run at a terminal (session/signal_watchdog.ts), which
// must get the signal too when a node holds the child's main thread.
function forwardSignal(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    if (Deno.build.os === "windows") child.kill(signal);
    else Deno.kill(-child.pid, signal);
  } catch { /* the child ended meanwhile */ }
}

/** The restarted kmlf learns its launcher's pid here, to end when the launcher is gone. */
export const PARENT_ENV = "KMLF_PROJECT_RUNTIME_PARENT";

/**
 * In a kmlf restarted inside its project: when the launching kmlf disappears (killed with SIGKILL, which
 * it cannot pass on), end as if interrupted (SIGTERM: a tracked run ends KILLED) instead of running on
 * unseen. Checks twice a second, without keeping the process alive.
 *
 * @example
 * ```ts
 * watchLauncher();
 * ```
 */
export function watchLauncher(): void {
  const parent = Number(Deno.env.get(PARENT_ENV));
  if (!Number.isInteger(parent) || parent <= 0 || Deno.build.os !== "linux") return;
  const timer = setInterval(() => {
    try {
      Deno.statSync(`/proc/${parent}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return clearInterval(timer); // cannot tell: stop looking
      clearInterval(timer);
      Deno.kill(Deno.pid, "SIGTERM");
    }
  }, 500);
  Deno.unrefTimer(timer);
}

// As lib/config/project_root.ts walks: from the folder `start` names, symbolic links resolved. A copy on
// purpose: lib/config is imported through its mod.ts (tests/layers.ts), which would load the whole folder
// before every command's project check.
function findProjectRoot(start: string): string | undefined {
  let dir = realPath(start).replace(/\/+$/, "") || "/";
  for (;;) {
    if (isFile(`${dir}/kmlf.yml`)) return dir;
    const parent = dir.slice(0, dir.lastIndexOf("/")) || "/";
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function writeIfChanged(path: string, content: string): void {
  try {
    if (Deno.readTextFileSync(path) === content) return;
  } catch { /* missing: write it */ }
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  // Written beside, then renamed: a concurrent kmlf in the same project never reads half a file.
  const temp = `${path}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(temp, content);
  Deno.renameSync(temp, path);
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

// A folder's file: URL, escaped as Node escapes it (a `%` or `#` in a folder name stays part of the name).
function toDirUrl(path: string): URL {
  return pathToFileURL(path.endsWith("/") ? path : `${path}/`);
}

function realPath(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path;
  }
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
