/**
 * The parallel runner's pool of module workers: started on demand up to a size, each importing the node
 * modules once and reused for every node it runs. Failures come back as kmlf errors naming the node.
 */
import { describeThrown, type KmlfError, NodeError, RunError } from "../errors.ts";
import type { Node } from "../pipeline/mod.ts";
import { isOrderedRecord } from "../catalog/ordered_record.ts";
import { consequence, CROSSING_HINT, inspectCrossing } from "./crossing.ts";
import { applySourceKeys, sourceKeysSnapshot } from "../source_keys.ts";
import { CONSOLE_LEVEL_METHODS, type FromWorker, type NodeJob, type ToWorker } from "./worker_protocol.ts";
import type { NodeScope } from "./run_types.ts";
import { fromWire, loadClasses, toWire, type WireError } from "./wire_error.ts";

/** A node's outputs as they came back, and the worker (1-based) that ran it. */
export interface PoolResult {
  outputs: Record<string, unknown>;
  worker: number;
}

interface Job {
  id: number;
  node: Node;
  /** Partition loaders of partitioned inputs, called when the worker asks. */
  lazy: Record<string, Record<string, () => Promise<unknown>>>;
  resolve(result: PoolResult): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  id: number;
  worker: Worker;
  job?: Job;
  /** The node it runs or ran last, and the one before (an escaped error may come from either). */
  last?: Node;
  previous?: Node;
  /** The module list it was told to import. */
  imports?: string[];
}

/** What a pool needs to know about the run it serves. */
export interface PoolRun {
  /** At most this many workers (may only shrink the pool's size). */
  size: number;
  /** `file://` URLs of the node modules every worker imports once. */
  modules: string[];
  /** An error escaped a node after it returned (the node is the last one the worker ran). */
  onEscaped(node: Node, error: KmlfError): void;
  /** The run's node scope: what a worker prints is printed inside it, as the node's. */
  scope?: NodeScope;
}

const WORKER_URL = new URL("./node_worker.ts", import.meta.url);

/**
 * Runs nodes in workers, one node per worker at a time.
 *
 * @example
 * ```ts
 * const pool = new WorkerPool(2);
 * pool.grow(1); // boots while the pipeline loads
 * pool.serve({ size: 2, modules: [moduleUrl], onEscaped: (node, e) => console.error(node.name, e) });
 * const { outputs } = await pool.run(node, job, { x: 1 }, []);
 * pool.terminate();
 * ```
 */
export class WorkerPool {
  #size: number;
  #modules: string[] = [];
  #onEscaped: PoolRun["onEscaped"] = () => {};
  #scope?: NodeScope;
  readonly #workers: PoolWorker[] = [];
  #nextId = 1;
  #nextWorker = 1;
  #stopped = false;

  constructor(size: number) {
    this.#size = size;
  }

