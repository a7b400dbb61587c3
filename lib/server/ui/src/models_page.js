// The Models page (#/models): registered models found by name, with their latest version per stage
// and their aliases, like MLflow's model registry list.
import { clippedText, debounce, errorBox, formatTime, h, mount } from "./dom.js";
import { aliasPairs, modelHash, searchModels, versionHash } from "./registry_api.js";
import { aliasChips, stageBadge } from "./registry_widgets.js";
import { markBusy, showPageError } from "./busy_button.js";

/** Renders the Models page. */
export async function modelsPage(container, route) {
  document.title = "Models · kmlf";
  const search = h("input", {
    type: "search",
    class: "search",
    placeholder: "Search models by name",
    testid: "models-search",
    value: route.query.get("q") ?? "",
  });
  const body = h("tbody");
  const status = h("p", { class: "muted", testid: "models-count" });
  const more = h("button", { testid: "models-more", hidden: true }, "Load more");
  let token;
  let generation = 0;

  const row = (m) => {
    const latest = m.latest_versions ?? [];
    const newest = latest.reduce((a, v) => (!a || Number(v.version) > Number(a.version) ? v : a), undefined);
    return h(
      "tr",
      { testid: "model-row", dataset: { name: m.name } },
      h("td", {}, h("a", { href: modelHash(m.name), testid: "model-link" }, m.name)),
      h(
        "td",
        {},
        newest
          ? h(
            "a",
            { href: versionHash(m.name, newest.version), testid: "latest-version" },
            `v${newest.version}`,
          )
          : "—",
      ),
      h(
        "td",
        {},
        latest.filter((v) => v.current_stage && v.current_stage !== "None").map((v) =>
          h(
            "span",
            { class: "stage-pair" },
            stageBadge(v.current_stage),
            " ",
            h("a", { href: versionHash(m.name, v.version) }, `v${v.version}`),
          )
        ),
      ),
      h("td", {}, aliasChips(m.name, aliasPairs(m))),
      h("td", {}, formatTime(m.last_updated_timestamp)),
      h(
        "td",
        { class: "muted" },
        clippedText((m.tags ?? []).map((t) => `${t.key}: ${t.value}`).join("\n"), "model-tags"),
      ),
    );
  };

  const load = async (reset) => {
    const mine = reset ? ++generation : generation;
    if (reset) {
      token = undefined;
      body.replaceChildren();
      status.textContent = "Searching…"; // not the old search's count while the new one runs
    }
    markBusy(more, true); // a second click would ask for the same page again and list it twice
    try {
      const page = await searchModels(search.value.trim(), token);
      if (mine !== generation) return;
      for (const m of page.registered_models ?? []) body.append(row(m));
      token = page.next_page_token;
      showPageError(more);
      more.hidden = !token;
      const n = body.childElementCount;
      status.textContent = n === 0
        ? (search.value ? "No model matches." : "No registered models yet: register one from a run's page.")
        : `${n}${token ? "+" : ""} model${n === 1 ? "" : "s"}`;
    } catch (error) {
      if (mine !== generation) return;
      // A next page: the models listed and their count stay, the error is said beside Load more (a retry).
      if (reset) {
        more.hidden = true;
        showPageError(more);
        mount(status, errorBox(error.message));
      } else showPageError(more, error);
    } finally {
      if (mine === generation) markBusy(more, false);
    }
  };

  search.addEventListener(
    "input",
    debounce(() => {
      const q = search.value.trim();
      history.replaceState(null, "", q ? `#/models?q=${encodeURIComponent(q)}` : "#/models");
      void load(true);
    }, 250),
  );
  more.addEventListener("click", () => void load(false));

  mount(
    container,
    h("div", { class: "title-row" }, h("h1", {}, "Registered models")),
    h("div", { class: "toolbar" }, search),
    h(
      "table",
      { class: "grid-table models-table", testid: "models-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Name", "Latest version", "Stages", "Aliases", "Last modified", "Tags"].map((x) => h("th", {}, x)),
        ),
      ),
      body,
    ),
    status,
    more,
  );
  await load(true);
}
