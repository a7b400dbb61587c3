/** Python's logger hierarchy over a checked configuration: effective levels, propagation, lastResort. */
import { err } from "../terminal.ts";
import type { LoggerSpec, LoggingSpec } from "./dict_config.ts";
import type { Handler, TerminalOptions, TimedRecord } from "./handlers.ts";

// Kedro's loggers are fetched when first used, after logging is configured, so `disable_existing_loggers`
// leaves them alone; the one that exists before is kedro.framework.project's (it says which file is used).
const EXISTING_BEFORE_CONFIG = ["kedro.framework.project"];

/**
 * Sends records as `logging.getLogger(name).log(level, msg)` would.
 *
 * @example
 * ```ts
 * const tree = new LoggerTree(spec, handlers, { quiet: false, json: false });
 * tree.handle({ logger: "kedro.pipeline.node", level: 20, message: "Running node: a", created: Date.now() });
 * ```
 */
export class LoggerTree {
  readonly #disabled = new Set<string>();

  constructor(
    private readonly spec: LoggingSpec,
    private readonly handlers: Map<string, Handler>,
    private readonly terminal: TerminalOptions,
  ) {
    if (spec.disableExistingLoggers) {
      for (const name of EXISTING_BEFORE_CONFIG) {
        if (!ancestry(name).some((n) => spec.loggers.has(n))) this.#disabled.add(name);
      }
    }
  }

  /**
   * Kedro's `set_project_logging`: the project package's logger is at INFO unless the configuration names
   * it (whatever it says of it then stays).
   */
  setProjectLogging(packageName: string): void {
    if (!this.spec.loggers.has(packageName)) {
      this.spec.loggers.set(packageName, { level: 20, propagate: true, handlers: [] });
    }
  }

  /**
   * Logger.isEnabledFor, then callHandlers up the hierarchy until `propagate: false`. Says whether a handler
   * that writes to the terminal (rich, a stream, Python's lastResort) took the record.
   */
  handle(record: TimedRecord): boolean {
    if (this.#disabled.has(record.logger) || record.level < this.#effectiveLevel(record.logger)) return false;
    let found = 0;
    let shown = false;
    for (const logger of [...ancestry(record.logger).map((n) => this.spec.loggers.get(n)), this.spec.root]) {
      if (!logger) continue;
      for (const name of logger.handlers) {
        const handler = this.handlers.get(name)!;
        found++;
        if (record.level < handler.spec.level) continue;
        handler.emit(record);
        shown ||= handler.spec.kind === "rich" || handler.spec.kind === "stream";
      }
      if (!logger.propagate && logger !== this.spec.root) break;
    }
    // Python's lastResort: with no handler anywhere, warnings and errors still reach stderr.
    if (found === 0 && record.level >= 30 && (!this.terminal.quiet || record.quietToo)) {
      err(record.message);
      return true;
    }
    return shown;
  }

  #effectiveLevel(name: string): number {
    for (const n of ancestry(name)) {
      const level = (this.spec.loggers.get(n) as LoggerSpec | undefined)?.level;
      if (level) return level;
    }
    return this.spec.root.level ?? 0;
  }
}

/** `a.b.c` → `a.b.c`, `a.b`, `a`. */
function ancestry(name: string): string[] {
  const parts = name.split(".");
  return parts.map((_, i) => parts.slice(0, parts.length - i).join("."));
}
