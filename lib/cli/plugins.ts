/** The plugins a kmlf binary ships with, registered through the same mechanism as any plugin. */
import type { Plugin } from "../plugin.ts";
import { mlflowPlugin } from "../mlflow/plugin.ts";
import { KMLF_VERSION } from "../version.ts";

/**
 * Built-in plugins, in registration order: the kedro-mlflow layer. The tracking engine is imported only
 * when a run is actually tracked, so untracked commands stay light.
 *
 * @example
 * ```ts
 * const plugins = builtinPlugins({ notify: (m) => console.error(m) });
 * ```
 */
export function builtinPlugins(options: { notify?(message: string): void } = {}): Plugin[] {
  return [
    mlflowPlugin({
      kmlfVersion: KMLF_VERSION,
      notify: options.notify,
      // The inference-pipeline flavor of the model datasets; lib/models is imported only when one uses it.
      flavors: { kmlf: async () => (await import("../models/mod.ts")).kmlfFlavor },
      async openClient(trackingUri, projectRoot, options) {
        const { MlflowClient } = await trackingClient();
        return await MlflowClient.open(trackingUri, { baseDir: projectRoot, headers: options?.headers });
      },
    }),
  ];
}

// The client alone, not the tracking barrel (which also loads the file, REST and S3 stores and the search
// grammar): by a computed URL, which Deno does not read with this module (the bundle makes it an entry point).
const trackingClient = (): Promise<typeof import("../tracking/client/client.ts")> =>
  import(new URL("../tracking/client/client.ts", import.meta.url).href);
