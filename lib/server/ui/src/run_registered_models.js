// The run page's "Registered models" row: the model versions whose source run is this run, found the way
// MLflow's run page finds them (model-versions/search with `run_id = '<id>'`), each linking to its page.
import { apiGet } from "./api.js";
import { h, mount } from "./dom.js";
import { quote, versionHash } from "./registry_api.js";
import { aliasChips, stageBadge } from "./registry_widgets.js";

/** Every model version registered from the run (following page tokens), by model name then version. */
export async function versionsOfRun(runId) {
  const versions = [];
  let pageToken;
  do {
    const page = await apiGet("model-versions/search", {
      filter: `run_id = ${quote(runId)}`,
      max_results: 1000,
      page_token: pageToken,
    });
    versions.push(...(page.model_versions ?? []));
    pageToken = page.next_page_token;
  } while (pageToken);
  return versions.sort((a, b) => a.name.localeCompare(b.name) || Number(a.version) - Number(b.version));
}

function versionLink(v) {
  const stage = v.current_stage && v.current_stage !== "None" ? v.current_stage : "";
  return h(
    "span",
    { class: "registered-version", testid: "run-registered-version", dataset: { name: v.name } },
    h("a", { href: versionHash(v.name, v.version), title: v.source ?? "" }, `${v.name} v${v.version}`),
    stage ? [" ", stageBadge(stage)] : null,
    v.aliases?.length ? [" ", aliasChips(v.name, v.aliases.map((a) => [a, v.version]))] : null,
  );
}

/**
 * The overview cell listing the run's registered model versions; `refresh()` reads them again (after a
 * registration from the page). A server without a model registry answers 404: the row then says so.
 */
export function registeredModelsCell(runId) {
  const el = h("span", { testid: "run-registered-models" }, "…");
  const refresh = async () => {
    try {
      const versions = await versionsOfRun(runId);
      mount(el, versions.length ? versions.flatMap((v, i) => [i ? " " : "", versionLink(v)]) : "—");
    } catch (error) {
      mount(
        el,
        h(
          "span",
          { class: "error-text", testid: "run-registered-models-error" },
          `Cannot read the model registry: ${error.message ?? error}`,
        ),
      );
    }
  };
  void refresh();
  return { el, refresh };
}