  /** Starts workers until `count` exist (they boot while the main thread prepares the run). */
  grow(count: number): void {
    while (!this.#stopped && this.#workers.length < Math.min(count, this.#size)) this.#spawn();
  }

  /** Sets up the run: running workers import its modules now, later ones when they start. */
  serve(run: PoolRun): void {
    this.#size = Math.min(this.#size, run.size);
    if (run.modules.join("\n") !== this.#modules.join("\n")) this.#modules = run.modules;
    this.#onEscaped = run.onEscaped;
    this.#scope = run.scope;
    for (const slot of this.#workers) this.#init(slot);
  }

  /**
   * Runs `job` on an idle worker; buffers in `transfer` move instead of being copied; `lazy` holds the
   * partition loaders of partitioned inputs (their values in `inputs` are left out).
   */
  run(
    node: Node,
    job: NodeJob,
    inputs: Record<string, unknown>,
    options: { transfer: ArrayBuffer[]; lazy: Job["lazy"] },
  ): Promise<PoolResult> {
    const { transfer, lazy } = options;
    if (this.#stopped) return Promise.reject(stoppedError(node));
    const slot = this.#workers.find((w) => !w.job) ??
      (this.#workers.length < this.#size ? this.#spawn() : undefined);
    if (!slot) {
      return Promise.reject(
        new RunError("runner/pool-full", `No free worker for node "${node.name}"`, {
          hint: "this is a bug in kmlf's scheduler; please report it",
        }),
      );
    }
    return new Promise<PoolResult>((resolve, reject) => {
      const id = this.#nextId++;
      slot.job = { id, node, lazy, resolve, reject };
      slot.previous = slot.last;
      slot.last = node;
      const ids = Object.fromEntries(
        Object.entries(lazy).map(([name, loaders]) => [name, Object.keys(loaders)]),
      );
      const sent = plainInputs(inputs);
      const message: ToWorker = {
        type: "run",
        id,
        job,
        inputs: sent,
        lazy: ids,
        keys: sourceKeysSnapshot(sent),
      };
      try {
        slot.worker.postMessage(message, transfer);
      } catch {
        try {
          slot.worker.postMessage(message); // a buffer that cannot move (WebAssembly memory) is copied
        } catch (error) {
          slot.job = undefined;
          reject(
            new NodeError(
              "runner/cannot-cross",
              `The inputs of node "${node.name}" cannot be sent to a worker`,
              {
                cause: error,
                source: node.source,
                hint:
                  "pass plain data (objects, arrays, typed arrays, Map, Set, Date), or run with --runner thread",
              },
            ),
          );
        }
      }
    });
  }

  /** Stops every worker now; running nodes reject. */
  terminate(): void {
    this.#stopped = true;
    for (const w of this.#workers.splice(0)) {
      w.worker.terminate();
      w.job?.reject(stoppedError(w.job.node));
    }
  }

  #spawn(): PoolWorker {
    const slot: PoolWorker = {
      id: this.#nextWorker++,
      worker: new Worker(WORKER_URL, { type: "module", name: "kmlf-node-worker" }),
    };
    slot.worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(slot, event.data);
    slot.worker.onerror = (event) => {
      event.preventDefault();
      this.#retire(
        slot,
        new RunError("runner/worker-failed", `A worker of the parallel runner failed: ${event.message}`, {
          hint: "run again with --runner sequential; if that works, please report this kmlf bug",
        }),
      );
    };
    slot.worker.onmessageerror = () => {
      const node = slot.job?.node;
      this.#settle(
        slot,
        new NodeError("runner/cannot-cross", `The outputs of node "${node?.name}" could not be received`, {
          source: node?.source,
          hint: "return plain data (objects, arrays, typed arrays, Map, Set, Date)",
        }),
      );
    };
    this.#init(slot);
    this.#workers.push(slot);
    return slot;
  }

  #init(slot: PoolWorker): void {
    if (this.#modules.length === 0 || slot.imports === this.#modules) return;
    slot.imports = this.#modules;
    const init: ToWorker = { type: "init", modules: this.#modules };
    slot.worker.postMessage(init);
  }

  #receive(slot: PoolWorker, message: FromWorker): void {
    if (message.type === "console" || message.type === "clear") {
      const print = message.type === "clear"
        ? () => console.clear()
        : () => console[CONSOLE_LEVEL_METHODS[message.level] ?? "log"](message.text);
      // The job it came from; a line printed between jobs (a timer) is the last node's.
      const node = slot.job && slot.job.id === message.id ? slot.job.node : slot.last;
      return this.#scope && node ? this.#scope(node, print) : print();
    }
    if (message.type === "ready") return;
    const job = slot.job;
    const current = job && message.id === job.id ? job : undefined;
    switch (message.type) {
      case "done":
        if (!current) return;
        slot.job = undefined;
        applySourceKeys(message.outputs, message.keys);
        current.resolve({ outputs: message.outputs, worker: slot.id });
        return;
      case "failed":
        if (!current) return;
        this.#rebuild(message.error, current.node).then((error) => {
          if (slot.job === current) this.#settle(slot, error);
        });
        return;
      case "load-partition":
        if (current) this.#loadPartition(slot, current, message);
        return;
      case "cannot-cross": {
        if (!current) return;
        const { node } = current;
        const where = message.path ? `${message.dataset}${message.path}` : `it`;
        this.#settle(
          slot,
          new NodeError(
            "runner/cannot-cross",
            `Output "${message.dataset}" of node "${node.name}" cannot leave its worker: ${where} is ${message.what}, ${
              consequence(message)
            }`,
            { source: node.inputSource(message.dataset, "outputs"), hint: CROSSING_HINT },
          ),
        );
        return;
      }
      case "exit": {
        const node = current?.node ?? slot.last;
        const error = new NodeError(
          "node/exited",
          `Node "${node?.name}" called ${
            message.call ?? `Deno.exit(${message.code}) (or process.exit)`
          } in a worker of the parallel runner`,
          {
            source: node?.source,
            hint: "throw an error to fail a node: kmlf then ends the run FAILED and prints where to resume",
          },
        );
        if (!current && node) this.#onEscaped(node, error);
        this.#retire(slot, current ? error : replaced(slot, node));
        return;
      }
      case "escaped": {
        // At once (no class import to wait for): the worker is retired before it takes another node.
        const node = current?.node ?? slot.last;
        const cause = fromWire(message.error, undefined, () => node?.source);
        const text = cause instanceof Error ? cause.message : describeThrown(cause);
        const earlier = current && slot.previous
          ? `; it may come from "${slot.previous.name}", which ran before`
          : "";
        const error = new NodeError(
          "node/failed",
          `Node "${node?.name}" failed: ${text} (thrown outside the promise a node returned${earlier})`,
          {
            cause,
            source: node?.source,
            hint: "await every promise the node starts, so errors reach kmlf through the node's result",
          },
        );
        if (!current && node) this.#onEscaped(node, error);
        this.#retire(slot, current ? error : replaced(slot, node));
        return;
      }
    }
  }

  // Loads one partition for a node running in `slot` and sends it over (moved: a load is a fresh value).
  #loadPartition(
    slot: PoolWorker,
    job: Job,
    message: Extract<FromWorker, { type: "load-partition" }>,
  ): void {
    const { request, dataset, partition } = message;
    const reply = (answer: ToWorker, transfer: ArrayBuffer[] = []) => {
      if (slot.job === job) slot.worker.postMessage(answer, transfer);
    };
    const fail = (error: unknown) => reply({ type: "partition-failed", request, error: toWire(error) });
    const loader = job.lazy[dataset]?.[partition];
    if (!loader) return fail(new Error(`Partition "${partition}" of "${dataset}" is not known`));
    loader().then((value) => {
      const crossing = inspectCrossing(value, { transfer: true });
      if (!crossing.problem) {
        return reply(
          { type: "partition", request, value, keys: sourceKeysSnapshot(value) },
          crossing.transfer,
        );
      }
      const where = `${dataset}["${partition}"]${crossing.problem.path}`;
      fail(
        new NodeError(
          "runner/cannot-cross",
          `Partition "${partition}" of input "${dataset}" of node "${job.node.name}" cannot be sent to a worker: ${where} is ${crossing.problem.what}, ${
            consequence(crossing.problem)
          }`,
          { hint: CROSSING_HINT },
        ),
      );
    }, fail);
  }

  // The error a node threw, with its class even when a node module defines it (wire_error.ts).
  async #rebuild(wire: WireError, node: Node): Promise<unknown> {
    return fromWire(wire, await loadClasses(wire, this.#modules), () => node.source);
  }

  #settle(slot: PoolWorker, error: unknown): void {
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error);
  }

  // A worker whose state cannot be trusted (exited, escaped error, crashed) is replaced on demand; the
  // node it was running, if any, fails with `error`.
  #retire(slot: PoolWorker, error: unknown): void {
    slot.worker.terminate();
    const at = this.#workers.indexOf(slot);
    if (at >= 0) this.#workers.splice(at, 1);
    this.#settle(slot, error);
  }
}

// The error of a node whose worker was replaced because of what an earlier node left behind.
function replaced(slot: PoolWorker, culprit: Node | undefined): KmlfError | undefined {
  const node = slot.job?.node;
  if (!node) return undefined;
  return new RunError(
    "runner/worker-replaced",
    `Node "${node.name}" was stopped: its worker had to be replaced after node "${culprit?.name}" failed`,
    {
      source: node.source,
      hint:
        `this node did not fail itself: fix node "${culprit?.name}" (its error is reported too) and run again`,
    },
  );
}

function stoppedError(node: Node): KmlfError {
  return new RunError("run/interrupted", `Node "${node.name}" was stopped: the run was interrupted`);
}

// A dataset's record kept in key order (IncrementalDataset's partitions, Excel sheets) is a Proxy, which
// postMessage cannot copy: the worker gets its entries as a plain object.
function plainInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  let plain: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(inputs)) {
    if (isOrderedRecord(value)) (plain ??= { ...inputs })[name] = { ...value };
  }
  return plain ?? inputs;
}
