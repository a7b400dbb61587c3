/** The context every dataset of a catalog is built with: where its config was written, credentials, versions. */
import { clonePlain } from "../plain_copy.ts";
import { isSafeVersion } from "./catalog_checks.ts";
import type { CatalogConfig, CatalogOptions } from "./catalog_options.ts";
import type { EntryContext } from "./entry.ts";
import type { DatasetRegistry } from "./registry.ts";

/**
 * The {@link EntryContext} of a catalog built from `config` with `options`: its own copies of the
 * credentials (Kedro deep-copies them too), locations from the config, and each dataset's versions (the
 * safe `--load-versions` pins, and `saveVersion` when it is a safe version).
 *
 * @example
 * ```ts
 * const ctx = catalogEntryContext(config, { projectRoot: "/p" }, { registry, saveVersion: runId });
 * ```
 */
export function catalogEntryContext(
  config: CatalogConfig,
  options: CatalogOptions,
  catalog: { registry: DatasetRegistry; saveVersion: string | undefined },
): EntryContext {
  // Unsafe versions are reported once by fromConfig, not again by every dataset using them.
  const loadVersions = Object.fromEntries(
    Object.entries(options.loadVersions ?? {}).filter(([, v]) => isSafeVersion(v)),
  );
  const save = catalog.saveVersion !== undefined && isSafeVersion(catalog.saveVersion)
    ? catalog.saveVersion
    : undefined;
  return {
    projectRoot: options.projectRoot,
    registry: catalog.registry,
    // The catalog's own copies: the caller changing its config afterwards changes no dataset the catalog
    // builds later, nor the arguments of those it built.
    credentials: clonePlain(options.credentials?.data ?? {}),
    locateCredentials: (path) => options.credentials?.locate(path),
    locateCredentialsKey: (path) =>
      options.credentials?.locateKey?.(path) ?? options.credentials?.locate(path),
    locate: (path) => config.locate(path),
    locateKey: (path) => config.locateKey?.(path) ?? config.locate(path),
    replacedBase: (name) => config.replacedBase?.(name),
    versionFor: (name) => ({ load: loadVersions[name], save }),
  };
}
