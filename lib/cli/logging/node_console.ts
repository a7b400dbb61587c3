/**
 * What nodes print, as a Kedro node prints and logs: every console call inside a node (any runner; a
 * parallel worker's texts come back through the runner's node scope) is a record, with the text Deno's
 * console prints for it, of the logger Kedro names the node's module by (`<package>.pipelines.<pipeline>.
 * nodes`), and shows on the terminal as without logging even where no terminal handler shows the record:
 * console.log is kmlf's print(). Loaded only with a logging configuration.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { isAbsolute, relative } from "../../path.ts";
import type { Node } from "../../pipeline/mod.ts";
import { type ConsoleMethodName, type PrintLevel, textConsole } from "../../text_console.ts";
import { LEVEL, type NodeConsole, type NodeLoggerProject, type RunLogRecord } from "../run_log.ts";
import { err, out, withoutColors } from "../terminal.ts";

/**
 * Python's level for a text Deno's console printed at a {@link PrintLevel}: the level follows the stream,
 * so DEBUG for `debug`; INFO for `log`, `info`, `dir`, `dirxml`, `table`, `count`, `time*`, `group*`;
 * WARNING for `warn` and the "Count for 'x' does not exist" / "Timer 'x' …" warnings; ERROR for `error`, a
 * failed `assert` and `trace` (all three printed on stderr, as `console.error` prints).
 */
const PRINT_LEVEL_TO_LOGGING = [
  LEVEL.DEBUG,
  LEVEL.INFO,
  LEVEL.WARNING,
  LEVEL.ERROR,
  LEVEL.ERROR,
] as const;

/**
 * Routes console calls made inside `scope(node, …)` through one console of Deno's own class (its groups,
 * counters and timers those of the nodes' calls), one record per printed text, the text without colors,
 * handed to `handle`; calls outside a node print as before. On the terminal a node's text shows as without
 * logging (stdout for debug/log/info/dir/table/count/time/group, stderr for the rest and under --json, with
 * --quiet too): through a rich handler, formatted by a stream handler, or printed as it is when no terminal
 * handler showed it (a file-only configuration, a level that drops it), as Kedro's print() always shows.
 *
 * @example
 * ```ts
 * const { scope, restore } = captureNodeConsole((r) => tree.handle({ ...r, created: Date.now() }), project, { json: false });
 * try { await session.run({ nodeScope: scope }); } finally { restore(); }
 * ```
 */
export function captureNodeConsole(
  handle: (record: RunLogRecord) => boolean,
  project: NodeLoggerProject,
  terminal: { json: boolean },
): NodeConsole {
  const storage = new AsyncLocalStorage<Node>();
  const loggers = new Map<Node, string>();
  const target = console as unknown as Record<string, (...args: unknown[]) => unknown>;
  // The node whose call is printing now (Deno's console prints synchronously, within the call).
  let printing: Node | undefined;
  const print = (text: string, level: PrintLevel) => {
    const node = printing!;
    let logger = loggers.get(node);
    if (logger === undefined) loggers.set(node, logger = nodeLoggerName(node, project));
    const stream = level >= 2 || terminal.json ? "err" : "out";
    const shown = handle({
      logger,
      level: PRINT_LEVEL_TO_LOGGING[level],
      message: withoutColors(text),
      terminal: { stream, text },
      quietToo: true,
      funcName: node.funcLocation?.exportName ?? node.name,
      pathname: node.funcLocation?.module,
    });
    if (!shown) (stream === "out" ? out : err)(text);
  };
  const saved = new Map<string, (...args: unknown[]) => unknown>();
  const clear = target.clear;
  const methods = textConsole(print, () => clear.call(console));
  for (const [method, call] of Object.entries(methods) as [ConsoleMethodName, (...a: unknown[]) => void][]) {
    const before = target[method];
    saved.set(method, before);
    target[method] = (...args: unknown[]) => {
      const node = storage.getStore();
      if (!node) return before.apply(console, args);
      const outer = printing;
      printing = node;
      try {
        return call(...args);
      } finally {
        printing = outer;
      }
    };
  }
  return {
    scope: (node, call) => storage.run(node, call),
    restore() {
      for (const [method, before] of saved) target[method] = before;
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
