/**
 * Messages between the parallel runner and its workers, and errors as plain data (structured clone keeps
 * an Error's message and stack but drops kmlf's code, hint and cause).
 */
import {
  ConfigError,
  DatasetError,
  describeThrown,
  HookError,
  KmlfError,
  NodeError,
  PipelineDefinitionError,
  RunError,
} from "../errors.ts";
import type { InputBinding, OutputBinding } from "../pipeline/node.ts";

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

/** Main thread → worker. `lazy` lists, per partitioned input, the partition ids the node may load. */
export type ToWorker =
  | { type: "init"; modules: string[] }
  | {
    type: "run";
    id: number;
    job: NodeJob;
    inputs: Record<string, unknown>;
    lazy?: Record<string, string[]>;
  }
  | { type: "partition"; request: number; value: unknown }
  | { type: "partition-failed"; request: number; error: WireError };

/** Worker → main thread. */
export type FromWorker =
  /** The node modules are imported; `sample` only warms up both sides' structured clone (see node_worker.ts). */
  | { type: "ready"; sample: unknown }
  | { type: "done"; id: number; outputs: Record<string, unknown> }
  | { type: "failed"; id: number; error: WireError }
  | { type: "cannot-cross"; id: number; dataset: string; path: string; what: string }
  /** A node ended its worker: `Deno.exit(code)` (process.exit goes through it), or `call` (`close()`). */
  | { type: "exit"; id?: number; code: number; call?: string }
  | { type: "escaped"; id?: number; error: WireError }
  | { type: "load-partition"; id: number; request: number; dataset: string; partition: string }
  | { type: "console"; method: ConsoleMethod; text: string };

/** The console methods that write to stdout: a worker passes them to the main thread's console. */
export const STDOUT_CONSOLE_METHODS = ["log", "info", "debug", "dir", "dirxml", "table"] as const;
/** One of {@link STDOUT_CONSOLE_METHODS}. */
export type ConsoleMethod = typeof STDOUT_CONSOLE_METHODS[number];

/** An error as plain data. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  hint?: string;
  /** A kmlf error's cause came from the user's own code (see `KmlfErrorOptions.userCode`). */
  userCode?: boolean;
  /** A non-Error thrown value, as text. */
  value?: string;
  cause?: WireError;
}

/**
 * Flattens any thrown value (kmlf errors keep code, hint and cause).
 *
 * @example
 * ```ts
 * toWire(new RangeError("bad")); // { name: "RangeError", message: "bad", stack: "RangeError: bad\n    at …" }
 * ```
 */
export function toWire(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) {
    // As it would print in the main thread (String() of an object is "[object Object]").
    const text = describeThrown(error);
    return { name: "Error", message: text, value: text };
  }
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof KmlfError) {
    wire.code = error.code;
    wire.hint = error.hint;
    if (error.userCode) wire.userCode = true;
  }
  if (error.cause !== undefined && depth < 4) wire.cause = toWire(error.cause, depth + 1);
  return wire;
}

// kmlf's error classes by name: an error rebuilt from the wire renders as it would have on the main thread.
const KMLF_ERRORS: Record<string, typeof KmlfError> = {
  ConfigError,
  DatasetError,
  HookError,
  NodeError,
  PipelineDefinitionError,
  RunError,
};

/**
 * Rebuilds an error from the wire: kmlf errors keep their class (a {@link NodeError} when it is not one of
 * kmlf's own) and are located at `source`, anything else an Error with the original name and stack (or the
 * thrown non-Error value itself).
 *
 * @example
 * ```ts
 * const error = fromWire(message.error, node.source);
 * ```
 */
export function fromWire(wire: WireError, source?: KmlfError["source"]): unknown {
  if (wire.value !== undefined) return thrownValue(wire.value);
  const cause = wire.cause ? fromWire(wire.cause) : undefined;
  if (wire.code) {
    const KmlfClass = KMLF_ERRORS[wire.name] ?? NodeError;
    return new KmlfClass(wire.code, wire.message, {
      cause,
      hint: wire.hint,
      source,
      userCode: wire.userCode,
    });
  }
  const error = new Error(wire.message, cause === undefined ? undefined : { cause });
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}

// A non-Error value thrown in a worker (objects and symbols cannot all cross): it inspects and stringifies
// as the original did, so errors read the same under every runner.
function thrownValue(text: string): unknown {
  return { [Symbol.for("Deno.customInspect")]: () => text, toString: () => text };
}
