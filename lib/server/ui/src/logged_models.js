// The run page's "Logged models" section: every model recorded in the run's `mlflow.log-model.history`
// tag (as MLflow 2.17 writes it), with its flavors, signature, input example and the exact command that
// serves it. The same panel, with a Register button and the versions registered from it, shows in the
// artifact browser for any folder holding an MLmodel file (registerDirectoryView). Reads MLmodel and
// input_example.json through the artifact route; all text via text nodes.
import { artifactFullUri, fetchArtifact } from "./api.js";
import { registerDirectoryView } from "./artifacts.js";
import { h, mount } from "./dom.js";
import { registerModelButton } from "./register_model.js";
import { versionHash } from "./registry_api.js";
import { versionsOfRun } from "./run_registered_models.js";
import { shellCommand } from "./shell_words.js";

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

/** The flavor names under `flavors:` in an MLmodel file (its two-space-indented keys, quoted or not). */
export function mlmodelFlavors(text) {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^flavors:\s*$/.test(l));
  if (start < 0) return [];
  const names = [];
  for (let i = start + 1; i < lines.length && /^(\s|$)/.test(lines[i]); i++) {
    const m = lines[i].match(/^ {2}('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s:'"][^:]*):/);
    if (!m) continue;
    const key = m[1];
    if (key.startsWith("'")) names.push(key.slice(1, -1).replaceAll("''", "'"));
    else if (key.startsWith('"')) {
      try {
        names.push(JSON.parse(key));
      } catch {
        names.push(key);
      }
    } else names.push(key);
  }
  return names;
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
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "grid-table data", testid: "model-input-example" },
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, String(c))))),
      h("tbody", {}, data.map((row) => h("tr", {}, row.map((v) => h("td", { class: "num" }, String(v)))))),
    ),
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
  return await (await fetchArtifact(runId, path)).text();
}

/** Versions registered from the model at `path` of the run (matched by their source). */
async function registeredFrom(run, path) {
  const runId = run.info.run_id;
  const root = (run.info.artifact_uri ?? "").replace(/\/+$/, "");
  // The source as registered from this panel, or as the run's artifact URI plus the path (written raw, or
  // encoded as the copied artifact URI is).
  const sources = new Set([runsUri(runId, path), `${root}/${path}`, artifactFullUri(root, path)]);
  return (await versionsOfRun(runId)).filter((v) => sources.has((v.source ?? "").replace(/\/+$/, "")));
}

/**
 * The `runs:/` URI of a model a run logged: the artifact path as written, which is how kmlf's model
 * loading (lib/tracking/models/model_uri.ts) reads it back — percent-encoding would name another folder.
 *
 * @example
 * ```js
 * runsUri("ab12", "my model"); // "runs:/ab12/my model"
 * ```
 */
export function runsUri(runId, path) {
  return `runs:/${runId}/${path}`;
}

/**
 * The command that serves a kmlf-flavor model, quoted for POSIX shells so it works when pasted.
 *
 * @example
 * ```js
 * serveCommand("runs:/ab12/my model"); // "kmlf models serve -m 'runs:/ab12/my model'"
 * ```
 */
export function serveCommand(uri) {
  return shellCommand(["kmlf", "models", "serve", "-m", uri]);
}

// YAML plain scalars that stay strings in a flow mapping; others are written double-quoted (JSON's
// escapes are YAML's), so a quote, `#`, `,` or `}` in a name cannot end the value early.
const YAML_PLAIN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const yamlScalar = (text) => (YAML_PLAIN.test(text) ? text : JSON.stringify(text));

/**
 * The catalog entry that loads a model of another flavor in a pipeline (one YAML flow mapping).
 *
 * @example
 * ```js
 * catalogEntry("runs:/ab12/m", "sklearn");
 * // '{type: mlflow_model_tracking, flavor: sklearn, load_args: {model_uri: "runs:/ab12/m"}}'
 * ```
 */
export function catalogEntry(uri, flavor) {
  return `{type: mlflow_model_tracking, flavor: ${yamlScalar(flavor)}, load_args: {model_uri: ${
    JSON.stringify(uri)
  }}}`;
}

// How to use the model: kmlf serves kmlf-flavor models; others load through an Mlflow model dataset.
function usage(uri, flavors) {
  if (flavors.length === 0 || flavors.includes("kmlf")) {
    const command = serveCommand(uri);
    return h("p", { class: "serve" }, h("code", { testid: "serve-command" }, command), copyButton(command));
  }
  const entry = catalogEntry(uri, flavors[0]);
  return h(
    "p",
    { class: "serve", testid: "load-model-hint" },
    `A ${flavors[0]} model: load it in a pipeline with the catalog entry `,
    h("code", { testid: "load-entry" }, entry),
    copyButton(entry),
  );
}

/**
 * The panel of one logged model: flavors, how to serve or load it, its signature and input example; with
 * `options.register`, also the versions registered from it and a Register button.
 */
async function modelCard(run, path, options = {}) {
  const runId = run.info.run_id;
  const uri = runsUri(runId, path);
  const body = h("div", { class: "model-details" }, "Loading MLmodel…");
  const badges = h("span", { testid: "model-flavors" });
  const how = h("div");
  const card = h(
    "div",
    { class: "logged-model", testid: "logged-model", dataset: { path } },
    h("h3", {}, h("span", { class: "mono" }, path), " ", badges),
    how,
    body,
  );
  if (options.register) {
    const versions = h("p", { class: "registered-versions", testid: "model-registered-versions" });
    const showVersions = async () => {
      try {
        const found = await registeredFrom(run, path);
        mount(
          versions,
          found.length ? "Registered as " : "Not registered yet.",
          found.flatMap((v, i) => [
            i ? ", " : "",
            h(
              "a",
              { href: versionHash(v.name, v.version), testid: "model-registered-version" },
              `${v.name} v${v.version}`,
            ),
          ]),
        );
      } catch {
        mount(versions); // a server without the registry: nothing to say
      }
    };
    const register = registerModelButton(run, {
      path,
      testid: "register-model-folder",
      onRegistered: showVersions,
    });
    card.append(h("div", { class: "toolbar" }, versions, register.button), register.panel);
    void showVersions();
  }
  try {
    const text = await fetchText(runId, `${path}/MLmodel`);
    const flavors = options.flavors ?? mlmodelFlavors(text);
    mount(badges, flavors.map((f) => h("span", { class: "badge", testid: "model-flavor" }, f)));
    mount(how, usage(uri, flavors));
    const signature = mlmodelSignature(text);
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
      const example = JSON.parse(await fetchText(runId, `${path}/input_example.json`));
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
  Promise.all(models.map((m) => modelCard(run, m.artifact_path, { flavors: Object.keys(m.flavors ?? {}) })))
    .then((cards) => mount(list, cards));
}

/** The artifact browser shows a folder holding an MLmodel file as a logged model, with Register. */
export function modelDirectoryView({ run, path, files }) {
  const isModel = files.some((f) => !f.is_dir && f.path.split("/").pop() === "MLmodel");
  return isModel && path ? modelCard(run, path, { register: true }) : undefined;
}

registerDirectoryView(modelDirectoryView);
