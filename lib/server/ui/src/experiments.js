// Experiments list: every experiment (active or deleted), filtered by name as you type.
import { apiPost } from "./api.js";
import { errorBox, formatRelative, formatTime, h, mount } from "./dom.js";

async function allExperiments(viewType) {
  const experiments = [];
  let pageToken;
  do {
    const page = await apiPost("experiments/search", {
      max_results: 1000,
      view_type: viewType,
      order_by: ["last_update_time DESC"],
      page_token: pageToken,
    });
    experiments.push(...(page.experiments ?? []));
    pageToken = page.next_page_token;
  } while (pageToken);
  return experiments;
}

/** Renders the experiments page into `container`. */
export async function experimentsPage(container) {
  const search = h("input", {
    type: "search",
    placeholder: "Search experiments by name",
    testid: "experiment-search",
    class: "search",
  });
  const view = h(
    "select",
    { testid: "experiment-view" },
    h("option", { value: "ACTIVE_ONLY" }, "Active"),
    h("option", { value: "DELETED_ONLY" }, "Deleted"),
  );
  const body = h("tbody");
  const status = h("div", { class: "muted" });
  mount(
    container,
    h("h1", {}, "Experiments"),
    h("div", { class: "toolbar" }, search, view, status),
    h(
      "table",
      { class: "grid-table", testid: "experiments-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Name"),
          h("th", {}, "ID"),
          h("th", {}, "Created"),
          h("th", {}, "Last updated"),
        ),
      ),
      body,
    ),
  );
  let experiments = [];
  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = experiments.filter((e) => e.name.toLowerCase().includes(needle));
    status.textContent = `${shown.length} of ${experiments.length} experiments`;
    mount(
      body,
      shown.map((e) =>
        h(
          "tr",
          { testid: "experiment-row", dataset: { experimentId: e.experiment_id } },
          h(
            "td",
            {},
            h("a", {
              href: `#/experiments/${encodeURIComponent(e.experiment_id)}`,
              testid: "experiment-link",
            }, e.name),
          ),
          h("td", { class: "mono" }, e.experiment_id),
          h("td", { title: formatRelative(e.creation_time) }, formatTime(e.creation_time)),
          h("td", { title: formatRelative(e.last_update_time) }, formatTime(e.last_update_time)),
        )
      ),
    );
  };
  const load = async () => {
    try {
      experiments = await allExperiments(view.value);
      render();
    } catch (error) {
      mount(body, h("tr", {}, h("td", { colspan: 4 }, errorBox(error.message))));
    }
  };
  search.addEventListener("input", render);
  view.addEventListener("change", load);
  await load();
  search.focus();
  return {};
}
