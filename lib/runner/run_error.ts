import { type KmlfErrorOptions, RunError } from "../errors.ts";

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
  readonly failedNode: string;
  readonly completedNodes: readonly string[];
  /** Nodes to pass to `--from-nodes` to resume; empty when no node had completed. */
  readonly resumeFromNodes: readonly string[];

  constructor(
    message: string,
    details: { failedNode: string; completedNodes: string[]; resumeFromNodes: string[]; code?: string },
    options: KmlfErrorOptions = {},
  ) {
    super(details.code ?? "run/node-failed", message, options);
    this.failedNode = details.failedNode;
    this.completedNodes = details.completedNodes;
    this.resumeFromNodes = details.resumeFromNodes;
  }
}
