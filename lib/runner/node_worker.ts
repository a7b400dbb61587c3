/**
 * Entry module of the parallel runner's workers. A worker imports the pipeline's node modules once (by
 * file URL, from the project directory), then runs one node at a time: bind inputs, call, map outputs,
 * check they can cross back, and post them with their ArrayBuffers transferred. Catalog, hooks and I/O
 * stay on the main thread. An entry point of the bundle the compiled binary embeds (tools/build_bundle.ts).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { NodeError, PipelineDefinitionError } from "../errors.ts";
import { explainFailedImport } from "../failed_import.ts";
import { fileURLToPath } from "../path.ts";
// node.ts, not the pipeline barrel: a worker boots faster without the YAML loader and zod it does not use.
import { Node } from "../pipeline/node.ts";
import { inspectCrossing } from "./crossing.ts";
import { applySourceKeys, sourceKeysSnapshot } from "../source_keys.ts";
import type { ConsoleLevel, FromWorker, NodeJob, ToWorker } from "./worker_protocol.ts";
import { forwardConsole } from "./worker_console.ts";
import { exportedClassFinder, fromWire, NODE_SOURCE, toWire, type WireError } from "./wire_error.ts";

const modules = new Map<string, Promise<Record<string, unknown>>>();
// The imported ones: a custom error class a node throws is named by the module exporting it.
const imported = new Map<string, Record<string, unknown>>();
const findClass = exportedClassFinder(() => imported);
const partitionRequests = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
let nextRequest = 1;
let current: number | undefined;
let exited = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

// What a node threw, or what escaped it. Its data (a thrown object, an error's fields) may still be refused
// by structured clone (nested thousands of levels deep): then the error goes without it, since a post that
// threw here would surface as an error escaping the node, with the wrong words and hint.
function postError(type: "failed" | "escaped", id: number | undefined, thrown: unknown): void {
  const error = toWire(thrown, findClass);
  // A thrown value first, then the fields that cannot be copied.
  for (const wire of [error, withoutData(error, false), withoutData(error, true)]) {
    try {
      return post({ type, id, error: wire } as FromWorker);
    } catch { /* try with less */ }
  }
}

function clones(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function withoutData(wire: WireError, props: boolean): WireError {
  const { thrown: _thrown, hasThrown: _has, errorProps, cause, errors, ...rest } = wire;
  // Only the fields structured clone refuses go (a kmlf error's code, hint and source stay).
  if (props && rest.props) {
    rest.props = Object.fromEntries(Object.entries(rest.props).filter(([, v]) => clones(v)));
  }
  const strip = (w: WireError) => withoutData(w, props);
  return {
    ...rest,
    ...(cause ? { cause: strip(cause) } : {}),
    ...(errors ? { errors: errors.map(strip) } : {}),
    ...(errorProps
      ? { errorProps: Object.fromEntries(Object.entries(errorProps).map(([k, v]) => [k, strip(v)])) }
      : {}),
  };
}

function load(url: string): Promise<Record<string, unknown>> {
  let mod = modules.get(url);
  if (!mod) {
    mod = import(url);
    mod.then((exports) => imported.set(url, exports), () => {}); // a failure is reported when a node needs it
    modules.set(url, mod);
  }
  return mod;
}

// What a node prints goes through the main thread's console, as the text Deno's console prints (a table, a
// group's indentation, a trace): it lands where the main thread sends its own (stderr under `kmlf run
// --json`, where stdout carries one JSON document), and a logging configuration logs it under the node's
// logger, in the order it was printed.
forwardConsole(
  (text: string, level: ConsoleLevel) => post({ type: "console", id: current, level, text }),
  () => post({ type: "clear", id: current }),
);

// A node calling Deno.exit (process.exit too) or the worker's close() would silently end this worker, and
// the run would wait for it forever; report it and unwind the node instead.
class WorkerExit extends Error {}
function ended(code: number, call?: string): never {
  if (!exited) post({ type: "exit", id: current, code, call });
  exited = true;
  throw new WorkerExit(call ?? `Deno.exit(${code})`);
}
(Deno as { exit: (code?: number) => never }).exit = (code?: number): never => ended(code ?? 0);
self.close = (): never => ended(0, "close()");

// Errors thrown outside a node's promise chain (timers, forgotten promises) would end the worker.
self.addEventListener("error", (event) => {
  event.preventDefault();
  if (!exited) postError("escaped", current, event.error ?? event.message);
});
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  if (!exited && !(event.reason instanceof WorkerExit)) {
    postError("escaped", current, event.reason);
  }
});

