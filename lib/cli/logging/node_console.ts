/**
 * What nodes print, as Kedro nodes log: `console.debug/log/info/warn/error` inside a node (any runner; a
 * parallel worker's calls come back through the runner's node scope) become records of the logger Kedro
 * names the node's module by, `<package>.pipelines.<pipeline>.nodes`. Loaded only with a logging
 * configuration.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { isAbsolute, relative } from "../../path.ts";
import type { Node } from "../../pipeline/mod.ts";
import { formatConsoleArgs } from "../../console_text.ts";
import { LEVEL, type NodeConsole, type NodeLoggerProject, type RunLog } from "../run_log.ts";

const METHOD_LEVELS = {
  debug: LEVEL.DEBUG,
  log: LEVEL.INFO,
  info: LEVEL.INFO,
  warn: LEVEL.WARNING,
  error: LEVEL.ERROR,
} as const;
type Method = keyof typeof METHOD_LEVELS;

/**
 * Routes console calls made inside `scope(node, …)` to `log`, one record per call with the text Deno's
 * console prints; calls outside a node print as before. On the terminal (a rich handler) a node's line
 * shows as without logging: stdout for debug/log/info (stderr under --json), stderr for warn/error, with
 * --quiet too.
 *
 * @example
 * ```ts
 * const { scope, restore } = captureNodeConsole(log, { name: "iris", root, pipelinesDir }, { json: false });
 * try { await session.run({ nodeScope: scope }); } finally { restore(); }
 * ```
 */
export function captureNodeConsole(
  log: RunLog,
  project: NodeLoggerProject,
  terminal: { json: boolean },
): NodeConsole {
  const storage = new AsyncLocalStorage<Node>();
  const loggers = new Map<Node, string>();
  const saved = (Object.keys(METHOD_LEVELS) as Method[]).map((m) => [m, console[m]] as const);
  for (const [method, print] of saved) {
    const level = METHOD_LEVELS[method];
    const stream = level >= LEVEL.WARNING || terminal.json ? "err" : "out";
    console[method] = (...args: unknown[]) => {
      const node = storage.getStore();
      if (!node) return print.apply(console, args);
      let logger = loggers.get(node);
      if (logger === undefined) loggers.set(node, logger = nodeLoggerName(node, project));
      const text = formatConsoleArgs(args);
      log.log({
        logger,
        level,
        message: text,
        terminal: { stream, text },
        quietToo: true,
        funcName: node.funcLocation?.exportName ?? node.name,
        pathname: node.funcLocation?.module,
      });
    };
  }
  return {
    scope: (node, call) => storage.run(node, call),
    restore() {
      for (const [method, print] of saved) console[method] = print;
    },
  };
}

/**
 * The logger Kedro's `logging.getLogger(__name__)` gives a node's module: under the pipelines folder
 * `<package>.pipelines.<path>` (`pipelines/iris/nodes.ts` → `iris.pipelines.iris.nodes`), elsewhere in the
 * project `<package>.<path>`, and the package logger itself for a function from outside the project.
 *
 * @example
 * ```ts
 * nodeLoggerName(node, { name: "iris", root: "/p", pipelinesDir: "/p/pipelines" }); // "iris.pipelines.iris.nodes"
 * ```
 */
export function nodeLoggerName(node: Pick<Node, "funcLocation">, project: NodeLoggerProject): string {
  const module = node.funcLocation?.module;
  if (module === undefined) return project.name;
  const bases = [[project.pipelinesDir, `${project.name}.pipelines`], [project.root, project.name]];
  for (const [base, prefix] of bases) {
    const path = relative(base, module);
    if (
      path === "" || path === ".." || path.startsWith("../") || path.startsWith("..\\") || isAbsolute(path)
    ) {
      continue;
    }
    return [prefix, ...path.replace(/\.[cm]?[jt]sx?$/, "").split(/[\\/]/)].join(".");
  }
  return project.name;
}
