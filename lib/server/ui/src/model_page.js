// A registered model's page (#/models/<name>): description, tags, aliases and its versions (stage,
// aliases, the run each came from), like MLflow's model page.
import { apiPost } from "./api.js";
import { clippedText, errorBox, formatTime, h, mount } from "./dom.js";
import { aliasPairs, apiSend, getModel, modelVersions, versionHash } from "./registry_api.js";
import { aliasChips, runLink, stageBadge, tagsEditor } from "./registry_widgets.js";
import { descriptionEditor } from "./editors.js";

/** Renders one registered model. */
export async function modelPage(container, route) {
  const { name } = route.params;
  const [model, versions] = await Promise.all([getModel(name), modelVersions(name)]);
  document.title = `${name} · Models · kmlf`;
  const problems = h("div", { testid: "model-errors" });
  const onError = (error) => mount(problems, errorBox(error.message ?? String(error)));
  // A success clears the failure shown before: a stale message would say the last edit failed.
  const onDone = () => problems.replaceChildren();
  const aliasesOf = new Map();
  for (const [alias, version] of aliasPairs(model)) {
    aliasesOf.set(version, [...(aliasesOf.get(version) ?? []), [alias, version]]);
  }
  const aliasSlot = h("span");
  let pairs = aliasPairs(model);
  const renderAliases = () =>
    mount(
      aliasSlot,
      pairs.length
        ? aliasChips(name, pairs, {
          onRemove: async (alias) => {
            try {
              await apiSend("DELETE", "registered-models/alias", { name, alias });
              pairs = pairs.filter(([a]) => a !== alias);
              onDone();
              renderAliases();
            } catch (error) {
              onError(error);
            }
          },
        })
        : h("span", { class: "muted" }, "No aliases: set one on a version's page."),
    );
  renderAliases();

  const versionRows = versions.map((v) =>
    h(
      "tr",
      { testid: "version-row", dataset: { version: v.version } },
      h(
        "td",
        {},
        h("a", { href: versionHash(name, v.version), testid: "version-link" }, `Version ${v.version}`),
      ),
      h("td", {}, formatTime(v.creation_timestamp)),
      h("td", {}, stageBadge(v.current_stage)),
      h("td", {}, aliasChips(name, aliasesOf.get(v.version) ?? [], { link: false })),
      h("td", {}, runLink(v.run_id)),
      h("td", {}, clippedText(v.description ?? "", "version-description")),
    )
  );

  const remove = async () => {
    if (!confirm(`Delete the registered model ${name} and all its versions?`)) return;
    try {
      await apiSend("DELETE", "registered-models/delete", { name });
      location.hash = "#/models";
    } catch (error) {
      onError(error);
    }
  };

  mount(
    container,
    h("nav", { class: "crumbs" }, h("a", { href: "#/models", testid: "models-crumb" }, "Models"), " / "),
    h(
      "div",
      { class: "title-row" },
      h("h1", { testid: "model-name" }, name),
      h("span", { class: "spacer" }),
      h("button", { testid: "delete-model", onclick: remove }, "Delete model"),
    ),
    problems,
    h(
      "table",
      { class: "grid-table kv", testid: "model-overview" },
      h(
        "tbody",
        {},
        h("tr", {}, h("td", {}, "Created"), h("td", {}, formatTime(model.creation_timestamp))),
        h("tr", {}, h("td", {}, "Last modified"), h("td", {}, formatTime(model.last_updated_timestamp))),
        h("tr", {}, h("td", {}, "Aliases"), h("td", {}, aliasSlot)),
      ),
    ),
    // Markdown, as MLflow's UI renders a registered model's description (the run page's editor).
    descriptionEditor({
      value: model.description ?? "",
      onSave: async (description) => {
        await apiSend("PATCH", "registered-models/update", { name, description });
        onDone();
      },
    }),
    h("h2", {}, `Versions (${versions.length})`),
    versions.length
      ? h(
        "table",
        { class: "grid-table", testid: "versions-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Version", "Registered at", "Stage", "Aliases", "Source run", "Description"].map((x) =>
              h("th", {}, x)
            ),
          ),
        ),
        h("tbody", {}, versionRows),
      )
      : h("p", { class: "muted" }, "No versions yet."),
    h("h2", {}, "Tags"),
    tagsEditor(model.tags ?? [], {
      onSet: (key, value) => apiPost("registered-models/set-tag", { name, key, value }),
      onDelete: (key) => apiSend("DELETE", "registered-models/delete-tag", { name, key }),
      onError,
      onDone,
    }),
  );
}
