/** The kedro-mlflow layer as a kmlf plugin: dataset types, the `km.random_name` resolver, the tracking hook. */
import { ConfigError, didYouMeanHint, formatLocation, KmlfError } from "../errors.ts";
import { mlrunsLeftBehindNote } from "./mlruns_left_behind.ts";
import type { Plugin, PluginContext } from "../plugin.ts";
import { registerMlflowDatasets } from "./datasets/register.ts";
import type { FlavorProvider } from "./flavors/resolve_flavor.ts";
import type { HeaderFunction } from "./header_provider.ts";
import type { MlflowConfig } from "./mlflow_config.ts";
import type { TrackingUriOrigin } from "./tracking_uri_rules.ts";
import { randomRunName } from "../mlflow_conventions.ts";
import { MlflowRunState } from "./run_state.ts";
import type { TrackingPort } from "./tracking_port.ts";

/** What the plugin needs from its host (the CLI wires the tracking client in). */
export interface MlflowPluginOptions {
  kmlfVersion: string;
  /** Opens a client for a resolved tracking URI. */
  openClient(
    trackingUri: string,
    projectRoot: string,
    options?: { headers?: HeaderFunction },
  ): Promise<TrackingPort>;
  /** Human-readable notes: run started, tracking off, renamed params. */
  notify?(message: string): void;
  /** Model flavors the host provides besides js_value (the CLI adds kmlf, which lives in lib/models). */
  flavors?: Record<string, FlavorProvider>;
}

/**
 * Creates the plugin (one per session).
 *
 * @example
 * ```ts
 * const plugin = mlflowPlugin({ kmlfVersion: "0.1.0", openClient: (uri, root) => openTrackingClient(uri, root) });
 * await KmlfSession.create({ projectRoot, plugins: [plugin] });
 * ```
 */
export function mlflowPlugin(options: MlflowPluginOptions): Plugin & { state: MlflowRunState } {
  const state = new MlflowRunState();
  state.notify = options.notify;
  return {
    name: "kmlf-mlflow",
    state,
    resolvers: { "km.random_name": () => randomRunName() },
    registerDatasets(registry, context) {
      registerMlflowDatasets(registry, state, { flavors: options.flavors });
      // Outside a tracked run (a script's session.catalog()), datasets with a run_id use mlflow.yml's store,
      // set up as kedro-mlflow sets it up when the context is created: its credentials exported.
      if (context) {
        state.openStore = async () => {
          const store = await configuredStore(context, options);
          for (const [key, value] of Object.entries(store?.credentials ?? {})) {
            Deno.env.set(key, String(value));
          }
          return await store?.open();
        };
      }
    },
    // Without the hook no run starts: Mlflow datasets then only do their local I/O, as for
    // pipelines in disable_tracking.pipelines.
    hooksDisabled() {
      state.disableLogging("tracking is off: kmlf.yml disable_hooks_for_plugins names kmlf-mlflow");
      options.notify?.(
        "Tracking is off: kmlf.yml disable_hooks_for_plugins names kmlf-mlflow (Mlflow datasets only save locally)",
      );
    },
    async hooks(context) {
      const store = await configuredStore(context, options);
      if (!store) {
        options.notify?.(
          "Tracking is off: no mlflow.yml in conf/. Run `kmlf mlflow init --env=base` to track runs.",
        );
        // "Without mlflow.yml nothing is tracked": during a run the Mlflow datasets only do their local I/O,
        // as under disable_hooks_for_plugins, so the example's metric datasets do not fail an untracked run.
        // Outside a run (a script's catalog) a dataset's run_id still needs a store, and says so.
        return {
          beforePipelineRun() {
            state.disableLogging(
              "tracking is off for the project: there is no mlflow.yml (`kmlf mlflow init --env=base` turns it on)",
            );
          },
          onPipelineError() {
            state.loggingEnabled = true;
          },
          afterPipelineRun({ pipeline }) {
            state.loggingEnabled = true;
            const spec = pipeline.ml?.spec;
            if (!spec) return;
            options.notify?.(
              `Model "${spec.logModel.name}" (inference pipeline "${spec.ref}") not logged: tracking is off (no mlflow.yml)`,
            );
          },
        };
      }
      for (const note of unknownDisabledPipelines(store.config, context)) options.notify?.(note);
      const envUri = Deno.env.get("MLFLOW_TRACKING_URI") || undefined;
      const leftBehind = mlrunsLeftBehindNote(store.config, envUri, context.projectRoot);
      if (leftBehind) options.notify?.(leftBehind);
      // The artifact and metric dataset types load alongside (most tracked catalogs use them).
      const { trackingHooks } = await trackedLayer();
      return trackingHooks({
        config: store.config,
        state,
        projectRoot: context.projectRoot,
        kmlfVersion: options.kmlfVersion,
        credentials: store.credentials,
        notify: options.notify,
        openClient: store.open,
        trackingUri: store.uri,
      });
    },
  };
}

