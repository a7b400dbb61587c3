/**
 * Errors as plain data, so that what a node throws in a worker of the parallel runner reaches the main
 * thread — its CLI message and the `onNodeError` / `onPipelineError` hooks — as it does under the
 * sequential runner. Structured clone alone keeps only an Error's message and stack (and its class only
 * for the built-in ones), dropping a kmlf error's code, hint and location, custom classes, own fields and
 * an AggregateError's members.
 *
 * What crosses: the class — kmlf's error classes, JavaScript's built-in ones, `Deno.errors.*`, and a
 * custom class exported by a node module (the main thread imports the same module); any other custom
 * class arrives as its nearest such ancestor, with its own `name` — the message, stack and `cause`
 * chain, an AggregateError's `errors`, and every own enumerable field whose value structured clone copies
 * (nested errors included). What cannot cross: fields holding functions, symbols or class instances, and
 * getters (left out), identity (`error === thrown` holds only in one thread), and nesting deeper than 4
 * levels. An error escaping a node's promise chain (a timer's throw) is rebuilt at once, without importing
 * a module: a custom class arrives there as its nearest known ancestor. A thrown non-Error value crosses
 * as it is when it is plain data (a symbol as one with its description), else as an object that prints
 * as it did.
 *
 * @module
 */
import {
  ConfigError,
  DatasetError,
  describeThrown,
  HookError,
  KmlfAggregateError,
  KmlfError,
  NodeError,
  PipelineDefinitionError,
  RunError,
  RunInterruptedError,
  type SourceLocation,
  TrackingError,
  UsageError,
} from "../errors.ts";
import { inspectCrossing } from "./crossing.ts";
import { PipelineRunError } from "./run_error.ts";

/** Where a custom error class is exported: the main thread imports the same module to rebuild it. */
export interface ClassRef {
  /** `file://` URL of a node module. */
  url: string;
  exportName: string;
}

/** An error as plain data. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** The nearest class both threads know by name (see {@link KNOWN_CLASSES}); `Error` if none. */
  base?: string;
  /** The error's own class, when a node module exports it. */
  classRef?: ClassRef;
  /** Own enumerable fields that structured clone copies as they are (a kmlf error's code, hint, source…). */
  props?: Record<string, unknown>;
  /** Own enumerable fields holding errors. */
  errorProps?: Record<string, WireError>;
  /** An AggregateError's members. */
  errors?: WireError[];
  cause?: WireError;
  /** The error has a `cause` whose value is `undefined`. */
  undefinedCause?: true;
  /** A thrown non-Error value that is plain data, sent as it is (`hasThrown` marks it: it may be `undefined`). */
  thrown?: unknown;
  hasThrown?: true;
  /** A thrown symbol: its description, and whether it is `Symbol.for`'s (then it is the same symbol). */
  symbol?: { description?: string; registered: boolean };
  /** A thrown non-Error value that cannot cross, as text. */
  value?: string;
}

/** How {@link toWire} finds the module that exports a custom error class (the worker's node modules). */
export type ClassFinder = (constructor: unknown) => ClassRef | undefined;

// Classes both threads have, by a name stable across them. kmlf's come first: a user's subclass of a kmlf
// error rebuilds as that kmlf class.
const KNOWN_CLASSES: [string, unknown][] = [
  ...Object.entries({
    KmlfError,
    ConfigError,
    DatasetError,
    PipelineDefinitionError,
    NodeError,
    RunError,
    HookError,
    RunInterruptedError,
    PipelineRunError,
    TrackingError,
    UsageError,
    KmlfAggregateError,
  }).map(([name, c]): [string, unknown] => [`kmlf.${name}`, c]),
  ...[Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError]
    .map((c): [string, unknown] => [c.name, c]),
  ...Object.entries(Deno.errors).map(([name, c]): [string, unknown] => [`Deno.errors.${name}`, c]),
];
const CLASS_BY_NAME = new Map(KNOWN_CLASSES);
const NAME_BY_CLASS = new Map(KNOWN_CLASSES.map(([name, c]) => [c, name]));
const MAX_DEPTH = 4;

/**
 * Where the worker's copy of a node says it is declared: the main thread puts the node's real location
 * in its place ({@link fromWire}'s `nodeSource`), so only a failure pays for locating it in the YAML.
 *
 * @example
 * ```ts
 * new Node({ ...job, func, source: NODE_SOURCE });
 * ```
 */
export const NODE_SOURCE: SourceLocation = Object.freeze({ file: "<kmlf: where the node is declared>" });

/**
 * Flattens any thrown value; `findClass` names the module exporting a custom error class.
 *
 * @example
 * ```ts
 * toWire(new RangeError("bad")); // { name: "RangeError", message: "bad", base: "RangeError", stack: "…" }
 * ```
 */
export function toWire(error: unknown, findClass?: ClassFinder, depth = 0): WireError {
  if (!(error instanceof Error)) {
    const text = describeThrown(error);
    const wire: WireError = { name: "Error", message: text, value: text };
    if (typeof error === "symbol") {
      const key = Symbol.keyFor(error);
      wire.symbol = { description: key ?? error.description, registered: key !== undefined };
    } else if (!inspectCrossing(error, { transfer: false }).problem) {
      wire.thrown = error;
      wire.hasThrown = true;
    }
    return wire;
  }
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack };
  const constructor = Object.getPrototypeOf(error)?.constructor;
  wire.base = knownAncestor(error);
  if (NAME_BY_CLASS.get(constructor) !== wire.base) {
    const ref = findClass?.(constructor);
    if (ref) wire.classRef = ref;
  }
  const nested = (value: unknown) => toWire(value, findClass, depth + 1);
  if (depth >= MAX_DEPTH) return wire;
  if (Object.hasOwn(error, "cause")) {
    if (error.cause === undefined) wire.undefinedCause = true;
    else wire.cause = nested(error.cause);
  }
  const members = (error as { errors?: unknown }).errors;
  if ((error instanceof AggregateError || error instanceof KmlfAggregateError) && Array.isArray(members)) {
    wire.errors = members.map(nested);
  }
  for (const key of Object.keys(error)) {
    if (key === "errors" && wire.errors) continue;
    // Data fields only: a getter is not called (it may throw, and this runs while reporting a failure).
    const field = Object.getOwnPropertyDescriptor(error, key);
    if (!field || !("value" in field)) continue;
    const value = field.value;
    if (value instanceof Error) (wire.errorProps ??= {})[key] = nested(value);
    else if (!inspectCrossing(value, { transfer: false }).problem) (wire.props ??= {})[key] = value;
  }
  return wire;
}

