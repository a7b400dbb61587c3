/**
 * Minimal MLflow 3 logged-model endpoints, so a current MLflow client's `log_model` works against
 * kmlf: create, get, finalize, delete, tags, params, search by simple equality filters, and listing
 * the model's artifacts. The MLflow 2.17 schema kmlf's stores use has no logged-model tables, so the
 * records live as JSON files beside the proxied artifacts (`<destination>/.kmlf/logged-models/`).
 *
 * @module
 */
import { join } from "../path.ts";
import { fileInfoToWire, mlflowError, recordFromWire, recordToWire } from "../tracking/mod.ts";
import type { KeyValueWire } from "../tracking/mod.ts";
import { int, objects, type RequestMessage, requiredStr, str, strList } from "./request_message.ts";
import type { ServerContext } from "./server_context.ts";
import { readTextFile, writeTextFile } from "../file_io.ts";
import { resolvesInside } from "../fs_utils.ts";
import {
  decodeLoggedModelToken,
  encodeLoggedModelToken,
  type LoggedModelQuery,
} from "./logged_model_pages.ts";

/** A logged model as stored (wire field names, ready to serve). */
interface LoggedModelRecord {
  model_id: string;
  experiment_id: string;
  name: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  artifact_uri: string;
  status: string;
  model_type?: string;
  source_run_id?: string;
  tags: Record<string, string>;
  params: Record<string, string>;
  deleted?: boolean;
}

/** `<experiment artifact location>/models/<id>/artifacts`, as MLflow's stores place a logged model. */
function modelArtifactUri(experimentLocation: string, modelId: string): string {
  return `${experimentLocation.replace(/\/+$/, "")}/models/${modelId}/artifacts`;
}

const STATUSES = ["LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"];

function dirOf(ctx: ServerContext): string {
  return join(ctx.stateDir, "logged-models");
}

// The records folder, or a record, planted as a symbolic link out of the server's state folder (by someone
// who can write beside the artifacts) holds no record of this server: nothing is read through it and nothing
// written there — the file store's rule for its own folders (lib/tracking/stores/file/folder_links.ts).
// A state folder that is itself a link (the operator's choice) is followed.
function recordPath(ctx: ServerContext, name: string): string | undefined {
  const path = join(dirOf(ctx), name);
  return resolvesInside(ctx.stateDir, path) ? path : undefined;
}

function plantedLink(ctx: ServerContext, modelId: string) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Cannot write logged model '${modelId}': the server's logged-model records folder ${
      dirOf(ctx)
    } (or the ` +
      "model's record) is a symbolic link leading out of the server's state folder.",
    "the server never follows links out of its state folder; remove the link or move its target in",
  );
}

function checkId(modelId: string): string {
  if (!/^m-[0-9a-f]{32}$/.test(modelId)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid logged model id '${modelId}'`,
      "ids look like m-<32 hex>",
    );
  }
  return modelId;
}

async function load(ctx: ServerContext, modelId: string, allowDeleted = false): Promise<LoggedModelRecord> {
  try {
    const path = recordPath(ctx, `${checkId(modelId)}.json`);
    if (path === undefined) throw new Deno.errors.NotFound();
    const record: LoggedModelRecord = JSON.parse(await readTextFile(path));
    if (record.deleted && !allowDeleted) throw new Deno.errors.NotFound();
    // A record edited on disk must not point the artifact listing elsewhere.
    const experiment = await ctx.store.getExperiment(record.experiment_id);
    if (
      record.model_id !== modelId ||
      record.artifact_uri !== modelArtifactUri(experiment.artifactLocation, modelId)
    ) {
      throw mlflowError(
        "INTERNAL_ERROR",
        `Logged model record ${modelId} is inconsistent; refusing to use it`,
      );
    }
    return record;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw mlflowError("RESOURCE_DOES_NOT_EXIST", `Logged model with ID '${modelId}' not found`);
    }
    throw error;
  }
}

async function save(ctx: ServerContext, record: LoggedModelRecord): Promise<void> {
  const path = recordPath(ctx, `${record.model_id}.json`);
  if (path === undefined) throw plantedLink(ctx, record.model_id);
  Deno.mkdirSync(dirOf(ctx), { recursive: true });
  // A fresh temp name: a link planted at a name known in advance would take the write out of the folder.
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await writeTextFile(temp, JSON.stringify(record));
  Deno.renameSync(temp, path);
}

function toWire(r: LoggedModelRecord) {
  const info: Record<string, unknown> = {
    model_id: r.model_id,
    experiment_id: r.experiment_id,
    name: r.name,
    creation_timestamp_ms: r.creation_timestamp_ms,
    last_updated_timestamp_ms: r.last_updated_timestamp_ms,
    artifact_uri: r.artifact_uri,
    status: r.status,
  };
  if (r.model_type) info.model_type = r.model_type;
  if (r.source_run_id) info.source_run_id = r.source_run_id;
  const tags = recordToWire(r.tags);
  if (tags.length) info.tags = tags;
  const params = recordToWire(r.params);
  return { info, data: params.length ? { params } : {} };
}

async function create(ctx: ServerContext, msg: RequestMessage) {
  const experiment = await ctx.store.getExperiment(requiredStr(msg, "experiment_id"));
  const modelId = `m-${crypto.randomUUID().replaceAll("-", "")}`;
  const now = Date.now();
  const record: LoggedModelRecord = {
    model_id: modelId,
    experiment_id: experiment.experimentId,
    name: str(msg, "name") || modelId,
    creation_timestamp_ms: now,
    last_updated_timestamp_ms: now,
    artifact_uri: modelArtifactUri(experiment.artifactLocation, modelId),
    status: "LOGGED_MODEL_PENDING",
    model_type: str(msg, "model_type"),
    source_run_id: str(msg, "source_run_id"),
    tags: recordFromWire(objects(msg, "tags") as unknown as KeyValueWire[]),
    params: recordFromWire(objects(msg, "params") as unknown as KeyValueWire[]),
  };
  await save(ctx, record);
  return { model: toWire(record) };
}