/**
 * kedro-mlflow matches `disable_tracking.pipelines` against the run's pipeline names and says nothing of a
 * name no pipeline has: a typo there silently tracks the run. One warning per unknown name, with its place.
 */
function unknownDisabledPipelines(config: MlflowConfig, context: PluginContext): string[] {
  const listed = config.tracking.disablePipelines;
  if (listed.length === 0 || !context.pipelineNames) return [];
  let known: string[];
  try {
    known = context.pipelineNames();
  } catch {
    return []; // no pipelines folder: the run itself reports it
  }
  return listed.flatMap((name, i) => {
    if (known.includes(name)) return [];
    const at = formatLocation(
      config.locate(["tracking", "disable_tracking", "pipelines", i]),
      context.projectRoot,
    );
    const guess = didYouMeanHint(name, known);
    return [
      `Warning: mlflow.yml disable_tracking.pipelines names "${name}", which is not a registered pipeline: ` +
      `it disables nothing; ${guess || `pipelines: ${known.join(", ")}`}` + (at ? `\n  at ${at}` : ""),
    ];
  });
}

/** The store mlflow.yml configures: its config, credentials, URI and an opener; undefined without mlflow.yml. */
async function configuredStore(context: PluginContext, options: MlflowPluginOptions) {
  const loaded = await context.loadConfig("mlflow");
  if (loaded.files.length === 0) return undefined;
  const {
    checkRegistryUri,
    checkTrackingTarget,
    loadHeaderProvider,
    readMlflowConfig,
    resolveTrackingUri,
    trackingUriOrigin,
  } = await trackedLayer();
  const config = await readMlflowConfig(loaded, {
    projectName: context.projectName,
    projectRoot: context.projectRoot,
  });
  let credentials: Record<string, unknown> | undefined;
  if (config.server.credentials) {
    const all = await context.loadCredentials();
    const entry = all[config.server.credentials];
    if (!entry || typeof entry !== "object") {
      throw new ConfigError(
        "mlflow/unknown-credentials",
        `mlflow.yml server.credentials names "${config.server.credentials}", which is not a mapping in credentials.yml`,
        {
          source: config.locate(["server", "credentials"]),
          hint: Object.keys(all).length
            ? `defined credentials: ${Object.keys(all).join(", ")}`
            : "add it to conf/local/credentials.yml",
        },
      );
    }
    credentials = entry as Record<string, unknown>;
  }
  const envUri = Deno.env.get("MLFLOW_TRACKING_URI");
  const uri = resolveTrackingUri(config.server.trackingUri, { projectRoot: context.projectRoot, envUri });
  const origin = trackingUriOrigin(config, envUri);
  checkTrackingTarget(uri, origin);
  checkRegistryUri(config, uri, context.projectRoot);
  const headers = await loadHeaderProvider(config, { projectRoot: context.projectRoot, env: context.env });
  const open = async (): Promise<TrackingPort> => {
    try {
      return await options.openClient(uri, context.projectRoot, { headers });
    } catch (error) {
      throw storeOpenError(error, origin);
    }
  };
  return { config, credentials, uri, open };
}

// mlflow.yml's schema, the header provider, the tracking hook (run setup, logging, model logging: ~20 modules)
// and the run dataset types load when a project has an mlflow.yml, not with the plugin every command
// registers; by a computed URL, which Deno does not read with this module (the bundle makes it an entry point).
const trackedLayer = (): Promise<typeof import("./tracked_layer.ts")> =>
  import(new URL("./tracked_layer.ts", import.meta.url).href);

// A store that cannot be opened because of the URI (its scheme, its file) is a configuration error: say
// which setting gave the URI, and where it is written.
const URI_PROBLEMS = new Set([
  "tracking/unsupported-uri",
  "tracking/cannot-open-database",
  "tracking/not-a-database",
  "tracking/is-a-directory",
  "tracking/not-a-directory",
]);

function storeOpenError(error: unknown, origin: TrackingUriOrigin): unknown {
  if (!(error instanceof KmlfError) || !URI_PROBLEMS.has(error.code)) return error;
  return new ConfigError(error.code, `${error.message} (tracking URI from ${origin.what})`, {
    source: origin.source ?? error.source,
    hint: error.hint,
    cause: error.cause,
  });
}