/**
 * Rebuilds an error from the wire with its class (see the module doc); `classes` holds the custom classes
 * {@link loadClasses} imported, `nodeSource` locates the node that failed ({@link NODE_SOURCE}). A thrown non-Error value comes back as itself, or as an object that
 * prints as it did.
 *
 * @example
 * ```ts
 * const error = fromWire(message.error, await loadClasses(message.error, modules), () => node.source);
 * ```
 */
export function fromWire(
  wire: WireError,
  classes?: ReadonlyMap<string, unknown>,
  nodeSource?: () => SourceLocation | undefined,
): unknown {
  if (wire.hasThrown) return wire.thrown;
  if (wire.symbol) {
    const { description, registered } = wire.symbol;
    return registered ? Symbol.for(description!) : Symbol(description);
  }
  if (wire.value !== undefined) return thrownValue(wire.value);
  const ref = wire.classRef && classes?.get(refKey(wire.classRef));
  const Class = (typeof ref === "function" ? ref : CLASS_BY_NAME.get(wire.base ?? "") ?? Error) as
    & NewableFunction
    & { prototype: Error };
  const rebuild = (w: WireError) => fromWire(w, classes, nodeSource);
  const cause = wire.cause ? rebuild(wire.cause) : undefined;
  const hasCause = wire.cause !== undefined || wire.undefinedCause;
  // A real Error object (stack, inspection) with the class's prototype, without running its constructor,
  // which may need arguments the wire does not have, or do work.
  const error = Reflect.construct(Error, [wire.message, ...(hasCause ? [{ cause }] : [])], Class) as Error;
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.errors) {
    const members = wire.errors.map(rebuild);
    const enumerable = Class === KmlfAggregateError || Class.prototype instanceof KmlfAggregateError;
    Object.defineProperty(error, "errors", {
      value: members,
      writable: true,
      configurable: true,
      enumerable,
    });
  }
  for (const [key, value] of Object.entries(wire.props ?? {})) {
    const located = key === "source" && (value as SourceLocation | undefined)?.file === NODE_SOURCE.file;
    define(error, key, located ? nodeSource?.() : value);
  }
  for (const [key, value] of Object.entries(wire.errorProps ?? {})) define(error, key, rebuild(value));
  if (error.name !== wire.name) {
    Object.defineProperty(error, "name", { value: wire.name, writable: true, configurable: true });
  }
  return error;
}

/**
 * Imports the modules exporting the custom classes `wire` names — only from `modules`, the node modules
 * the worker was told to import — for {@link fromWire}.
 *
 * @example
 * ```ts
 * const classes = await loadClasses(wire, ["file:///p/pipelines/nodes.ts"]);
 * ```
 */
export async function loadClasses(
  wire: WireError,
  modules: readonly string[],
): Promise<Map<string, unknown>> {
  const refs = new Map<string, ClassRef>();
  const collect = (w: WireError | undefined) => {
    if (!w) return;
    if (w.classRef && modules.includes(w.classRef.url)) refs.set(refKey(w.classRef), w.classRef);
    collect(w.cause);
    for (const e of [...(w.errors ?? []), ...Object.values(w.errorProps ?? {})]) collect(e);
  };
  collect(wire);
  const classes = new Map<string, unknown>();
  for (const [key, ref] of refs) {
    try {
      const mod = await import(ref.url);
      classes.set(key, mod[ref.exportName]);
    } catch {
      // It imported in the worker; if it cannot here, the nearest known class does.
    }
  }
  return classes;
}

/**
 * A {@link ClassFinder} over module namespaces: the first export that is the class.
 *
 * @example
 * ```ts
 * const find = exportedClassFinder(() => [["file:///p/nodes.ts", await import("file:///p/nodes.ts")]]);
 * ```
 */
export function exportedClassFinder(
  modules: () => Iterable<[url: string, exports: Record<string, unknown>]>,
): ClassFinder {
  return (constructor) => {
    if (typeof constructor !== "function") return undefined;
    for (const [url, exports] of modules()) {
      for (const [exportName, value] of Object.entries(exports)) {
        if (value === constructor) return { url, exportName };
      }
    }
    return undefined;
  };
}

function refKey(ref: ClassRef): string {
  return `${ref.url}#${ref.exportName}`;
}

// The nearest class on the prototype chain both threads know.
function knownAncestor(error: Error): string {
  for (let proto = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const name = NAME_BY_CLASS.get(proto.constructor);
    if (name) return name;
  }
  return "Error";
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
}

// A non-Error value thrown in a worker that structured clone cannot copy (a symbol, an object holding a
// function): it inspects and stringifies as the original did, so errors read the same under every runner.
function thrownValue(text: string): unknown {
  return { [Symbol.for("Deno.customInspect")]: () => text, toString: () => text };
}
