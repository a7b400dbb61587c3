/** A node: one TypeScript function bound to named input and output datasets. */
import { KmlfError, NodeError, NOT_AN_ERROR, type SourceLocation, thrownMessage } from "../errors.ts";

/** How a node's inputs become function arguments. */
export type InputBinding =
  | { kind: "none" }
  | { kind: "single" }
  | { kind: "positional" }
  | { kind: "object"; keys: string[] };

/** How a function's return value becomes output datasets. */
export type OutputBinding =
  | { kind: "none" }
  | { kind: "single" }
  | { kind: "list" }
  | { kind: "object"; keys: string[] };

/** Where a node names a dataset. */
export type DatasetField = "inputs" | "outputs" | "confirms";

/** Any function a node can call (sync or async). */
// deno-lint-ignore no-explicit-any
export type NodeFunction = (...args: any[]) => unknown;

/** Where a node's function lives: an absolute module path and the export, so a worker can import it. */
export interface FuncLocation {
  /** Absolute path of the module file. */
  module: string;
  /** The name the function is exported under. */
  exportName: string;
}

/** A dataset name as an included pipeline wrote it, before the include's namespace prefixed it. */
export interface NamespacedName {
  /** The name in the included pipeline (the key to map in the include's `inputs:`/`parameters:`). */
  key: string;
  /** The namespace the include added. */
  namespace: string;
  /** The include entry. */
  include?: SourceLocation;
}

/** Everything needed to build a {@link Node}. */
export interface NodeSpec {
  /** Unique name in the pipeline (YAML `name:`, else derived from the function). */
  name: string;
  /** The function the node calls. */
  func: NodeFunction;
  /** The function as written in YAML `func:` (`module#export`), shown in descriptions and errors. */
  funcRef: string;
  /** Set for functions loaded from a module file (YAML `func:`); nodes built in code have none. */
  funcLocation?: FuncLocation;
  /** Names of the datasets (or `params:…`) whose data become the arguments, in order. */
  inputs: string[];
  /** Names of the datasets the function's result is saved to. */
  outputs: string[];
  /** How the inputs become arguments. */
  inputBinding: InputBinding;
  /** How the result becomes outputs. */
  outputBinding: OutputBinding;
  /** Tags to select the node with (`--tags`). */
  tags?: Iterable<string>;
  /** Kedro's namespace (dotted), used by `--namespaces`. */
  namespace?: string;
  /**
   * Kedro's `confirms`: datasets whose `confirm()` is called after the node succeeded (IncrementalDataset
   * checkpoints).
   */
  confirms?: string[];
  /** Where the node is declared; a function is called only when a location is needed. */
  source?: SourceLocation | (() => SourceLocation | undefined);
  /**
   * The `- pipeline:` entries that brought the node in, innermost first (one per include level), so an
   * error about a reusable pipeline included twice can point at the includes rather than the shared file.
   */
  includedAt?: readonly (() => SourceLocation | undefined)[];
  /**
   * For a dataset name an include's namespace prefixed (`raw` → `c.raw`): the name the included pipeline
   * uses and the outermost include that prefixed it — where mapping it would fix a missing input.
   */
  namespacedFrom?: (dataset: string) => NamespacedName | undefined;
  /** Location of each input/output/confirms name in the YAML, by dataset name (lazily, as a function). */
  datasetSources?:
    | Record<string, SourceLocation>
    | ((dataset: string, field?: DatasetField) => SourceLocation | undefined);
}

/**
 * An immutable pipeline node.
 *
 * @example
 * ```ts
 * const node = new Node({ name: "double", func: (x: number) => x * 2, funcRef: "./ops.ts#double",
 *   inputs: ["a"], outputs: ["b"], inputBinding: { kind: "single" }, outputBinding: { kind: "single" } });
 * await node.run({ a: 2 }); // { b: 4 }
 * ```
 */
export class Node {
  /** Unique name in the pipeline. */
  readonly name: string;
  /** The function the node calls. */
  readonly func: NodeFunction;
  /** The function as written in YAML `func:` (`module#export`). */
  readonly funcRef: string;
  /** Where the function can be imported from; undefined for nodes built in code. */
  readonly funcLocation?: FuncLocation;
  /** Input dataset names, in argument order. */
  readonly inputs: readonly string[];
  /** Output dataset names. */
  readonly outputs: readonly string[];
  /** How the inputs become arguments: none, one, positional, or one object with `keys`. */
  readonly inputBinding: InputBinding;
  /** How the result becomes outputs: none, one, an array, or an object with `keys`. */
  readonly outputBinding: OutputBinding;
  /** The node's tags. */
  readonly tags: ReadonlySet<string>;
  /** Kedro's namespace (dotted), if any. */
  readonly namespace?: string;
  /** Datasets confirmed after the node succeeded (Kedro's `confirms`). */
  readonly confirms: readonly string[];
  readonly #source: NodeSpec["source"];
  readonly #includedAt: NodeSpec["includedAt"];
  readonly #namespacedFrom: NodeSpec["namespacedFrom"];
  readonly #datasetSources: NodeSpec["datasetSources"];

