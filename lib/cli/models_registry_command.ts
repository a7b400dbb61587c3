/**
 * `kmlf models register` and `kmlf models alias`: the two registry writes of MLflow's promotion loop
 * (`mlflow.register_model(model_uri, name)` and `MlflowClient.set_registered_model_alias`) from the shell,
 * against the project's tracking store (mlflow.yml, else `MLFLOW_TRACKING_URI`, else `mlflow.db`). The
 * rest of the registry is in the web UI (Models page) and the REST API.
 */
import { TrackingError, UsageError } from "../errors.ts";
import type { ModelsUri, ModelUri, TrackingStore } from "../tracking/mod.ts";
import { servableModelNameProblem } from "../mlflow_conventions.ts";
import { EXIT } from "./exit_codes.ts";
import { refuseMissingStore, storeLocation } from "./cli_store.ts";
import { err, out, shellQuote, style } from "./terminal.ts";
import { maskUriCredentials } from "../uri_credentials.ts";

/** Options of `kmlf models register`. */
export interface RegisterOptions {
  modelUri: string;
  name: string;
  /** `key=value` pairs. */
  tag?: string[];
  description?: string;
  env?: string;
  project?: string;
}

/** Options of `kmlf models alias`. */
export interface AliasOptions {
  name: string;
  alias: string;
  /** A version number, or `latest`. */
  version?: string;
  delete?: boolean;
  env?: string;
  project?: string;
}

async function withRegistry<T>(
  options: { env?: string; project?: string; name?: string },
  fn: (store: TrackingStore) => Promise<T>,
): Promise<T> {
  const [where, { openStore, parseTrackingUri }] = await Promise.all([
    storeLocation(options),
    import("../tracking/mod.ts"),
  ]);
  // A registry write names a run or a model the store must hold: opening a missing store would create an
  // empty one (a stray mlflow.db where a project or MLFLOW_TRACKING_URI was meant) only to fail in it.
  refuseMissingStore(parseTrackingUri(where.uri, where), where.source);
  const store = await openStore(where.uri, { baseDir: where.baseDir });
  try {
    return await fn(store);
  } catch (error) {
    throw await explainMissing(error, store, options.name);
  } finally {
    await store.close();
  }
}

/**
 * Registers the model at `--model-uri` as the next version of `--name` (created if new); prints
 * `models:/<name>/<version>` on stdout.
 *
 * @example
 * ```ts
 * await modelsRegister({ modelUri: "runs:/0a1b…/model", name: "iris" });
 * ```
 */
export async function modelsRegister(options: RegisterOptions): Promise<number> {
  const tracking = await import("../tracking/mod.ts");
  const { parseModelUri, registerModel } = tracking;
  const tags = parseTags(options.tag ?? [], tracking);
  const parsed = parseModelUri(options.modelUri, { baseDir: Deno.cwd() });
  if (parsed.kind === "local") {
    throw new UsageError(
      "cli/register-local-model",
      `Cannot register ${options.modelUri}: a registered version points at a model in the tracking store`,
      {
        hint: "register a logged model: runs:/<run_id>/model (printed by kmlf run after “Model logged:”)",
      },
    );
  }
  checkServableName(options.name);
  const version = await withRegistry(options, async (store) => {
    await checkHoldsModel(store, parsed, options.modelUri);
    return await registerModel(store, options.modelUri, options.name, {
      tags,
      description: options.description,
    });
  });
  err(
    `Registered ${style.bold(`"${version.name}" version ${version.version}`)} from ${options.modelUri}` +
      ` (serve it: kmlf models serve -m ${shellQuote(`models:/${version.name}/${version.version}`)})`,
  );
  out(`models:/${version.name}/${version.version}`);
  return EXIT.ok;
}

