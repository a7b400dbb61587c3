/**
 * `server.request_header_provider`: kedro-mlflow's hook for custom auth headers (e.g. expiring
 * OAuth tokens), as a TypeScript class in the user's project. `type: "./auth.ts#TokenProvider"` names
 * a module (relative to the project root) and an exported class; it is constructed with `init_kwargs`
 * (and, with `pass_context: true`, a second argument `{projectPath, env}`), and its
 * `requestHeaders()` is called before every request to an MLflow server, so tokens can refresh.
 *
 * @module
 */
import { pathToFileURL, resolve } from "../path.ts";
import { explainFailedImport } from "../failed_import.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { MlflowConfig } from "./mlflow_config.ts";

/** What a provider class must implement (MLflow's `RequestHeaderProvider`). */
export interface RequestHeaderProvider {
  /** Headers for the next request. */
  requestHeaders(): Record<string, string> | Promise<Record<string, string>>;
  /** Optional: false switches the provider off (MLflow's `in_context`). */
  inContext?(): boolean;
}

/** A function returning the headers of each request. */
export type HeaderFunction = () => Promise<Record<string, string>>;

/**
 * Loads the configured provider; undefined when `type` is null.
 *
 * @example
 * ```ts
 * const headers = await loadHeaderProvider(config, { projectRoot: "/p", env: "local" });
 * ```
 */
export async function loadHeaderProvider(
  config: MlflowConfig,
  context: { projectRoot: string; env: string },
): Promise<HeaderFunction | undefined> {
  const { type, passContext, initKwargs } = config.server.requestHeaderProvider;
  if (!type) return undefined;
  const source: SourceLocation | undefined = config.locate(["server", "request_header_provider", "type"]);
  const [modulePath, exportName] = type.split("#");
  const file = resolve(context.projectRoot, modulePath);
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    const failure = await explainFailedImport(error, {
      module: file,
      missingHint: "the path is relative to the project root, e.g. ./src/auth.ts#TokenProvider",
    });
    throw new ConfigError(
      "mlflow/header-provider-import",
      `Cannot import request_header_provider module ${modulePath}: ${failure.reason}`,
      { source, hint: failure.hint, cause: failure.cause, userCode: failure.userCode },
    );
  }
  const Provider = module[exportName];
  if (typeof Provider !== "function" || typeof Provider.prototype?.requestHeaders !== "function") {
    throw new ConfigError(
      "mlflow/header-provider-type",
      `request_header_provider.type='${type}' should be a class with a requestHeaders() method`,
      {
        source,
        hint: Object.keys(module).length
          ? `${modulePath} exports: ${Object.keys(module).join(", ")}`
          : `export a class from ${modulePath}: export class ${exportName} { requestHeaders() { return { Authorization: "Bearer …" }; } }`,
      },
    );
  }
  const provider = new (Provider as new (...args: unknown[]) => RequestHeaderProvider)(
    initKwargs,
    ...(passContext ? [{ projectPath: context.projectRoot, env: context.env }] : []),
  );
  return async () => {
    if (provider.inContext && !provider.inContext()) return {};
    const headers = await provider.requestHeaders();
    if (headers === null || typeof headers !== "object") {
      throw new ConfigError(
        "mlflow/header-provider-result",
        `${type}.requestHeaders() returned ${JSON.stringify(headers)}, not an object of header strings`,
        { source, hint: 'return e.g. { Authorization: "Bearer <token>" }' },
      );
    }
    return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
  };
}