/** Equality clauses joined by AND, on the fields a client searches by (`name = 'm'`). */
function parseSimpleFilter(filter: string | undefined): [string, string][] {
  if (!filter?.trim()) return [];
  // AND outside quotes separates clauses: name = 'a AND b' is one clause.
  return filter.split(/\s+AND\s+(?=(?:[^'"]*(?:'[^']*'|"[^"]*"))*[^'"]*$)/i).map((clause) => {
    const m = clause.trim().match(/^(name|source_run_id|model_id|status|model_type)\s*=\s*(['"])(.*)\2$/);
    if (!m) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Unsupported logged-model filter clause: '${clause.trim()}'`,
        "kmlf supports equality on name, source_run_id, model_id, status and model_type, joined by AND",
      );
    }
    return [m[1], m[3]];
  });
}

async function search(ctx: ServerContext, msg: RequestMessage) {
  const experimentIds = new Set(strList(msg, "experiment_ids"));
  const clauses = parseSimpleFilter(str(msg, "filter"));
  const maxResults = int(msg, "max_results") ?? 50;
  if (maxResults < 1) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `max_results must be at least 1, got ${maxResults}`);
  }
  const models: LoggedModelRecord[] = [];
  try {
    const folder = recordPath(ctx, "") === undefined ? [] : Deno.readDirSync(dirOf(ctx));
    for (const entry of folder) {
      const path = entry.name.endsWith(".json") ? recordPath(ctx, entry.name) : undefined;
      if (path === undefined) continue;
      const record: LoggedModelRecord = JSON.parse(await readTextFile(path));
      if (record.deleted || !experimentIds.has(record.experiment_id)) continue;
      const fields = record as unknown as Record<string, unknown>;
      if (clauses.every(([field, value]) => fields[field] === value)) models.push(record);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  // Newest first; the id breaks ties so that pages neither repeat nor skip a model.
  models.sort((a, b) =>
    b.creation_timestamp_ms - a.creation_timestamp_ms || (a.model_id < b.model_id ? -1 : 1)
  );
  const query: LoggedModelQuery = {
    experimentIds: strList(msg, "experiment_ids"),
    filter: str(msg, "filter") ?? null,
    orderBy: msg.order_by === undefined ? null : objects(msg, "order_by"),
  };
  const start = decodeLoggedModelToken(str(msg, "page_token") || undefined, query);
  const end = start + maxResults;
  const page = models.slice(start, end);
  return {
    ...(page.length ? { models: page.map(toWire) } : {}),
    ...(end < models.length ? { next_page_token: encodeLoggedModelToken(query, end) } : {}),
  };
}

/**
 * Serves `/api/2.0/mlflow/logged-models[/…]`; `rest` is the part after `logged-models`.
 *
 * @example
 * ```ts
 * await handleLoggedModels(ctx, "POST", "", { experiment_id: "1", name: "model" });
 * ```
 */
export async function handleLoggedModels(
  ctx: ServerContext,
  method: string,
  rest: string,
  msg: RequestMessage,
): Promise<unknown> {
  // `rest` arrives percent-decoded (the handler routes on the decoded path).
  const parts = rest.split("/").filter(Boolean);
  if (parts.length === 0 && method === "POST") return await create(ctx, msg);
  if (parts[0] === "search" && method === "POST") return await search(ctx, msg);
  const [modelId, section, key] = parts;
  if (!modelId) throw mlflowError("ENDPOINT_NOT_FOUND", `No endpoint at logged-models/${rest}`);
  if (section === undefined) {
    if (method === "GET") {
      return { model: toWire(await load(ctx, modelId, str(msg, "allow_deleted") === "true")) };
    }
    const record = await load(ctx, modelId);
    if (method === "DELETE") {
      await save(ctx, { ...record, deleted: true, last_updated_timestamp_ms: Date.now() });
      return {};
    }
    if (method === "PATCH") {
      const status = requiredStr(msg, "status");
      if (!STATUSES.includes(status)) {
        throw mlflowError(
          "INVALID_PARAMETER_VALUE",
          `Invalid logged model status '${status}'`,
          `use one of ${STATUSES.join(", ")}`,
        );
      }
      const updated = { ...record, status, last_updated_timestamp_ms: Date.now() };
      await save(ctx, updated);
      return { model: toWire(updated) };
    }
  }
  const record = await load(ctx, modelId);
  if (section === "tags" && method === "PATCH") {
    Object.assign(record.tags, recordFromWire(objects(msg, "tags") as unknown as KeyValueWire[]));
    await save(ctx, record);
    return {};
  }
  if (section === "tags" && method === "DELETE" && key) {
    delete record.tags[key];
    await save(ctx, record);
    return {};
  }
  if (section === "params" && method === "POST") {
    Object.assign(record.params, recordFromWire(objects(msg, "params") as unknown as KeyValueWire[]));
    await save(ctx, record);
    return {};
  }
  if (section === "artifacts" && key === "directories" && method === "GET") {
    const files = await ctx.artifactRepository(record.artifact_uri).listArtifacts(
      str(msg, "artifact_directory_path"),
    );
    return { root_uri: record.artifact_uri, files: files.map(fileInfoToWire) };
  }
  throw mlflowError("ENDPOINT_NOT_FOUND", `No endpoint ${method} logged-models/${rest}`);
}
