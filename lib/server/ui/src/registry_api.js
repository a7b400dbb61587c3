// Model registry calls (ajax-api, like MLflow's UI) and the registry's page addresses.
import { apiGet, apiPost, decode, serverFetch } from "./api.js";

const BASE = "ajax-api/2.0/mlflow/";

/** PATCH or DELETE a JSON body (the registry's update and delete calls). */
export async function apiSend(method, endpoint, body) {
  return await decode(
    await serverFetch(BASE + endpoint, {
      method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * A value quoted for a registry filter, a backslash before each quote and backslash: it's → 'it\'s'. Doubled
 * quotes ('it''s') cannot write a name holding a backslash before a quote (a\'b), which the filter reads as
 * an escaped quote.
 */
export function quote(value) {
  return `'${String(value).replace(/[\\']/g, "\\$&")}'`;
}

/** `#/models/<name>`. */
export function modelHash(name) {
  return `#/models/${encodeURIComponent(name)}`;
}

/** `#/models/<name>/versions/<version>`. */
export function versionHash(name, version) {
  return `${modelHash(name)}/versions/${encodeURIComponent(version)}`;
}

/** One page of registered models matching a name fragment, by name. */
export async function searchModels(text, pageToken) {
  const page = await apiGet("registered-models/search", {
    filter: text ? `name ILIKE ${quote(`%${text}%`)}` : undefined,
    max_results: 100,
    order_by: ["name ASC"],
    page_token: pageToken,
  });
  // MLflow's ILIKE has no escape character: a typed % or _ is a wildcard there, so names are checked here.
  const needle = text.toLowerCase();
  if (needle) {
    page.registered_models = (page.registered_models ?? []).filter((m) =>
      m.name.toLowerCase().includes(needle)
    );
  }
  return page;
}

/** The names of every registered model, by name, following page tokens (the register form's suggestions). */
export async function allModelNames() {
  const names = [];
  let pageToken;
  do {
    const page = await apiGet("registered-models/search", {
      max_results: 1000,
      order_by: ["name ASC"],
      page_token: pageToken,
    });
    for (const m of page.registered_models ?? []) names.push(m.name);
    pageToken = page.next_page_token;
  } while (pageToken);
  return names;
}

/** A registered model. */
export async function getModel(name) {
  return (await apiGet("registered-models/get", { name })).registered_model;
}

/** Every version of a model, newest first. */
export async function modelVersions(name) {
  const versions = [];
  let pageToken;
  do {
    const page = await apiGet("model-versions/search", {
      filter: `name = ${quote(name)}`,
      order_by: ["version_number DESC"],
      max_results: 1000,
      page_token: pageToken,
    });
    versions.push(...(page.model_versions ?? []));
    pageToken = page.next_page_token;
  } while (pageToken);
  return versions;
}

/** One version. */
export async function getVersion(name, version) {
  return (await apiGet("model-versions/get", { name, version })).model_version;
}

/**
 * Creates the model when it is new (an existing one is fine), then a version from the run's files. A
 * refused version removes the model this call created, so a failed registration leaves nothing behind.
 */
export async function registerModel(name, source, runId) {
  let created = false;
  try {
    await apiPost("registered-models/create", { name });
    created = true;
  } catch (error) {
    if (error.code !== "RESOURCE_ALREADY_EXISTS") throw error;
  }
  try {
    return (await apiPost("model-versions/create", { name, source, run_id: runId })).model_version;
  } catch (error) {
    if (created) {
      const model = await getModel(name).catch(() => undefined);
      if (model && !(model.latest_versions ?? []).length) {
        await apiSend("DELETE", "registered-models/delete", { name }).catch(() => {});
      }
    }
    throw error;
  }
}

/** alias → version of a model, as [alias, version] pairs sorted by alias. */
export function aliasPairs(model) {
  return (model.aliases ?? []).map((a) => [a.alias, a.version]).sort((a, b) => a[0].localeCompare(b[0]));
}
