/**
 * Messages between the parallel runner and its workers; errors travel as plain data (wire_error.ts).
 */
import type { InputBinding, OutputBinding } from "../pipeline/node.ts";
import type { WireError } from "./wire_error.ts";
import type { SourceKeysSnapshot } from "../source_keys.ts";
import type { PrintLevel } from "../text_console.ts";

/** A node as a worker needs it: where its function lives and how inputs and outputs bind. */
export interface NodeJob {
  name: string;
  funcRef: string;
  /** `file://` URL of the module. */
  url: string;
  exportName: string;
  inputs: string[];
  outputs: string[];
  inputBinding: InputBinding;
  outputBinding: OutputBinding;
}

/**
 * Main thread → worker. `lazy` lists, per partitioned input, the partition ids the node may load; `keys`
 * (here and in the answers) carries the file key order of loaded mappings, which structured clone drops
 * (lib/source_keys.ts).
 */
export type ToWorker =
  | { type: "init"; modules: string[] }
  | {
    type: "run";
    id: number;
    job: NodeJob;
    inputs: Record<string, unknown>;
    lazy?: Record<string, string[]>;
    keys?: SourceKeysSnapshot;
  }
  | { type: "partition"; request: number; value: unknown; keys?: SourceKeysSnapshot }
  | { type: "partition-failed"; request: number; error: WireError };

/** Worker → main thread. */
export type FromWorker =
  /** The node modules are imported; `sample` only warms up both sides' structured clone (see node_worker.ts). */
  | { type: "ready"; sample: unknown }
  | { type: "done"; id: number; outputs: Record<string, unknown>; keys?: SourceKeysSnapshot }
  | { type: "failed"; id: number; error: WireError }
  | { type: "cannot-cross"; id: number; dataset: string; path: string; what: string }
  /** A node ended its worker: `Deno.exit(code)` (process.exit goes through it), or `call` (`close()`). */
  | { type: "exit"; id?: number; code: number; call?: string }
  | { type: "escaped"; id?: number; error: WireError }
  | { type: "load-partition"; id: number; request: number; dataset: string; partition: string }
  /**
   * What a node printed (`id`: the job running then): the text Deno's console printed for one call, without
   * its final newline, and the printer's {@link ConsoleLevel}.
   */
  | { type: "console"; id?: number; level: ConsoleLevel; text: string }
  /**
   * A node called `console.clear()`: the main thread clears as its console clears (never the worker's own
   * stdout, which under `kmlf run --json` carries the JSON document).
   */
  | { type: "clear"; id?: number };

/**
 * The level Deno's console printed a text at ({@link PrintLevel}): 0 `debug`, 1 `log`/`info`/`dir`/`table`/
 * `count`/`time`/`group` (stdout; stderr under `kmlf run --json`), 2 `warn`, 3 `error`/`assert`, 4 `trace`
 * (stderr). The main thread prints the text with its own console's method for the level (worker_pool.ts), so
 * a logging configuration logs it and `--json` keeps stdout for its document.
 */
export type ConsoleLevel = PrintLevel;

/** The main thread's console method for each {@link ConsoleLevel}. */
export const CONSOLE_LEVEL_METHODS = ["debug", "log", "warn", "error", "error"] as const;
