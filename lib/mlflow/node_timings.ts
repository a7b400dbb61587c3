/**
 * How long each node took, split the way users reason about it: the whole node as the console shows
 * it (inputs loaded, function, outputs saved), the function alone, and the dataset loads and saves.
 * Fed by the runner's node and dataset hooks, so it works with any runner.
 */
import type { Pipeline } from "../pipeline/mod.ts";
import type { MetricPoint } from "./tracking_port.ts";

/** One node's timing; times in epoch milliseconds, durations in milliseconds. */
export interface NodeTiming {
  node: string;
  /** When the node started loading its first input (or started, without inputs). */
  start: number;
  /** When its last output was saved (or its function ended, without outputs). */
  end?: number;
  status: "running" | "completed" | "failed";
  /** The node function alone. */
  functionMs: number;
  /** Loading inputs plus saving outputs. */
  ioMs: number;
}

// Clock readings (performance.now()) of what is in progress for one node.
interface Marks {
  ioInFlight: number;
  ioSince: number;
  fn?: number;
}

/**
 * The metrics logged per completed node. `node_duration_s` matches the time the console prints.
 *
 * @example
 * ```ts
 * NODE_TIME_METRICS.function; // "node_function_s"
 * ```
 */
export const NODE_TIME_METRICS = {
  total: "node_duration_s",
  function: "node_function_s",
  io: "node_io_s",
} as const;

/**
 * Collects {@link NodeTiming}s from hook events.
 *
 * @example
 * ```ts
 * const timings = new NodeTimings();
 * timings.ioStarted("split"); timings.ioEnded("split");
 * timings.functionStarted("split"); timings.functionEnded("split");
 * timings.metrics(); // node_duration_s.split, node_function_s.split, node_io_s.split
 * ```
 */
export class NodeTimings {
  readonly #byNode = new Map<string, NodeTiming>();
  readonly #marks = new Map<string, Marks>();

  /** A dataset load or save of `node` begins (a runner may overlap several: wall time is counted). */
  ioStarted(node: string): void {
    this.#entry(node);
    const mark = this.#mark(node);
    if (mark.ioInFlight++ === 0) mark.ioSince = performance.now();
  }

  /** That load or save ended. */
  ioEnded(node: string): void {
    const t = this.#entry(node);
    const mark = this.#mark(node);
    if (mark.ioInFlight > 0 && --mark.ioInFlight === 0) t.ioMs += performance.now() - mark.ioSince;
    if (t.status !== "running") t.end = Date.now();
  }

  /** The node function is called (inputs are loaded). */
  functionStarted(node: string): void {
    this.#entry(node);
    this.#mark(node).fn = performance.now();
  }

  /** The node function returned; outputs are saved next. */
  functionEnded(node: string): void {
    const t = this.#entry(node);
    const mark = this.#mark(node);
    if (mark.fn !== undefined) t.functionMs += performance.now() - mark.fn;
    mark.fn = undefined;
    t.end = Date.now();
    t.status = "completed";
  }

  /** The node function threw. */
  failed(node: string): void {
    const t = this.#entry(node);
    t.end = Date.now();
    t.status = "failed";
  }

  get(node: string): NodeTiming | undefined {
    return this.#byNode.get(node);
  }

  /** The name of the first failed node, if any. */
  firstFailed(): string | undefined {
    return [...this.#byNode.values()].find((t) => t.status === "failed")?.node;
  }

  /** `node_duration_s.<node>`, `node_function_s.<node>` and `node_io_s.<node>` of each completed node. */
  metrics(): MetricPoint[] {
    const points: MetricPoint[] = [];
    for (const t of this.#byNode.values()) {
      if (t.status !== "completed" || t.end === undefined) continue;
      const at = (key: string, ms: number) => ({
        key: `${key}.${t.node}`,
        value: ms / 1000,
        timestamp: t.end!,
        step: 0,
      });
      points.push(
        at(NODE_TIME_METRICS.total, t.end - t.start),
        at(NODE_TIME_METRICS.function, t.functionMs),
        at(NODE_TIME_METRICS.io, t.ioMs),
      );
    }
    return points;
  }

  #entry(node: string): NodeTiming {
    let t = this.#byNode.get(node);
    if (!t) {
      t = { node, start: Date.now(), status: "running", functionMs: 0, ioMs: 0 };
      this.#byNode.set(node, t);
    }
    return t;
  }

  #mark(node: string): Marks {
    let mark = this.#marks.get(node);
    if (!mark) this.#marks.set(node, mark = { ioInFlight: 0, ioSince: 0 });
    return mark;
  }
}

/**
 * The run artifact `kmlf/pipeline.json` the UI draws as a DAG and a Gantt chart.
 *
 * @example
 * ```ts
 * const json = pipelineArtifact(pipeline, timings, "FINISHED");
 * ```
 */
export function pipelineArtifact(pipeline: Pipeline | undefined, timings: NodeTimings, status: string) {
  const json = pipeline?.toJSON();
  return {
    format: "kmlf.pipeline/1",
    status,
    inputs: json?.inputs ?? [],
    outputs: json?.outputs ?? [],
    nodes: (json?.nodes ?? []).map((n) => {
      const t = timings.get(n.name);
      return {
        ...n,
        start: t?.start ?? null,
        end: t?.end ?? null,
        status: t?.status === "running" ? "interrupted" : t?.status ?? "not_run",
        function_s: t ? t.functionMs / 1000 : null,
        io_s: t ? t.ioMs / 1000 : null,
      };
    }),
  };
}
