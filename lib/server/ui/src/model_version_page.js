// A model version's page (#/models/<name>/versions/<v>): stage, aliases (set and remove), the run it
// came from, its source and download URI, description and tags.
import { apiGet, apiPost } from "./api.js";
import { errorBox, formatTime, h, mount } from "./dom.js";
import { aliasPairs, apiSend, getModel, getVersion, modelHash } from "./registry_api.js";
import { aliasChips, runLink, stageBadge, tagsEditor } from "./registry_widgets.js";
import { descriptionEditor } from "./editors.js";

const STAGES = ["None", "Staging", "Production", "Archived"];

/** Renders one model version. */
export async function modelVersionPage(container, route) {
  const { name, version } = route.params;
  const [model, mv] = await Promise.all([getModel(name), getVersion(name, version)]);
  const { artifact_uri: downloadUri } = await apiGet("model-versions/get-download-uri", { name, version });
  document.title = `${name} v${version} · kmlf`;
  const problems = h("div", { testid: "version-errors" });
  const onError = (error) => mount(problems, errorBox(error.message ?? String(error)));
  // A success clears the failure shown before: a stale message would say the last edit failed.
  const onDone = () => problems.replaceChildren();

  let pairs = aliasPairs(model).filter(([, v]) => v === mv.version);
  const aliasSlot = h("span");
  const renderAliases = () =>
    mount(
      aliasSlot,
      aliasChips(name, pairs, {
        link: false,
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
      }),
    );
  renderAliases();
  const aliasInput = h("input", {
    class: "search",
    placeholder: "alias, e.g. champion",
    testid: "alias-input",
  });
  const addAlias = async () => {
    const alias = aliasInput.value.trim();
    if (!alias) return;
    try {
      await apiPost("registered-models/alias", { name, alias, version: mv.version });
      pairs = [...pairs.filter(([a]) => a !== alias), [alias, mv.version]].sort((a, b) =>
        a[0].localeCompare(b[0])
      );
      aliasInput.value = "";
      onDone();
      renderAliases();
    } catch (error) {
      onError(error);
    }
  };
  aliasInput.addEventListener("keydown", (e) => e.key === "Enter" && void addAlias());

  const stageSlot = h("span", {}, stageBadge(mv.current_stage));
  const stageSelect = h(
    "select",
    { testid: "stage-select", "aria-label": "Move to stage" },
    STAGES.map((s) => h("option", { value: s, selected: s === mv.current_stage }, s)),
  );
  const archive = h("input", { type: "checkbox", testid: "archive-existing" });
  const transition = async () => {
    try {
      const { model_version: moved } = await apiPost("model-versions/transition-stage", {
        name,
        version: mv.version,
        stage: stageSelect.value,
        archive_existing_versions: archive.checked,
      });
      mount(stageSlot, stageBadge(moved.current_stage));
      onDone();
    } catch (error) {
      onError(error);
    }
  };

  mount(
    container,
    h(
      "nav",
      { class: "crumbs" },
      h("a", { href: "#/models" }, "Models"),
      " / ",
      h("a", { href: modelHash(name), testid: "model-crumb" }, name),
      " / ",
    ),
    h("div", { class: "title-row" }, h("h1", { testid: "version-title" }, `${name} · Version ${mv.version}`)),
    problems,
    h(
      "table",
      { class: "grid-table kv", testid: "version-overview" },
      h(
        "tbody",
        {},
        [
          ["Registered at", formatTime(mv.creation_timestamp)],
          ["Last modified", formatTime(mv.last_updated_timestamp)],
          [
            "Stage",
            h(
              "span",
              { class: "toolbar" },
              stageSlot,
              stageSelect,
              h("label", { class: "check" }, archive, "archive the versions in that stage"),
              h("button", { testid: "stage-apply", onclick: transition }, "Move"),
            ),
          ],
          [
            "Aliases",
            h(
              "span",
              { class: "toolbar" },
              aliasSlot,
              aliasInput,
              h("button", { testid: "alias-add", onclick: addAlias }, "Set alias"),
            ),
          ],
          ["Source run", runLink(mv.run_id)],
          ["Source", h("span", { class: "mono", testid: "version-source" }, mv.source ?? "")],
          ["Download URI", h("span", { class: "mono" }, downloadUri ?? "")],
          ["Status", mv.status ?? ""],
        ].map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v))),
      ),
    ),
    descriptionEditor({
      value: mv.description ?? "",
      onSave: async (description) => {
        await apiSend("PATCH", "model-versions/update", { name, version: mv.version, description });
        onDone();
      },
    }),
    h("h2", {}, "Tags"),
    tagsEditor(mv.tags ?? [], {
      onSet: (key, value) => apiPost("model-versions/set-tag", { name, version: mv.version, key, value }),
      onDelete: (key) => apiSend("DELETE", "model-versions/delete-tag", { name, version: mv.version, key }),
      onError,
      onDone,
    }),
  );
}
