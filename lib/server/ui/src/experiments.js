// Experiments list: every experiment (Active or Deleted view), filtered by name as you type; create,
// rename, delete and restore, with the server's error message shown when it refuses (e.g. a duplicate
// name).
import { apiPost, forgetExperiment } from "./api.js";
import { countOf, errorBox, formatRelative, formatTime, h, mount } from "./dom.js";

/** Every experiment of a view (ACTIVE_ONLY or DELETED_ONLY), most recently updated first. */
export async function allExperiments(viewType) {
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
  const newName = h("input", {
    type: "text",
    placeholder: "New experiment name",
    testid: "new-experiment-name",
    class: "search",
  });
  const createButton = h("button", { testid: "create-experiment" }, "Create");
  const body = h("tbody");
  const status = h("div", { class: "muted", testid: "experiments-count" });
  const errorSlot = h("div");
  mount(
    container,
    h("h1", {}, "Experiments"),
    h("div", { class: "toolbar" }, search, view, status),
    h("form", { class: "toolbar", testid: "create-experiment-form" }, newName, createButton),
    errorSlot,
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
          h("th", {}, ""),
        ),
      ),
      body,
    ),
  );
  let experiments = [];
  let listView = view.value; // the view `experiments` belong to (buttons follow it, not the select)
  let editing; // experiment id whose name is being edited

  /** Runs a change against the server; on success reloads, on failure shows the server's message. */
  const change = async (endpoint, request) => {
    mount(errorSlot);
    try {
      await apiPost(endpoint, request);
      forgetExperiment(request.experiment_id);
      return true;
    } catch (error) {
      mount(errorSlot, errorBox(error.message, "experiment-error"));
      return false;
    }
  };

  const nameCell = (e) => {
    if (editing !== e.experiment_id) {
      return h("a", {
        href: `#/experiments/${encodeURIComponent(e.experiment_id)}`,
        testid: "experiment-link",
      }, e.name);
    }
    const input = h("input", { type: "text", value: e.name, testid: "rename-input", class: "search" });
    const save = async () => {
      const name = input.value.trim();
      if (name === e.name) return cancel();
      if (await change("experiments/update", { experiment_id: e.experiment_id, new_name: name })) {
        editing = undefined;
        await load();
      }
    };
    const cancel = () => {
      editing = undefined;
      render();
    };
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") void save();
      if (ev.key === "Escape") cancel();
    });
    queueMicrotask(() => input.select());
    return h(
      "span",
      { class: "inline-edit" },
      input,
      h("button", { testid: "rename-save", onclick: save }, "Save"),
      h("button", { testid: "rename-cancel", onclick: cancel }, "Cancel"),
    );
  };

  const actions = (e) => {
    if (listView === "DELETED_ONLY") {
      return h("button", {
        testid: "restore-experiment",
        onclick: async () => {
          if (await change("experiments/restore", { experiment_id: e.experiment_id })) await load();
        },
      }, "Restore");
    }
    return h(
      "span",
      { class: "row-actions" },
      h("button", {
        testid: "rename-experiment",
        onclick: () => {
          editing = e.experiment_id;
          render();
        },
      }, "Rename"),
      h("button", {
        testid: "delete-experiment",
        onclick: async () => {
          if (!confirm(`Delete experiment "${e.name}"? Its runs move to the Deleted view with it.`)) return;
          if (await change("experiments/delete", { experiment_id: e.experiment_id })) await load();
        },
      }, "Delete"),
    );
  };

  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = experiments.filter((e) => e.name.toLowerCase().includes(needle));
    status.textContent = `${shown.length} of ${countOf(experiments.length, "experiment")}`;
    mount(
      body,
      shown.map((e) =>
        h(
          "tr",
          { testid: "experiment-row", dataset: { experimentId: e.experiment_id, name: e.name } },
          h("td", {}, nameCell(e)),
          h("td", { class: "mono" }, e.experiment_id),
          h("td", { title: formatRelative(e.creation_time) }, formatTime(e.creation_time)),
          h("td", { title: formatRelative(e.last_update_time) }, formatTime(e.last_update_time)),
          h("td", {}, actions(e)),
        )
      ),
    );
  };
  // Each load is a generation: only the latest one draws, so a slow answer for a view left meanwhile
  // (Active → Deleted → Active) never shows that view's list under the other view's buttons.
  let generation = 0;
  let loaded = false; // a list of `listView` is on screen
  const load = async () => {
    const mine = ++generation;
    const wanted = view.value;
    try {
      const list = await allExperiments(wanted);
      if (mine !== generation) return;
      experiments = list;
      listView = wanted;
      loaded = true;
      if (errorSlot.querySelector("[data-testid=experiments-reload-error]")) mount(errorSlot);
      render();
    } catch (error) {
      if (mine !== generation) return;
      // A failed reload of the list on screen (after a create or rename) keeps it, and says so above it.
      if (loaded && listView === wanted) {
        return void mount(
          errorSlot,
          errorBox(`Could not reload the experiments: ${error.message}`, "experiments-reload-error"),
        );
      }
      loaded = false;
      mount(body, h("tr", {}, h("td", { colspan: 5 }, errorBox(error.message))));
    }
  };
  search.addEventListener("input", render);
  view.addEventListener("change", () => {
    editing = undefined;
    mount(errorSlot);
    void load();
  });
  container.querySelector("form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = newName.value.trim();
    if (!name) {
      return void mount(
        errorSlot,
        errorBox("Cannot create an experiment: the name is empty", "experiment-error"),
      );
    }
    if (await change("experiments/create", { name })) {
      newName.value = "";
      view.value = "ACTIVE_ONLY";
      await load();
    }
  });
  await load();
  search.focus();
  return {};
}
