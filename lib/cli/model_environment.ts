/**
 * The environment a logged model predicts in: `kmlf models predict|serve` give the model's code the
 * packages its `code/deno.json` pins, as `mlflow models serve` restores a model's Python environment
 * (`--env-manager virtualenv`, its default). Deno resolves a module's bare imports (`"zod"`) with the
 * running process's configuration only — never with a deno.json beside the module, and a running process
 * cannot change its import map — so when this process does not give the model what it pins (a package it
 * does not map, another version), kmlf starts itself once more with an import map that scopes the model's
 * `code/` folder to its pins (kmlf's own imports everywhere else, `"kmlf"` the running kmlf) and
 * `--no-lock`, so Deno fetches the pinned versions without writing them into kmlf's or the project's
 * deno.lock. `--env-manager local` (or `--no-conda`) keeps this process, as MLflow's does.
 *
 * A compiled kmlf carries its own import map and packages and has no Deno to start: it predicts in
 * itself, with a note naming what it cannot restore. Loaded only when a model needs another environment.
 *
 * @module
 */
import { BUNDLED_FROM } from "./bundle_info.ts";
import {
  isCompiledBinary,
  KMLF_RUN_FLAGS,
  kmlfImports,
  kmlfRoot,
  PARENT_ENV,
  statusForwardingSignals,
} from "./project_runtime.ts";
import { withPackageSubpaths } from "../deno_config_file.ts";
import { realPathOrUndefined } from "../fs_utils.ts";
import { fileURLToPath, join, pathToFileURL } from "../path.ts";
import { err, style } from "./terminal.ts";
import { LOCATED_MODEL_ENV, type LocatedModel, locatedModelValue } from "./located_model.ts";

/**
 * The import map a model's own environment runs with: kmlf's imports, and the model's pins for the modules
 * under its `code/` folder (by the path given and by its real path, as Deno may name it either way).
 *
 * @example
 * ```ts
 * modelImportMap("/tmp/model", { zod: "npm:zod@3.23.8" }, new URL("file:///k/"));
 * // { imports: {…kmlf's}, scopes: { "file:///tmp/model/code/": { zod: "npm:zod@3.23.8", "zod/": …, kmlf: … } } }
 * ```
 */
export function modelImportMap(
  dir: string,
  pins: Readonly<Record<string, string>>,
  root: URL,
): { imports: Record<string, string>; scopes: Record<string, Record<string, string>> } {
  const own = withPackageSubpaths(kmlfImports(root));
  const scope = { ...withPackageSubpaths(pins), kmlf: own.kmlf };
  const scopes: Record<string, Record<string, string>> = {};
  for (const folder of new Set([dir, realPathOrUndefined(dir) ?? dir])) {
    scopes[dirUrl(join(folder, "code"))] = scope;
  }
  return { imports: own, scopes };
}

/**
 * Runs this kmlf command again in the model's environment (see the module doc) and returns its exit code;
 * or, in a compiled kmlf, says what it cannot restore and returns undefined (the caller predicts here).
 * `argv` is the command line as given; `--env-manager` and `--no-conda` are replaced by
 * `--env-manager local`. `located` is the model's folder this process found: the new process loads it
 * rather than resolving the URI again. `stdin` is input this process already read (`kmlf models predict`
 * from stdin).
 *
 * @example
 * ```ts
 * const code = await runInModelEnvironment(Deno.args, { dir, origin }, pins, ["argparse"]);
 * ```
 */
export async function runInModelEnvironment(
  argv: readonly string[],
  located: LocatedModel,
  pins: Readonly<Record<string, string>>,
  unmet: readonly string[],
  stdin?: Uint8Array,
): Promise<number | undefined> {
  const { dir } = located;
  const root = kmlfRoot();
  if (!root || isCompiledBinary()) {
    err(style.yellow(
      `Note: the model pins ${unmet.map((n) => `${n} as ${pins[n]}`).join(", ")} (code/deno.json), which ` +
        "this compiled kmlf does not carry: it predicts with its own packages (--env-manager local); run " +
        "kmlf from its sources or an installed bundle to restore the model's packages",
    ));
    return undefined;
  }
  const map = Deno.makeTempFileSync({ prefix: "kmlf-model-import-map-", suffix: ".json" });
  try {
    Deno.writeTextFileSync(map, JSON.stringify(modelImportMap(dir, pins, root), null, 2) + "\n");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...KMLF_RUN_FLAGS,
        "--no-lock",
        "--config",
        fileURLToPath(new URL("deno.json", root)),
        "--import-map",
        map,
        new URL(BUNDLED_FROM ? "cli.js" : "cli.ts", root).href,
        ...localArgv(argv),
      ],
      // The model's environment is the import map: no second restart inside the project's configuration.
      // It ends when this process is gone (cli.ts' watchLauncher), as a kmlf restarted in its project does.
      env: {
        KMLF_PROJECT_RUNTIME: "off",
        [PARENT_ENV]: String(Deno.pid),
        [LOCATED_MODEL_ENV]: locatedModelValue(located),
        RUST_BACKTRACE: "0",
      },
      stdin: stdin ? "piped" : "inherit",
      stdout: "inherit",
      stderr: "inherit",
      // Its own process group: a Ctrl-C reaches this process only, which passes it on exactly once.
      detached: true,
    }).spawn();
    if (stdin) {
      const writer = child.stdin.getWriter();
      await writer.write(stdin).catch(() => {}); // a child that ended early says why itself
      await writer.close().catch(() => {});
    }
    return (await statusForwardingSignals(child)).code;
  } finally {
    Deno.removeSync(map);
  }
}

/**
 * `argv` with the environment flags replaced by `--env-manager local`, stdin named as `-` when read.
 *
 * @example
 * ```ts
 * localArgv(["models", "predict", "-m", "m", "--env-manager", "conda"]);
 * // ["models", "predict", "-m", "m", "--env-manager", "local"]
 * ```
 */
export function localArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === "--env-manager") i++;
    else if (arg !== "--no-conda" && !arg.startsWith("--env-manager=")) out.push(arg);
  }
  const end = out.indexOf("--");
  out.splice(end < 0 ? out.length : end, 0, "--env-manager", "local");
  return out;
}

function dirUrl(path: string): string {
  return pathToFileURL(path.endsWith("/") ? path : `${path}/`).href;
}