/**
 * Points `alias` of the registered model `name` at `version` (a number or `latest`), or removes it with
 * `--delete` (MLflow's `set_registered_model_alias(name, alias, version)`).
 *
 * @example
 * ```ts
 * await modelsAlias({ name: "iris", alias: "champion", version: "2" });
 * ```
 */
export async function modelsAlias(options: AliasOptions): Promise<number> {
  if (Boolean(options.delete) === (options.version !== undefined)) {
    throw new UsageError(
      "cli/alias-needs-version",
      options.delete
        ? `Cannot both remove alias "${options.alias}" and point it at version ${options.version}`
        : `Missing the version: which version of "${options.name}" should "${options.alias}" point at?`,
      {
        hint: `kmlf models alias ${options.name} ${options.alias} 2 (a version number, or latest), ` +
          `or kmlf models alias ${options.name} ${options.alias} --delete`,
      },
    );
  }
  await checkAliasArguments(options);
  await withRegistry(options, async (store) => {
    if (options.delete) {
      // MLflow's delete succeeds for an alias that is not set: say so rather than "removed".
      const before = await store.registry.getRegisteredModel(options.name);
      await store.registry.deleteRegisteredModelAlias(options.name, options.alias);
      err(
        options.alias in before.aliases
          ? `Alias "${options.alias}" of "${options.name}" removed (it pointed at version ${
            before.aliases[options.alias]
          })`
          : `"${options.name}" has no alias "${options.alias}": nothing to remove` +
            aliasList(before.aliases),
      );
      return;
    }
    const version = await versionNumber(store, options.name, options.version!);
    const before = await store.registry.getModelVersionByAlias(options.name, options.alias).catch(() =>
      undefined
    );
    await store.registry.setRegisteredModelAlias(options.name, options.alias, version);
    err(
      `models:/${options.name}@${options.alias} → version ${version}` +
        (before && before.version !== version ? ` (was version ${before.version})` : ""),
    );
  });
  return EXIT.ok;
}

// The alias and version arguments, checked before the store is opened: the registry's own words name
// neither the argument nor the fix.
async function checkAliasArguments(options: AliasOptions): Promise<void> {
  const { validateAliasName } = await import("../tracking/mod.ts");
  try {
    validateAliasName(options.alias);
  } catch (error) {
    if (!(error instanceof TrackingError)) throw error;
    throw new UsageError(
      "cli/bad-alias",
      `Cannot use alias ${JSON.stringify(options.alias)}: ${error.message}`,
      {
        hint: `an alias takes letters, digits, _ and - and is neither latest nor v<number>: ` +
          `kmlf models alias ${shellQuote(options.name)} champion 2`,
      },
    );
  }
  const command = `${shellQuote(options.name)} ${shellQuote(options.alias)}`;
  const version = options.version?.trim();
  if (version === undefined || version.toLowerCase() === "latest" || /^\d+$/.test(version)) return;
  throw new UsageError(
    "cli/bad-version",
    `Cannot point alias "${options.alias}" at version ${JSON.stringify(options.version)}: ` +
      "a version is a whole number (1, 2, …)",
    { hint: `kmlf models alias ${command} 2, or latest for the newest version` },
  );
}

function aliasList(aliases: Record<string, string>): string {
  const set = Object.entries(aliases).map(([alias, v]) => `${alias} → ${v}`);
  return set.length ? ` (its aliases: ${set.join(", ")})` : "";
}

// MLflow's SQLite registry takes any name, but one with `/ : % @` (or a control character, or a padding
// space) can never be served as models:/<name>/<version>: refuse it, as log_model.registered_model_name is.
function checkServableName(name: string): void {
  const problem = servableModelNameProblem(name);
  if (problem === undefined) return;
  throw new UsageError(
    "cli/bad-model-name",
    `Cannot register a model named ${JSON.stringify(name)}: ${problem}`,
    {
      hint: name !== name.trim()
        ? `a stray space in the shell's quoting? --name ${JSON.stringify(name.trim() || "iris")}`
        : "--name takes letters, digits, spaces, . _ - (e.g. --name iris-classifier); no / : % @",
    },
  );
}

