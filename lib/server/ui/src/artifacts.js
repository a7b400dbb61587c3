// Artifact browser: a tree loaded lazily per directory (artifacts/list) and previews by extension:
// text, CSV/TSV tables, images, HTML in a sandboxed iframe; every file has a download link.
import { artifactUrl, listArtifacts } from "./api.js";
import { errorBox, h, mount } from "./dom.js";

const TEXT = new Set(
  "txt log err cfg conf cnf cf ini properties prop hocon toml yaml yml xml json js ts py py3 rst jsonnet md markdown mdx sh sql r"
    .split(" "),
);
const TEXT_NAMES = new Set(["MLmodel", "MLproject", "requirements.txt", "conda.yaml", "python_env.yaml"]);
const IMAGE = new Set(["jpg", "jpeg", "png", "gif", "bmp", "svg", "webp"]);
const MAX_PREVIEW_BYTES = 5 * 1024 * 1024;
const MAX_TABLE_ROWS = 1000;

/** The preview kind of a file name: text, table, image, html or none. */
export function previewKind(name) {
  const base = name.split("/").pop();
  if (TEXT_NAMES.has(base)) return "text";
  const ext = base.includes(".") ? base.split(".").pop().toLowerCase() : "";
  if (TEXT.has(ext)) return "text";
  if (ext === "csv" || ext === "tsv") return "table";
  if (IMAGE.has(ext)) return "image";
  if (ext === "html" || ext === "htm") return "html";
  return "none";
}

/** Rows of a CSV/TSV text (RFC 4180 quoting). */
export function parseDelimited(text, delimiter) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
      if (rows.length > MAX_TABLE_ROWS) return rows;
    } else field += c;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

function formatSize(bytes) {
  if (bytes === undefined || bytes === null) return "";
  const n = Number(bytes);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The browser for one run; `onSelect(path)` is told about the selected path. */
export function artifactBrowser(run, initialPath, onSelect) {
  const runId = run.info.run_id;
  const tree = h("ul", { class: "tree", testid: "artifact-tree" });
  const preview = h(
    "div",
    { class: "preview", testid: "artifact-preview" },
    h("p", { class: "muted" }, "Select a file to preview it."),
  );
  const el = h("div", { class: "artifacts-layout" }, h("div", { class: "tree-box" }, tree), preview);
  const nodes = new Map(); // path → {info, li, children(ul), loaded}
  let selectedPath;

  const loadInto = async (ul, path) => {
    const files = await listArtifacts(runId, path);
    files.sort((a, b) => (b.is_dir - a.is_dir) || a.path.localeCompare(b.path));
    mount(
      ul,
      files.length === 0 && !path
        ? h("li", { class: "muted", testid: "no-artifacts" }, "No artifacts")
        : null,
    );
    for (const f of files) {
      const name = f.path.split("/").pop();
      const label = h(
        "a",
        { href: "#", class: f.is_dir ? "dir" : "file", testid: "artifact-node", dataset: { path: f.path } },
        f.is_dir ? "▸ " : "",
        name,
      );
      const children = h("ul", { hidden: true });
      const li = h("li", {}, label, f.is_dir ? children : null);
      nodes.set(f.path, { info: f, li, label, children, loaded: false });
      label.addEventListener("click", (event) => {
        event.preventDefault();
        void (f.is_dir ? toggle(f.path) : select(f.path));
      });
      ul.append(li);
    }
  };

  const toggle = async (path, open) => {
    const node = nodes.get(path);
    if (!node) return;
    const show = open ?? node.children.hidden;
    if (show && !node.loaded) {
      node.loaded = true;
      await loadInto(node.children, path);
    }
    node.children.hidden = !show;
    node.label.firstChild.textContent = show ? "▾ " : "▸ ";
  };

  const select = async (path) => {
    const node = nodes.get(path);
    if (!node) return;
    for (const n of nodes.values()) n.label.classList.toggle("selected", n === node);
    selectedPath = path;
    onSelect?.(path);
    await renderPreview(node.info);
  };

  const renderPreview = async (info) => {
    const name = info.path.split("/").pop();
    const url = artifactUrl(runId, info.path);
    const kind = previewKind(info.path);
    const header = h(
      "div",
      { class: "preview-header" },
      h("strong", { testid: "preview-path" }, info.path),
      h("span", { class: "muted" }, formatSize(info.file_size)),
      h("a", { href: url, download: name, testid: "artifact-download", class: "button" }, "Download"),
    );
    const body = h("div", { class: "preview-body" });
    mount(preview, header, body);
    if (kind === "none") {
      return void mount(body, h("p", { class: "muted" }, "No preview for this file type."));
    }
    if (kind === "image") {
      return void mount(
        body,
        h("img", { src: url, alt: name, testid: "preview-image", class: "preview-image" }),
      );
    }
    if (Number(info.file_size ?? 0) > MAX_PREVIEW_BYTES) {
      return void mount(body, h("p", { class: "muted" }, "File too large to preview; download it instead."));
    }
    let text;
    try {
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`Cannot load ${info.path}: ${response.status} ${await response.text()}`);
      }
      text = await response.text();
    } catch (error) {
      return void mount(body, errorBox(error.message, "preview-error"));
    }
    if (selectedPath !== info.path) return;
    if (kind === "text") {
      let shown = text;
      if (info.path.endsWith(".json")) {
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // not valid JSON: show as is
        }
      }
      mount(body, h("pre", { class: "preview-text", testid: "preview-text" }, shown));
    } else if (kind === "table") {
      const rows = parseDelimited(text, info.path.toLowerCase().endsWith(".tsv") ? "\t" : ",");
      const [head = [], ...rest] = rows;
      mount(
        body,
        h(
          "table",
          { class: "grid-table", testid: "preview-table" },
          h("thead", {}, h("tr", {}, head.map((c) => h("th", {}, c)))),
          h("tbody", {}, rest.slice(0, MAX_TABLE_ROWS).map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
        ),
        rows.length > MAX_TABLE_ROWS
          ? h("p", { class: "muted" }, `First ${MAX_TABLE_ROWS} rows shown.`)
          : null,
      );
    } else if (kind === "html") {
      // sandbox="" : no scripts, no same-origin access, no forms, no navigation of the UI.
      const frame = h("iframe", {
        sandbox: "",
        class: "preview-html",
        testid: "preview-html",
        title: info.path,
      });
      frame.srcdoc = text;
      mount(body, frame);
    }
  };

  const open = async (path) => {
    if (!path) return;
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) await toggle(parts.slice(0, i).join("/"), true);
    const node = nodes.get(path);
    if (node?.info.is_dir) await toggle(path, true);
    else if (node) await select(path);
  };

  loadInto(tree, "").then(
    () => open(initialPath),
    (error) => mount(tree, h("li", {}, errorBox(error.message, "artifacts-error"))),
  );
  return { el, open };
}
