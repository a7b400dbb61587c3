/**
 * Endpoints MLflow serves under `/ajax-api/2.0/mlflow/` only, for its web UI, outside the proto
 * RPCs: the bulk metric history and the UI's artifact upload. (`experiments/search-datasets` is
 * an RPC, but ajax-only too.)
 *
 * @module
 */
import { posix } from "../path.ts";
import { mlflowError } from "../tracking/mod.ts";
import { validateArtifactPathParam } from "./artifact_paths.ts";
import { checkServerWritableRoot } from "./artifact_location_rule.ts";
import { historyBulk } from "./metric_bulk.ts";
import { readBodyLimited } from "./request_message.ts";
import { jsonResponse } from "./responses.ts";
import type { ServerContext } from "./server_context.ts";
import { runArtifactRoot } from "./run_artifact_root.ts";

/** A route that reads the request itself. */
export interface AjaxRoute {
  methods: readonly string[];
  handle(ctx: ServerContext, request: Request, url: URL, maxUploadBytes: number): Promise<Response>;
}

/** RPCs MLflow registers under `/ajax-api/` only (`/api/…` answers 404). */
export const AJAX_ONLY: ReadonlySet<string> = new Set(["experiments/search-datasets"]);

/** The UI's upload limit (MLflow's `upload_artifact_handler`). */
const MAX_UI_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * `POST /ajax-api/2.0/mlflow/upload-artifact?run_uuid=…&path=…` with the file's bytes as the body:
 * writes one artifact of a run (at most 10 MB), as the MLflow UI does for evaluation results.
 */
async function uploadArtifact(ctx: ServerContext, request: Request, url: URL): Promise<Response> {
  const runId = url.searchParams.get("run_uuid");
  if (!runId) throw mlflowError("INVALID_PARAMETER_VALUE", "Request must specify run_uuid.");
  const rawPath = url.searchParams.get("path");
  if (!rawPath) throw mlflowError("INVALID_PARAMETER_VALUE", "Request must specify path.");
  const path = posix.normalize(validateArtifactPathParam(rawPath));
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UI_UPLOAD_BYTES) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Artifact size is too large. Max size is 10MB.");
  }
  const data = await readBodyLimited(request, MAX_UI_UPLOAD_BYTES).catch((error) => {
    if ((error as { httpStatus?: number }).httpStatus === 413) {
      throw mlflowError("INVALID_PARAMETER_VALUE", "Artifact size is too large. Max size is 10MB.");
    }
    throw error;
  });
  if (data.byteLength === 0) throw mlflowError("INVALID_PARAMETER_VALUE", "Request must specify data.");
  const run = await ctx.store.getRun(runId);
  const root = runArtifactRoot(run);
  checkServerWritableRoot(runId, root, ctx.servedRoots, ctx.cwd);
  await ctx.artifactRepository(root).writeArtifact(path, data);
  return new Response(null, { headers: { "content-type": "application/json" } });
}

/** The ajax-only routes by path under `/ajax-api/2.0/mlflow/`. */
export const AJAX_ROUTES: Readonly<Record<string, AjaxRoute>> = {
  "metrics/get-history-bulk": {
    methods: ["GET"],
    handle: async (ctx, _request, url) => jsonResponse(await historyBulk(ctx.store, url.searchParams)),
  },
  "upload-artifact": { methods: ["POST"], handle: uploadArtifact },
};