// A version is a pointer to a logged model: pointing one at a folder without an MLmodel file (a typo in
// the artifact path) registers something no one can serve, so look first.
async function checkHoldsModel(store: TrackingStore, parsed: ModelUri, uri: string): Promise<void> {
  if (parsed.kind === "mlflow-artifacts" && store.kind !== "rest") {
    throw new UsageError(
      "cli/register-no-model",
      `Cannot register ${uri} with the store ${maskUriCredentials(store.uri)}`,
      {
        hint: "mlflow-artifacts:/ URIs are served by a tracking server (MLFLOW_TRACKING_URI=http://…); " +
          "register the run's model instead: runs:/<run_id>/model",
      },
    );
  }
  if (parsed.kind === "models") return await checkVersionHoldsModel(store, parsed, uri);
  if (parsed.kind !== "runs") return;
  const run = await store.getRun(parsed.runId);
  const repo = store.getArtifactRepository(run.info.artifactUri);
  const path = parsed.path.replace(/^\/+|\/+$/g, "");
  // A missing path lists as empty; any other failure (an unreachable server) is reported as itself.
  const files = await repo.listArtifacts(path);
  if (files.some((f) => !f.isDir && f.path.split("/").at(-1) === "MLmodel")) return;
  const models = await modelFolders(repo);
  throw new UsageError(
    "cli/register-no-model",
    `Cannot register ${uri}: run ${parsed.runId} has no model at "${path}" (no MLmodel file there)`,
    {
      hint: models.length
        ? `the run's models: ${models.map((m) => `runs:/${parsed.runId}/${m}`).join(", ")}`
        : "this run logged no model: kmlf run logs one for a training pipeline with an inference: section",
    },
  );
}

// A models:/ source registers where that version's files are: a version whose files are gone (its run's
// artifacts deleted) would be copied into a new version no one can load.
async function checkVersionHoldsModel(store: TrackingStore, parsed: ModelsUri, uri: string): Promise<void> {
  const { versionOfModelUri } = await import("../tracking/mod.ts");
  let version, location, files;
  try {
    version = await versionOfModelUri(store.registry, parsed);
    location = await store.registry.getModelVersionDownloadUri(version.name, version.version);
    files = await store.getArtifactRepository(location).listArtifacts();
  } catch {
    // No such version (the registry refuses the source in MLflow's words), or a location kmlf cannot list.
    return;
  }
  if (files.some((f) => !f.isDir && f.path.split("/").at(-1) === "MLmodel")) return;
  throw new UsageError(
    "cli/register-no-model",
    `Cannot register ${uri}: the files of "${version.name}" version ${version.version} are gone from ` +
      `${maskUriCredentials(location)} (no MLmodel file there)`,
    { hint: `register the model from a run that has it: kmlf models register -m runs:/<run_id>/model` },
  );
}

// Top-level artifact folders of a run that hold an MLmodel file.
async function modelFolders(repo: ReturnType<TrackingStore["getArtifactRepository"]>): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await repo.listArtifacts().catch(() => [])).filter((f) => f.isDir).slice(0, 50)) {
    const inside = await repo.listArtifacts(entry.path).catch(() => []);
    if (inside.some((f) => !f.isDir && f.path.split("/").at(-1) === "MLmodel")) found.push(entry.path);
  }
  return found;
}

// `latest` is the newest version, as in models:/<name>/latest; a number is the registry's spelling of it
// ("01" is version 1), so the message and the "was version" check compare versions, not what was typed.
async function versionNumber(
  store: TrackingStore,
  name: string,
  version: string,
): Promise<string> {
  if (version.trim().toLowerCase() !== "latest") {
    return (await store.registry.getModelVersion(name, version.trim())).version;
  }
  const { parseModelUri, versionOfModelUri } = await import("../tracking/mod.ts");
  const ref = parseModelUri(`models:/${name}/latest`) as ModelsUri;
  return (await versionOfModelUri(store.registry, ref)).version;
}

