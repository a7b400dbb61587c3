/**
 * `kmlf models serve`'s request handler: MLflow's scoring server routes (`/ping`, `/health`, `/version`,
 * `POST /invocations`) over a loaded model, as a plain `(Request) => Response` that tests call directly.
 * Every request predicts on its own catalog; a failing node answers 400 `BAD_REQUEST` (as MLflow's scoring
 * server answers any error of the model's `predict`) and the server keeps serving. Web pages are kept out
 * as by `kmlf server`: a foreign `Host` (DNS rebinding) and a POST from another site's page are refused.
 *
 * @module
 */
import { KmlfError } from "../errors.ts";
import { timerDelay } from "../timer_delay.ts";
import { hostRefusal } from "../allowed_hosts.ts";
import { withOriginPolicy } from "../cross_origin.ts";
import { MLMODEL_FORMAT_VERSION } from "../tracking/models/mlmodel.ts";
import { pythonJson } from "../tracking/models/signature.ts";
import type { KmlfModel } from "./load_model.ts";
import { ScoringError } from "./scoring_error.ts";
import { readScoringBody } from "./request_body.ts";
import { contentKind, parseScoringBody, predictionsBody } from "./scoring_protocol.ts";
import { jsonablePredictions } from "./predictions_json.ts";

/** Options of {@link scoringHandler}. */
export interface ScoringHandlerOptions {
  /** Largest request body in bytes (default 16 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** A prediction taking longer answers 504 (default 60 s, MLflow's MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT). */
  timeoutMs?: number;
  /** Host names accepted when bound to loopback (DNS-rebinding protection); undefined accepts any. */
  allowedHosts?: readonly string[];
  /**
   * Origins (`*` patterns; `*` alone for any) whose pages may POST here besides the server's own; other
   * cross-origin POSTs are refused (lib/cross_origin.ts). Default: localhost origins, as `kmlf server`.
   */
  corsAllowedOrigins?: readonly string[];
}

/** The default request body limit: 16 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

const JSON_TYPE = { "content-type": "application/json" };

/**
 * Creates the scoring handler.
 *
 * @example
 * ```ts
 * const handler = scoringHandler(await loadModel("runs:/…/model", { store }));
 * const res = await handler(new Request("http://localhost/invocations", { method: "POST",
 *   headers: { "content-type": "application/json" }, body: '{"dataframe_records": [{"x": 1}]}' }));
 * ```
 */
export function scoringHandler(
  model: KmlfModel,
  options: ScoringHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Before anything reads the body: a cross-site page's POST is refused unread.
  return withOriginPolicy(async (request) => {
    const url = new URL(request.url);
    const foreignHost = hostRefusal(request, options.allowedHosts);
    if (foreignHost) return errorResponse(new ScoringError(403, foreignHost.error_code, foreignHost.message));
    const path = url.pathname;
    if (path === "/ping" || path === "/health" || path === "/version") {
      if (request.method !== "GET" && request.method !== "HEAD") return notAllowed();
      return new Response(path === "/version" ? MLMODEL_FORMAT_VERSION : "\n", { headers: JSON_TYPE });
    }
    if (path !== "/invocations") {
      return new Response('{"detail":"Not Found"}', { status: 404, headers: JSON_TYPE });
    }
    if (request.method !== "POST") return notAllowed();
    try {
      const kind = contentKind(request.headers.get("content-type"));
      const body = await readScoringBody(request, maxBody);
      const input = await parseScoringBody(body, kind, model.signature?.inputs, {
        llmParams: (model.signature?.params ?? []).map((p) => p.name),
      });
      const predictions = await withTimeout(
        model.predict(input.data, input.params, input.columns, input.quote),
        timeoutMs,
      );
      const text = input.llm ? pythonJson(jsonablePredictions(predictions)) : predictionsBody(predictions);
      return new Response(text, { headers: JSON_TYPE });
    } catch (error) {
      return errorResponse(error);
    }
  }, options.corsAllowedOrigins);
}

function notAllowed(): Response {
  return new Response('{"detail":"Method Not Allowed"}', { status: 405, headers: JSON_TYPE });
}

/**
 * MLflow's error answer: `{"error_code", "message"}`, plus `"stack_trace"` when the model failed while
 * predicting (415 is plain text, as MLflow's).
 *
 * @example
 * ```ts
 * errorResponse(new ScoringError(400, "BAD_REQUEST", "Invalid input."));
 * ```
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof ScoringError) {
    if (error.status === 415) {
      return new Response(error.message, {
        status: 415,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    return new Response(pythonJson({ error_code: error.errorCode, message: error.message }), {
      status: error.status,
      headers: JSON_TYPE,
    });
  }
  // A node (or a dataset) failed. MLflow 2.17's scoring server answers any error of `predict` with 400
  // BAD_REQUEST, its fixed sentence and a `stack_trace` (mlflow/pyfunc/scoring_server: clients match on them);
  // kmlf's detail (the node and its error) follows the sentence. The cause's text is added only when the
  // message does not already carry it (a node's error quotes it).
  const cause = error instanceof KmlfError ? error.cause : undefined;
  const causeText = cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
  const detail = error instanceof KmlfError
    ? causeText && !error.message.includes(causeText) ? `${error.message}: ${causeText}` : error.message
    : error instanceof Error
    ? error.message
    : String(error);
  return new Response(
    pythonJson({
      error_code: "BAD_REQUEST",
      message: `${PREDICT_FAILED} ${detail}`,
      stack_trace: stackTrace(cause ?? error),
    }),
    { status: 400, headers: JSON_TYPE },
  );
}

/** MLflow 2.17's words for an error raised by the model while it predicts. */
const PREDICT_FAILED = "Encountered an unexpected error while evaluating the model. Verify that the " +
  "serialized input Dataframe is compatible with the model for inference.";

// The failing code's stack, as MLflow sends Python's traceback: the user's error where a node threw one.
function stackTrace(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ScoringError(
            504,
            "TIMEOUT",
            `The prediction took longer than ${ms / 1000} s and was abandoned`,
          ),
        ),
      timerDelay(ms),
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
