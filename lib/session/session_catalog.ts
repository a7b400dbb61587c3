/** The catalog a session builds: from catalog config, credentials and parameters. */
import type { CatalogConfig, DatasetRegistry, ParameterSources } from "../catalog/mod.ts";
// The catalog's modules, not its barrel: that loads every dataset type's code, which a run loads on use.
import { Catalog } from "../catalog/catalog.ts";
import type { ConfigLoader, LoadedConfig } from "../config/mod.ts";
import { isAbsolute, relative } from "../path.ts";

/** Options of {@link buildSessionCatalog}. */
export interface SessionCatalogOptions {
  loadVersions?: Record<string, string>;
  registry?: DatasetRegistry;
  used?: Iterable<string>;
  /** Build each factory pattern once too (`CatalogOptions.checkPatterns`: `kmlf catalog validate`). */
  checkPatterns?: boolean;
}

/** What of the session a catalog is built from. */
export interface SessionCatalogScope {
  config: ConfigLoader;
  projectRoot: string;
  /** How the caller gives runtime params (`--params`; undefined: a script's `runtimeParams`), for hints. */
  runtimeParamsFlag?: string;
  saveVersion: string;
  registry: () => DatasetRegistry;
}

/**
 * The catalog from catalog config, credentials and parameters, and those configs (this catalog's copies).
 *
 * @example
 * ```ts
 * const { catalog } = await buildSessionCatalog(scope, { used: ["features"] });
 * ```
 */
export async function buildSessionCatalog(
  scope: SessionCatalogScope,
  options: SessionCatalogOptions,
): Promise<
  { catalog: Catalog; conf: LoadedConfig; creds: LoadedConfig; params: LoadedConfig }
> {
  const [conf, creds, params] = await Promise.all([
    scope.config.get("catalog"),
    scope.config.get("credentials"),
    scope.config.get("parameters"),
  ]);
  const catalog = await Catalog.fromConfig(asCatalogConfig(conf, scope.projectRoot), {
    projectRoot: scope.projectRoot,
    credentials: asCatalogConfig(creds),
    loadVersions: options.loadVersions ?? {},
    saveVersion: scope.saveVersion,
    registry: options.registry ?? scope.registry(),
    used: options.used,
    checkPatterns: options.checkPatterns,
  });
  catalog.addParameters(params.data, parameterSources(params, scope));
  return { catalog, conf, creds, params };
}

// A config file as hints show it: relative to the project when inside it.
function shownFile(file: string, root: string): string {
  const rel = relative(root, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

// The parameter files as hints show them.
function parameterSources(params: LoadedConfig, scope: SessionCatalogScope): ParameterSources {
  const shown = (file: string) => shownFile(file, scope.projectRoot);
  return {
    files: params.files.map(shown),
    fileOf: (key) => {
      const file = params.locate([key])?.file;
      return file === undefined ? undefined : shown(file);
    },
    newFile: params.newFile === undefined ? undefined : shown(params.newFile),
    missing: params.missing,
    ...(scope.runtimeParamsFlag ? { runtimeParamsFlag: scope.runtimeParamsFlag } : {}),
  };
}

function asCatalogConfig(conf: LoadedConfig, root?: string): CatalogConfig {
  return {
    files: root === undefined ? undefined : conf.files.map((file) => shownFile(file, root)),
    data: conf.data,
    locate: (path) => conf.locate(path),
    locateKey: (path) => conf.locateKey?.(path) ?? conf.locate(path),
    replacedBase: (n) => conf.replacedBase?.(n),
  };
}