  /** Builds the node from its spec (copying the lists; the node is frozen). */
  constructor(spec: NodeSpec) {
    this.name = spec.name;
    this.func = spec.func;
    this.funcRef = spec.funcRef;
    this.funcLocation = spec.funcLocation;
    this.inputs = Object.freeze([...spec.inputs]);
    this.outputs = Object.freeze([...spec.outputs]);
    this.inputBinding = frozenBinding(spec.inputBinding);
    this.outputBinding = frozenBinding(spec.outputBinding);
    this.tags = frozenSet(spec.tags ?? []);
    this.namespace = spec.namespace;
    this.confirms = Object.freeze([...(spec.confirms ?? [])]);
    this.#source = spec.source;
    this.#includedAt = spec.includedAt;
    this.#namespacedFrom = spec.namespacedFrom;
    this.#datasetSources = spec.datasetSources;
    // Pipelines share their nodes (filters, unions, a script's pipeline run by many sessions): changing one
    // would change every run using it. Kedro's nodes are read-only too.
    Object.freeze(this);
  }

  /** Where the node is declared in its pipeline YAML. */
  get source(): SourceLocation | undefined {
    return typeof this.#source === "function" ? this.#source() : this.#source;
  }

  /** Where the node is declared, then each include entry that brought it in, innermost first. */
  get sourceChain(): (SourceLocation | undefined)[] {
    return [this.source, ...(this.#includedAt ?? []).map((at) => at())];
  }

  /** How an include's namespace made `dataset` from the included pipeline's name, if it did. */
  namespacedFrom(dataset: string): NamespacedName | undefined {
    return this.#namespacedFrom?.(dataset);
  }

  /**
   * Where in the YAML this node names `dataset` — among its inputs first, or only in `field` when
   * given — falling back to the node itself.
   */
  inputSource(dataset: string, field?: DatasetField): SourceLocation | undefined {
    const sources = this.#datasetSources;
    return (typeof sources === "function" ? sources(dataset, field) : sources?.[dataset]) ?? this.source;
  }

  /** The spec this node was built from, for copies with changes (namespacing, tags). */
  toSpec(): NodeSpec {
    return {
      name: this.name,
      func: this.func,
      funcRef: this.funcRef,
      funcLocation: this.funcLocation,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      inputBinding: this.inputBinding,
      outputBinding: this.outputBinding,
      tags: [...this.tags],
      namespace: this.namespace,
      confirms: [...this.confirms],
      source: this.#source,
      includedAt: this.#includedAt,
      namespacedFrom: this.#namespacedFrom,
      datasetSources: this.#datasetSources,
    };
  }

  /** Calls the function with the loaded inputs (by dataset name) and maps its result to outputs. */
  async run(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const missing = this.inputs.filter((i) => !(i in inputs));
    if (missing.length > 0) {
      throw new NodeError(
        "node/missing-inputs",
        `Node "${this.name}" did not get input(s) ${missing.join(", ")}`,
        {
          source: this.source,
          hint: `pass a value for each input: node.run({ ${
            this.inputs.map((i) => `"${i}": …`).join(", ")
          } })`,
        },
      );
    }
    let result: unknown;
    try {
      result = await this.func(...this.arguments(inputs));
    } catch (cause) {
      if (cause instanceof KmlfError) throw cause;
      const message = thrownMessage(cause);
      throw new NodeError("node/failed", `Node "${this.name}" (${this.funcRef}) failed: ${message}`, {
        cause,
        source: this.source,
        // `throw undefined` leaves no cause for the note other thrown values get.
        hint: cause === undefined ? NOT_AN_ERROR : undefined,
      });
    }
    // A generator for several outputs (Kedro streams one tuple per chunk) is refused as for one output,
    // not reported as an object of the wrong shape.
    if (this.outputBinding.kind !== "single") this.checkSettled({ "(result)": result });
    const outputs = this.mapOutputs(result);
    if (this.outputBinding.kind !== "none") this.checkSettled(outputs);
    return outputs;
  }

  /** `name: func([a;b]) -> [c]`, Kedro's node description. */
  toString(): string {
    const fn = this.funcRef.split("#").pop();
    return `${this.name}: ${fn}([${this.inputs.join(";")}]) -> [${this.outputs.join(";")}]`;
  }

  /**
   * The call's arguments from loaded inputs, by {@link inputBinding}.
   * @ignore
   */
  private arguments(inputs: Record<string, unknown>): unknown[] {
    const b = this.inputBinding;
    if (b.kind === "none") return [];
    if (b.kind === "object") return [Object.fromEntries(b.keys.map((k, i) => [k, inputs[this.inputs[i]]]))];
    return this.inputs.map((i) => inputs[i]);
  }

  // A generator's body has not run, and a promise inside a list or map was not awaited: saved, either
  // would become "{}" over the dataset's good data (and its errors would be lost), so refuse them.
  /**
   * Refuses outputs that are unawaited promises or generators.
   * @ignore
   */
  private checkSettled(outputs: Record<string, unknown>): void {
    for (const [output, value] of Object.entries(outputs)) {
      const what = pendingKind(value);
      if (!what) continue;
      throw new NodeError(
        "node/bad-outputs",
        `Node "${this.name}" returned ${what} for ${output.startsWith("(") ? "its result" : `"${output}"`}`,
        {
          source: this.source,
          hint: what === "an unawaited promise"
            ? "await it in the function (return await …; Promise.all([...]) for several values)"
            : "kmlf does not stream generator nodes: collect the chunks and return them " +
              "(Array.from(gen), or push each chunk in a for await loop)",
        },
      );
    }
  }

  /**
   * The result mapped to output datasets, by {@link outputBinding}; a result of the wrong shape is a
   * `node/bad-outputs` error.
   * @ignore
   */
  private mapOutputs(result: unknown): Record<string, unknown> {
    const b = this.outputBinding;
    const fail = (expected: string, got: string) =>
      new NodeError(
        "node/bad-outputs",
        `Node "${this.name}" returned ${got}, but its outputs need ${expected}`,
        {
          source: this.source,
          hint:
            "make the function return what `outputs:` declares in the pipeline YAML (or change `outputs:`)",
        },
      );
    if (b.kind === "none") return {};
    if (b.kind === "single") {
      if (result === undefined) throw fail(`a value for "${this.outputs[0]}"`, "undefined");
      return { [this.outputs[0]]: result };
    }
    if (b.kind === "list") {
      if (!Array.isArray(result)) throw fail(`an array of ${this.outputs.length}`, describe(result));
      if (result.length !== this.outputs.length) {
        throw fail(
          `${this.outputs.length} values (${this.outputs.join(", ")})`,
          `${result.length} value${result.length === 1 ? "" : "s"}`,
        );
      }
      return Object.fromEntries(this.outputs.map((o, i) => [o, result[i]]));
    }
    if (typeof result !== "object" || result === null || Array.isArray(result)) {
      throw fail(`an object with keys ${b.keys.join(", ")}`, describe(result));
    }
    const keys = Object.keys(result);
    const missing = b.keys.filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !b.keys.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      const got = [
        missing.length ? `missing ${missing.join(", ")}` : "",
        extra.length ? `extra ${extra.join(", ")}` : "",
      ]
        .filter(Boolean).join("; ");
      throw fail(`exactly the keys ${b.keys.join(", ")}`, `an object with ${got}`);
    }
    const record = result as Record<string, unknown>;
    return Object.fromEntries(b.keys.map((k, i) => [this.outputs[i], record[k]]));
  }
}

function pendingKind(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (typeof (value as { then?: unknown }).then === "function") return "an unawaited promise";
  const it = value as { next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  if (typeof it.next !== "function") return undefined;
  if (typeof it[Symbol.asyncIterator] === "function") return "an async generator (or iterator)";
  return typeof it[Symbol.iterator] === "function" ? "a generator (or iterator)" : undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || value === undefined) return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

// A copy no one can change (the node's and every pipeline's holding it).
function frozenBinding<T extends InputBinding | OutputBinding>(binding: T): T {
  const copy = binding.kind === "object"
    ? { ...binding, keys: Object.freeze([...binding.keys]) }
    : { ...binding };
  return Object.freeze(copy) as T;
}

// A Set whose add, delete and clear throw, as a frozen array's push does.
function frozenSet(items: Iterable<string>): ReadonlySet<string> {
  const set = new Set(items);
  for (const method of ["add", "delete", "clear"]) {
    Object.defineProperty(set, method, {
      value: () => {
        throw new TypeError(`A node's tags cannot be changed (${method}): build a new node with its spec`);
      },
    });
  }
  return Object.freeze(set);
}