// A listener, not onmessage: a node assigning self.onmessage must not take the worker's jobs away.
self.addEventListener("message", async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    // Once the modules are in, say so with a sample of what nodes send: the first message a worker posts
    // costs ~3 ms more than the next ones (cold serializer and crossing check, on both threads), and
    // the worker is idle now, while the main thread prepares the run, rather than behind the first node.
    Promise.allSettled(message.modules.map(load)).then(() => {
      const sample = { rows: [[1.5, 2], [3, 4]], labels: ["a"], values: new Float64Array(2) };
      inspectCrossing(sample, { transfer: false });
      if (!exited) post({ type: "ready", sample });
    });
    return;
  }
  if (message.type === "partition" || message.type === "partition-failed") {
    const request = partitionRequests.get(message.request);
    partitionRequests.delete(message.request);
    if (message.type === "partition") {
      applySourceKeys(message.value, message.keys);
      request?.resolve(message.value);
    } else request?.reject(fromWire(message.error));
    return;
  }
  if (exited) return;
  const { id, job } = message;
  current = id;
  try {
    const inputs = message.inputs;
    applySourceKeys(inputs, message.keys); // a file's key order, which structured clone dropped
    for (const [dataset, ids] of Object.entries(message.lazy ?? {})) {
      inputs[dataset] = Object.fromEntries(ids.map((p) => [p, () => loadPartition(id, dataset, p)]));
    }
    const outputs = await run(job, inputs);
    if (exited) return;
    const transfer: ArrayBuffer[] = [];
    for (const [dataset, value] of Object.entries(outputs)) {
      const crossing = inspectCrossing(value, { transfer: true });
      if (crossing.problem) return post({ type: "cannot-cross", id, dataset, ...crossing.problem });
      transfer.push(...crossing.transfer);
    }
    postOutputs(id, outputs, transfer);
  } catch (error) {
    if (!exited && !(error instanceof WorkerExit)) {
      postError("failed", id, error);
    }
  } finally {
    current = undefined;
  }
});

// A partitioned input's loader: the partition is loaded on the main thread (datasets live there).
function loadPartition(id: number, dataset: string, partition: string): Promise<unknown> {
  const request = nextRequest++;
  return new Promise((resolve, reject) => {
    partitionRequests.set(request, { resolve, reject });
    post({ type: "load-partition", id, request, dataset, partition });
  });
}

async function run(job: NodeJob, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  let mod: Record<string, unknown>;
  try {
    mod = await load(job.url);
  } catch (cause) {
    // The main thread's words for the same failure (pipeline/modules.ts): a syntax error or a missing
    // import gets its file:line:col and its fix here too, not Deno's raw message.
    const path = fileURLToPath(job.url);
    const failure = await explainFailedImport(cause, { module: path });
    throw new PipelineDefinitionError(
      "pipeline/module-failed",
      `Cannot import ${path} in a worker of the parallel runner (node "${job.name}"): ${failure.reason}`,
      {
        cause: failure.cause,
        source: NODE_SOURCE,
        userCode: failure.userCode,
        hint:
          `${failure.hint}; it imported on the main thread, so look for code that runs only in a worker ` +
          "or a file changed since the run started",
      },
    );
  }
  const func = mod[job.exportName];
  if (typeof func !== "function") {
    throw new NodeError(
      "runner/worker-import",
      `Export "${job.exportName}" of ${job.url} is not a function in a worker (node "${job.name}")`,
      {
        source: NODE_SOURCE,
        hint: "export the function directly, not something computed from main-thread state",
      },
    );
  }
  // Its errors are located on the main thread (NODE_SOURCE), where the pipeline's YAML is.
  const node = new Node({ ...job, func: func as (...args: unknown[]) => unknown, source: NODE_SOURCE });
  return await node.run(inputs);
}

// A buffer that cannot be transferred (WebAssembly memory, …) is copied instead.
function postOutputs(id: number, outputs: Record<string, unknown>, transfer: ArrayBuffer[]): void {
  const keys = sourceKeysSnapshot(outputs);
  try {
    post({ type: "done", id, outputs, keys }, transfer);
  } catch {
    try {
      post({ type: "done", id, outputs, keys });
    } catch (error) {
      // Something the walk cannot see (a Proxy): name the output that structured clone refuses.
      const refused = Object.entries(outputs).find(([, value]) => {
        try {
          structuredClone(value);
          return false;
        } catch {
          return true;
        }
      });
      const why = (error as Error).message.replace(/\.$/, "");
      // Structured clone recurses: data nested thousands of levels deep overflows its stack.
      const what = error instanceof RangeError && /call stack size/i.test(why)
        ? `a value nested too deeply for structured clone (${why})`
        : `a value structured clone refuses (${why}; a Proxy, or an object of a host class)`;
      post({
        type: "cannot-cross",
        id,
        dataset: refused?.[0] ?? Object.keys(outputs).join(", "),
        path: "",
        what,
      });
    }
  }
}
