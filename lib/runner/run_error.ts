import { HookError, type KmlfErrorOptions, NodeError, RunError } from "../errors.ts";

/**
 * A run stopped because a node (or the loading/saving around it) failed. Carries what a person needs
 * to continue: the failed node, the nodes that completed, and where to resume from. Its code is the
 * underlying problem's (`node/failed`, `dataset/file-not-found`, …).
 *
 * @example
 * ```ts
 * try { await runner.run(pipeline, catalog, options); } catch (e) {
 *   if (e instanceof PipelineRunError) console.log(e.resumeFromNodes);
 * }
 * ```
 */
export class PipelineRunError extends RunError {
  /** The name of the node that failed. */
  readonly failedNode: string;
  /** The nodes that completed before the failure (their outputs are saved). */
  readonly completedNodes: readonly string[];
  /** Nodes to pass to `--from-nodes` to resume; empty when no node had completed. */
  readonly resumeFromNodes: readonly string[];
  /** What the failed node's task raised, as hooks get it (see {@link raisedError}); this error itself if none. */
  readonly raised: unknown;

  /** Made by the runners; `details.code` defaults to `run/node-failed`. */
  constructor(
    message: string,
    details: {
      failedNode: string;
      completedNodes: string[];
      resumeFromNodes: string[];
      code?: string;
      raised?: unknown;
    },
    options: KmlfErrorOptions = {},
  ) {
    super(details.code ?? "run/node-failed", message, options);
    this.failedNode = details.failedNode;
    this.completedNodes = details.completedNodes;
    this.resumeFromNodes = details.resumeFromNodes;
    this.raised = "raised" in details ? details.raised : this;
  }
}

/**
 * The error as Kedro hands it to `on_node_error` / `on_pipeline_error`: what was raised. kmlf wraps what a
 * node function or a hook throws to locate it (the node, file:line:col) for its own message; hooks get the
 * thrown value itself, so `error instanceof MyError` works as in Kedro. kmlf's own errors (a failed load,
 * a node returning the wrong outputs, an interrupted run) are passed as they are.
 *
 * @example
 * ```ts
 * raisedError(new NodeError("node/failed", 'Node "n" failed: boom', { cause: boom })) === boom; // true
 * ```
 */
export function raisedError(error: unknown): unknown {
  if (error instanceof PipelineRunError) return error.raised;
  // Made only around a thrown value. A hook's failure is a HookError with a cause (its other errors, a bad
  // return value, have none), whatever its code: it keeps the code of a kmlf error the hook raised.
  if (error instanceof NodeError && error.code === "node/failed") return error.cause;
  if (error instanceof HookError && Object.hasOwn(error, "cause")) return error.cause;
  return error;
}
