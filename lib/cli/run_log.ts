/**
 * What `kmlf run` reports, as log records under Kedro's logger names: without a Kedro logging configuration
 * each record's terminal line is printed as kmlf always did; with one (`lib/cli/logging/`, loaded only then)
 * the records go through the configured loggers and handlers.
 */
import { join, resolve } from "../path.ts";
import type { NodeScope } from "../runner/mod.ts";
import { statIfAny } from "../fs_utils.ts";
import { err, out } from "./terminal.ts";

/** Python's level numbers. */
export const LEVEL = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;

/** One thing `kmlf run` reports. */
export interface RunLogRecord {
  /** The Kedro logger it belongs to, e.g. `kedro.pipeline.node`. */
  logger: string;
  /** A {@link LEVEL} number. */
  level: number;
  /** The text a log file or a formatted console handler receives (Kedro's wording where Kedro logs it). */
  message: string;
  /** The line kmlf prints for it on the terminal (styled), if any; a rich handler prints this. */
  terminal?: { stream: "out" | "err"; text: string };
  /** Printed on the terminal with --quiet too (errors, interruptions, the summary). */
  quietToo?: boolean;
  /** What reported it (Python's `funcName`), e.g. `nodeStarted`. */
  funcName?: string;
  /** The file it came from (Python's `pathname`); default: the Kedro module `logger` names, as a `.py`. */
  pathname?: string;
}

/** Where `kmlf run` sends its records. */
export interface RunLog {
  /** Reports one record. */
  log(record: RunLogRecord): void;
  /** Closes the log files. */
  close(): void;
  /**
   * With a logging configuration only: logs what nodes print with any console method under the logger Kedro
   * names a node's module by (and prints it as without logging where no terminal handler shows it), until
   * `restore()`.
   */
  captureNodeConsole?(project: NodeLoggerProject): NodeConsole;
}

/** What a node's logger name is made of: kmlf.yml's `name` (the package), root and pipelines folder. */
export interface NodeLoggerProject {
  /** kmlf.yml's `name`, Kedro's package name. */
  name: string;
  /** Absolute path of the project root. */
  root: string;
  /** Absolute path of the pipelines folder (Kedro's `<package>/pipelines`). */
  pipelinesDir: string;
}

/** A run's capture of its nodes' console output. */
export interface NodeConsole {
  /** The runner's `nodeScope`: console calls inside it are the node's. */
  scope: NodeScope;
  /** Gives `console` its methods back. */
  restore(): void;
}

/**
 * kmlf's own terminal output: each record's terminal line, only those marked `quietToo` when quiet.
 *
 * @example
 * ```ts
 * terminalRunLog(false).log({ logger: "kedro", level: LEVEL.INFO, message: "hi", terminal: { stream: "out", text: "hi" } });
 * ```
 */
export function terminalRunLog(quiet: boolean): RunLog {
  return {
    log(record) {
      if (!record.terminal || (quiet && !record.quietToo)) return;
      (record.terminal.stream === "out" ? out : err)(record.terminal.text);
    },
    close() {},
  };
}

/** A Kedro logging configuration file: its path and how Kedro's note shows it. */
export interface LoggingConfigFile {
  /** Absolute path. */
  path: string;
  /** As Kedro prints it: `$KEDRO_LOGGING_CONFIG` as set, else `conf/logging.yml`. */
  shown: string;
  /** Named by `$KEDRO_LOGGING_CONFIG` (it must then exist). */
  fromEnv: boolean;
}

/**
 * Kedro's choice of logging configuration: `$KEDRO_LOGGING_CONFIG`, else `conf/logging.yml` or `.yaml`
 * relative to the working directory (not the conf source); undefined when there is none. Only stats files.
 *
 * @example
 * ```ts
 * loggingConfigFile("/p", undefined); // { path: "/p/conf/logging.yml", shown: "conf/logging.yml", fromEnv: false }
 * ```
 */
export function loggingConfigFile(
  cwd: string,
  envValue: string | undefined = Deno.env.get("KEDRO_LOGGING_CONFIG"),
): LoggingConfigFile | undefined {
  if (envValue) {
    return { path: resolve(cwd, envValue), shown: envValue, fromEnv: true };
  }
  for (const shown of ["conf/logging.yml", "conf/logging.yaml"]) {
    const path = join(cwd, shown);
    if (statIfAny(path)?.isFile) return { path, shown, fromEnv: false };
  }
  return undefined;
}