// MLflow's "not found" names the thing but not where kmlf looked or what is there: add both.
async function explainMissing(error: unknown, store: TrackingStore, name?: string): Promise<unknown> {
  if (!(error instanceof TrackingError) || error.code !== "RESOURCE_DOES_NOT_EXIST" || error.hint) {
    return error;
  }
  const where = maskUriCredentials(store.uri);
  let hint = `kmlf looked in ${where} (mlflow.yml server.mlflow_tracking_uri, else MLFLOW_TRACKING_URI)`;
  if (/^Run /.test(error.message)) {
    hint += "; copy the run id from the “Model logged: runs:/…” line of kmlf run";
  } else {
    // The model the command names (MLflow's message, name=<name>, cannot be cut at a "," or ")" the name
    // itself holds); else the one the message names: name=<name>, or 'name' for "has no versions".
    const named = error.message.match(/name=([^,)]+)/)?.[1] ?? error.message.match(/model '(.+)'/)?.[1];
    const model = name !== undefined && error.message.includes(name) ? name : named;
    const found = model ? await store.registry.getRegisteredModel(model).catch(() => undefined) : undefined;
    if (found) {
      const versions = found.latestVersions.map((v) => v.version).sort((a, b) => Number(a) - Number(b));
      hint += versions.length
        ? `; "${found.name}" has versions up to ${versions.at(-1)}`
        : `; "${found.name}" has no versions yet: kmlf models register -m runs:/<run_id>/model -n ${found.name}`;
    } else {
      const { registeredModels } = await store.registry.searchRegisteredModels({ maxResults: 20 })
        .catch(() => ({ registeredModels: [] }));
      hint += registeredModels.length
        ? `; registered models: ${registeredModels.map((m) => m.name).join(", ")}`
        : "; no model is registered there yet: kmlf models register -m runs:/<run_id>/model -n <name>";
    }
  }
  return new TrackingError(error.code, error.message, { cause: error, hint });
}

// Each --tag is checked by the registry's own rules before anything is written, and refused with a message
// that names the flag and the key and quotes a long value shortened (MLflow's would quote 250 characters).
function parseTags(
  pairs: string[],
  rules: Pick<typeof import("../tracking/mod.ts"), "REGISTRY_LIMITS" | "validateModelVersionTag">,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new UsageError("cli/bad-tag", `--tag ${shortText(pair)} is not key=value`, {
        hint: "e.g. --tag stage=candidate (repeat --tag for more)",
      });
    }
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const { tagKeyLength, tagValueLength } = rules.REGISTRY_LIMITS;
    const refuse = (problem: string, hint: string) =>
      new UsageError("cli/bad-tag", `--tag ${shortText(key)}: ${problem}`, { hint });
    if (key.length > tagKeyLength) {
      throw refuse(
        `the key has ${key.length} characters, more than the registry's limit of ${tagKeyLength}`,
        "use a short key (e.g. --tag source=…)",
      );
    }
    if (value.length > tagValueLength) {
      throw refuse(
        `the value ${shortText(value)} has ${value.length} characters, more than the registry's limit of ` +
          tagValueLength,
        "keep a tag short; put long text in --description or in a run artifact",
      );
    }
    try {
      rules.validateModelVersionTag(key, value);
    } catch (error) {
      if (!(error instanceof TrackingError)) throw error;
      throw refuse(
        `the registry refuses it: ${error.message}`,
        error.hint ?? "a tag key takes letters, digits, spaces and _ - . : / (e.g. --tag stage=candidate)",
      );
    }
    tags[key] = value;
  }
  return tags;
}

// A user's value in a message: quoted, and cut to its first 40 and last 10 characters when long.
function shortText(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 40)}…${text.slice(-10)}` : text);
}
