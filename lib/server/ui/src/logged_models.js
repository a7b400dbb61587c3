// The run page's "Logged models" section: every model recorded in the run's `mlflow.log-model.history`
// tag (as MLflow 2.17 writes it), with its flavors, signature, input example and the exact command that
// serves it. Reads MLmodel and input_example.json through the artifact route; all text via text nodes.
import { artifactUrl } from "./api.js";
import { h, mount } from "./dom.js";

/** The entries of a run's `mlflow.log-model.history` tag (newest last); [] when absent or malformed. */
export function loggedModels(tags) {
  try {
    const list = JSON.parse(tags.get("mlflow.log-model.history") ?? "[]");
    return Array.isArray(list) ? list.filter((m) => m && typeof m.artifact_path === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The `signature` block of an MLmodel file: `{inputs, outputs, params}` as parsed column/param specs
 * (null when absent). Reads the YAML scalar forms MLflow and kmlf write (quoted, folded or plain).
 */
export function mlmodelSignature(text) {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^signature:\s*$/.test(l));
  if (start < 0) return null;
  const result = { inputs: null, outputs: null, params: null };
  for (let i = start + 1; i < lines.length && /^\s/.test(lines[i]); i++) {
    const m = lines[i].match(/^ {2}(inputs|outputs|params):\s*(.*)$/);
    if (!m) continue;
    let value = m[2];
    let j = i + 1;
    const parts = value === ">-" || value === "|-" ? [] : [value];
    while (j < lines.length && /^ {4}/.test(lines[j])) parts.push(lines[j++].trim());
    value = parts.join(" ").trim();
    if (value.startsWith("'")) value = value.slice(1, -1).replace(/''/g, "'");
    else if (value.startsWith('"')) value = JSON.parse(value);
    try {
      result[m[1]] = value === "null" || value === "" ? null : JSON.parse(value);
    } catch {
      result[m[1]] = null;
    }
  }
  return result;
}

function typeText(type) {
  if (typeof type === "string") return type;
  if (type?.type === "array") return `array<${typeText(type.items)}>`;
  if (type?.type === "object") return "object";
  return JSON.stringify(type);
}

function specTable(specs, testid, withDefault) {
  return h(
    "table",
    { class: "grid-table kv", testid },
    h(
      "thead",
      {},
      h("tr", {}, ["Name", "Type", withDefault ? "Default" : "Required"].map((c) => h("th", {}, c))),
    ),
    h(
      "tbody",
      {},
      specs.map((s) =>
        h(
          "tr",
          {},
          h("td", { class: "mono" }, s.name ?? "(unnamed)"),
          h("td", {}, typeText(s.type) + (s.shape ? "[]" : "")),
          h(
            "td",
            {},
            withDefault ? JSON.stringify(s.default) : s.required === false ? "optional" : "required",
          ),
        )
      ),
    ),
  );
}

function exampleTable(example) {
  const columns = Array.isArray(example?.columns) ? example.columns : null;
  const data = Array.isArray(example?.data) ? example.data : null;
  if (!columns || !data) return h("pre", { class: "value" }, JSON.stringify(example, null, 2));
  return h(
    "table",
    { class: "grid-table", testid: "model-input-example" },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, String(c))))),
    h("tbody", {}, data.map((row) => h("tr", {}, row.map((v) => h("td", { class: "num" }, String(v)))))),
  );
}

function copyButton(text) {
  const button = h("button", { type: "button", class: "small", testid: "copy-serve-command" }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(button.previousSibling);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      button.textContent = "Selected — press Ctrl-C";
    }
  });
  return button;
}

async function fetchText(runId, path) {
  const res = await fetch(artifactUrl(runId, path));
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return await res.text();
}

async function modelCard(run, entry) {
  const runId = run.info.run_id;
  const uri = `runs:/${runId}/${entry.artifact_path}`;
  const command = `kmlf models serve -m ${uri}`;
  const body = h("div", { class: "model-details" }, "Loading MLmodel…");
  const card = h(
    "div",
    { class: "logged-model", testid: "logged-model", dataset: { path: entry.artifact_path } },
    h(
      "h3",
      {},
      h("span", { class: "mono" }, entry.artifact_path),
      " ",
      Object.keys(entry.flavors ?? {}).map((f) => h("span", { class: "badge", testid: "model-flavor" }, f)),
    ),
    h(
      "p",
      { class: "serve" },
      h("code", { testid: "serve-command" }, command),
      copyButton(command),
    ),
    body,
  );
  try {
    const signature = mlmodelSignature(await fetchText(runId, `${entry.artifact_path}/MLmodel`));
    const parts = [];
    if (signature?.inputs) {
      parts.push(h("h4", {}, "Signature: inputs"), specTable(signature.inputs, "model-signature"));
    } else {parts.push(
        h("p", { testid: "model-no-signature" }, "No signature: inputs are not checked when serving."),
      );}
    if (signature?.outputs) parts.push(h("h4", {}, "Outputs"), specTable(signature.outputs, "model-outputs"));
    if (signature?.params) {
      parts.push(h("h4", {}, "Params"), specTable(signature.params, "model-params", true));
    }
    try {
      const example = JSON.parse(await fetchText(runId, `${entry.artifact_path}/input_example.json`));
      parts.push(h("h4", {}, "Input example"), exampleTable(example));
    } catch {
      // A model logged without an input example.
    }
    mount(body, parts);
  } catch (error) {
    mount(body, h("p", { class: "error-text" }, `Cannot read the model: ${error.message}`));
  }
  return card;
}

/** Appends the "Logged models" section to `pane` when the run logged any model. */
export function loggedModelsSection(pane, run, tags) {
  const models = loggedModels(tags);
  if (models.length === 0) return;
  const list = h("div", { testid: "logged-models" });
  pane.append(h("section", {}, h("h2", {}, `Logged models (${models.length})`), list));
  Promise.all(models.map((m) => modelCard(run, m))).then((cards) => mount(list, cards));
}
