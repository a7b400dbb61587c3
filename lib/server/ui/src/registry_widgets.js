// Pieces of the registry pages: alias chips, stage badges, a tags editor, a description editor and
// links to the run a version came from.
import { getRun } from "./api.js";
import { h, mount, valueText } from "./dom.js";
import { versionHash } from "./registry_api.js";

/** A chip per alias; with `onRemove`, each chip has a × button. */
export function aliasChips(name, pairs, { onRemove, link = true } = {}) {
  return h(
    "span",
    { class: "alias-chips", testid: "alias-chips" },
    pairs.map(([alias, version]) =>
      h(
        "span",
        { class: "alias-chip", testid: "alias-chip", dataset: { alias, version } },
        "@",
        alias,
        link ? [" → ", h("a", { href: versionHash(name, version) }, `v${version}`)] : null,
        onRemove
          ? h("button", {
            class: "chip-remove",
            title: `Remove alias ${alias}`,
            testid: "alias-remove",
            onclick: () => onRemove(alias),
          }, "×")
          : null,
      )
    ),
  );
}

/** A version's stage as a badge ("None" is shown muted). */
export function stageBadge(stage) {
  const value = stage || "None";
  return h("span", { class: `stage stage-${value.toLowerCase()}`, testid: "version-stage" }, value);
}

/** A link to the run a version came from (its experiment looked up); the id alone when it is gone. */
export function runLink(runId) {
  if (!runId) return "—";
  const slot = h("span", { class: "mono", testid: "source-run" }, runId);
  getRun(runId).then(
    (run) =>
      mount(
        slot,
        h("a", {
          href: `#/experiments/${encodeURIComponent(run.info.experiment_id)}/runs/${
            encodeURIComponent(runId)
          }`,
          testid: "source-run-link",
        }, run.info.run_name || runId),
      ),
    () => {},
  );
  return slot;
}

/**
 * A tags table with add and remove; `onSet(key, value)` / `onDelete(key)` save and resolve; `onError`
 * shows a failure, `onDone` runs after each success (the page clears the failure shown before).
 */
export function tagsEditor(tags, { onSet, onDelete, onError, onDone }) {
  const el = h("div", { class: "tags-editor" });
  const render = () => {
    const key = h("input", { class: "search", placeholder: "key", testid: "tag-key" });
    const value = h("input", { class: "search", placeholder: "value", testid: "tag-value" });
    const add = async () => {
      if (!key.value) return;
      try {
        await onSet(key.value, value.value);
        tags = [...tags.filter((t) => t.key !== key.value), { key: key.value, value: value.value }];
        onDone?.();
        render();
      } catch (error) {
        onError(error);
      }
    };
    mount(
      el,
      h(
        "table",
        { class: "grid-table kv", testid: "tags-table" },
        h(
          "tbody",
          {},
          [...tags].sort((a, b) => a.key.localeCompare(b.key)).map((t) =>
            h(
              "tr",
              { testid: "tag-row" },
              h("td", {}, t.key),
              h("td", {}, valueText(t.value)),
              h(
                "td",
                {},
                h("button", {
                  testid: "tag-remove",
                  title: `Remove tag ${t.key}`,
                  onclick: async () => {
                    try {
                      await onDelete(t.key);
                      tags = tags.filter((x) => x.key !== t.key);
                      onDone?.();
                      render();
                    } catch (error) {
                      onError(error);
                    }
                  },
                }, "×"),
              ),
            )
          ),
        ),
      ),
      h("div", { class: "toolbar" }, key, value, h("button", { testid: "tag-add", onclick: add }, "Add tag")),
    );
  };
  render();
  return el;
}
