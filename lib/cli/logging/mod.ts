/**
 * Kedro's logging configuration (`conf/logging.yml`, `$KEDRO_LOGGING_CONFIG`) for `kmlf run`: loaded only
 * when a project has one.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import type { Plugin } from "../../plugin.ts";
import type { Catalog } from "../../catalog/mod.ts";
import { statIfAny } from "../../fs_utils.ts";
import { readYamlFile } from "../../yaml/parse_yaml.ts";
import { LEVEL, type LoggingConfigFile, type RunLog } from "../run_log.ts";
import { err, style } from "../terminal.ts";
import { checkLoggingConfig } from "./dict_config.ts";
import { openHandlers, type TerminalOptions } from "./handlers.ts";
import { LoggerTree } from "./logger_tree.ts";
import { captureNodeConsole } from "./node_console.ts";

/** What a configured run logs through. */
export interface ConfiguredRunLog {
  log: RunLog;
  /** Logs Kedro's "Loading data from …" / "Saving data to …" lines through dataset hooks. */
  plugin: Plugin;
}

/**
 * Reads and checks the configuration, opens its log files and logs Kedro's "Using '<file>' as logging
 * configuration" line; every problem is a located `logging/...` error before anything is written.
 *
 * @example
 * ```ts
 * const { log, plugin } = await configureRunLog(file, { cwd: Deno.cwd(), quiet: false, json: false });
 * ```
 */
export async function configureRunLog(
  file: LoggingConfigFile,
  options: TerminalOptions & { cwd: string },
): Promise<ConfiguredRunLog> {
  if (file.fromEnv && !statIfAny(file.path)?.isFile) {
    throw new ConfigError(
      "logging/missing-config",
      `Cannot read the logging configuration KEDRO_LOGGING_CONFIG names: ${file.path} is not a file`,
      {
        source: { file: file.path },
        hint:
          "point KEDRO_LOGGING_CONFIG at a logging.yml, or unset it to use conf/logging.yml or kmlf's output",
      },
    );
  }
  const src = await readYamlFile(file.path);
  const spec = checkLoggingConfig(src, options.cwd);
  const handlers = openHandlers(spec, src, options);
  const tree = new LoggerTree(spec, handlers, options);
  const log: RunLog = {
    log: (record) => tree.handle({ ...record, created: Date.now() }),
    close() {
      for (const h of handlers.values()) h.close();
    },
    captureNodeConsole(project) {
      tree.setProjectLogging(project.name);
      return captureNodeConsole(
        (record) => tree.handle({ ...record, created: Date.now() }),
        project,
        options,
      );
    },
  };
  const message = `Using '${file.shown}' as logging configuration. You can change this by setting the ` +
    "KEDRO_LOGGING_CONFIG environment variable accordingly.";
  log.log({
    logger: "kedro.framework.project",
    level: LEVEL.INFO,
    message,
    terminal: { stream: "err", text: style.dim(message) },
    funcName: "__init__",
  });
  // kmlf's own word on what it leaves out of the configuration reaches the terminal even where the
  // configuration sends nothing there (only a file, only the dropped handler, kedro's logger disabled).
  for (const note of spec.notes) {
    const text = `Note: ${note}`;
    const shown = tree.handle({
      logger: "kedro.framework.project",
      level: LEVEL.WARNING,
      message: note,
      terminal: { stream: "err", text },
      quietToo: true,
      funcName: "__init__",
      created: Date.now(),
    });
    if (!shown) err(style.yellow(text));
  }
  return { log, plugin: datasetLines(log) };
}

function datasetLines(log: RunLog): Plugin {
  return {
    name: "kmlf-logging",
    hooks() {
      let catalog: Catalog | undefined;
      const line = (verb: string, name: string, funcName: string) =>
        log.log({
          logger: "kedro.io.data_catalog",
          level: LEVEL.INFO,
          message: `${verb} ${name} (${catalog?.typeName(name) ?? "MemoryDataset"})...`,
          funcName,
        });
      return {
        afterCatalogCreated: (args) => void (catalog = args.catalog),
        beforeDatasetLoaded: ({ datasetName }) => line("Loading data from", datasetName, "load"),
        beforeDatasetSaved: ({ datasetName }) => line("Saving data to", datasetName, "save"),
      };
    },
  };
}
