// Artifact browser: a tree loaded lazily per directory (artifacts/list) and previews by extension:
// highlighted code / YAML / JSON, markdown rendered (with its source a click away), CSV/TSV tables, images, PDFs, HTML in a sandboxed iframe; every file
// has a download link and "Copy path". Selecting a directory shows its images as a gallery, its PDFs and
// files, and any panel registered for it (registerDirectoryView: e.g. a logged model's MLmodel panel).
import { artifactFullUri, artifactUrl, fetchArtifact, listArtifacts, unservablePathReason } from "./api.js";
import { errorBox, h, mount } from "./dom.js";
import { highlighted } from "./highlight.js";
import { parseDelimited } from "./delimited.js";
import { renderMarkdown } from "./markdown.js";

const TEXT = new Set(
  "txt log err cfg conf cnf cf ini properties prop hocon toml yaml yml xml json js ts py py3 rst jsonnet sh sql r"
    .split(" "),
);
const TEXT_NAMES = new Set(["MLmodel", "MLproject", "requirements.txt", "conda.yaml", "python_env.yaml"]);
// Rendered as MLflow's newer UIs render them (2.17 showed their source).
const MARKDOWN = new Set(["md", "markdown", "mdx"]);
const IMAGE = new Set(["jpg", "jpeg", "png", "gif", "bmp", "svg", "webp"]);
const MAX_PREVIEW_BYTES = 5 * 1024 * 1024;
const MAX_PDF_BYTES = 50 * 1024 * 1024;
const MAX_TABLE_ROWS = 1000;
const MAX_GALLERY = 60;

/** The preview kind of a file name: text, markdown, table, image, pdf, html or none. */
export function previewKind(name) {
  const base = name.split("/").pop();
  if (TEXT_NAMES.has(base)) return "text";
  const ext = base.includes(".") ? base.split(".").pop().toLowerCase() : "";
  if (TEXT.has(ext)) return "text";
  if (MARKDOWN.has(ext)) return "markdown";
  if (ext === "csv" || ext === "tsv") return "table";
  if (IMAGE.has(ext)) return "image";
  if (ext === "pdf") return "pdf";
  if (ext === "html" || ext === "htm") return "html";
  return "none";
}

/**
 * A markdown file rendered (safely: its HTML stays text, javascript: links are no links) with a button
 * switching to its highlighted source and back.
 */
function markdownPreview(text, path) {
  const box = h("div");
  const toggle = h("button", { type: "button", class: "small", testid: "markdown-source" });
  const show = (source) => {
    toggle.textContent = source ? "Rendered" : "Source";
    toggle.onclick = () => show(!source);
    mount(box, source ? highlighted(text, path) : renderMarkdown(text, "preview-markdown"));
  };
  show(false);
  return h("div", {}, h("div", { class: "toolbar" }, toggle), box);
}

const directoryViews = [];

/**
 * Registers a panel for directories: `view({run, path, files})` returns a Node (or a promise of one) to
 * show above the directory's gallery, or undefined when the directory is not its kind.
 *
 * @example registerDirectoryView(({ files }) => files.some((f) => f.path.endsWith("/MLmodel")) ? panel : undefined)
 */
export function registerDirectoryView(view) {
  directoryViews.push(view);
}

function formatSize(bytes) {
  if (bytes === undefined || bytes === null) return "";
  const n = Number(bytes);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A "Copy …" button putting `text` on the clipboard; it says "Copied" for a moment. */
function copyButton(label, text, testid) {
  const button = h("button", { class: "small", testid, title: text }, label);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed";
    }
    setTimeout(() => (button.textContent = label), 1500);
  });
  return button;
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
  let pdfUrl;

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
        void (f.is_dir ? toggle(f.path).then(() => select(f.path)) : select(f.path));
      });
      ul.append(li);
    }
    return files;
  };

  const toggle = async (path, open) => {
    const node = nodes.get(path);
    if (!node) return;
    const show = open ?? node.children.hidden;
    if (show && !node.loaded) {
      node.loaded = true;
      // A folder the server will not list (MLflow refuses a path holding #) says so in place; closing and
      // opening it again asks again (a failure of the server or the network may pass).
      await loadInto(node.children, path).catch((error) => {
        node.loaded = false;
        mount(
          node.children,
          h("li", {}, errorBox(`Cannot list ${path}: ${error.message}`, "artifacts-error")),
        );
      });
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
    if (pdfUrl) URL.revokeObjectURL(pdfUrl), (pdfUrl = undefined);
    await (node.info.is_dir ? renderDirectory(path) : renderPreview(node.info));
  };

  const header = (info, name, url) =>
    h(
      "div",
      { class: "preview-header" },
      h("strong", { testid: "preview-path" }, info.path),
      h("span", { class: "muted" }, info.is_dir ? "" : formatSize(info.file_size)),
      url
        ? h(
          "a",
          { href: url, download: name, testid: "artifact-download", class: "button small" },
          "Download",
        )
        : null,
      copyButton("Copy path", info.path, "copy-path"),
      run.info.artifact_uri
        ? copyButton("Copy full URI", artifactFullUri(run.info.artifact_uri, info.path), "copy-uri")
        : null,
    );

  const renderDirectory = async (path) => {
    const body = h("div", { class: "preview-body" }, h("p", { class: "muted" }, "Loading…"));
    mount(preview, header({ path, is_dir: true }, path, undefined), body);
    let files;
    try {
      files = await listArtifacts(runId, path);
    } catch (error) {
      return void mount(body, errorBox(error.message, "preview-error"));
    }
    if (selectedPath !== path) return;
    const panels = [];
    for (const view of directoryViews) {
      try {
        const panel = await view({ run, path, files });
        if (panel) panels.push(panel);
      } catch (error) {
        panels.push(errorBox(error.message, "preview-error"));
      }
    }
    if (selectedPath !== path) return;
    // An image the server cannot send (see unservablePathReason) is listed, where opening it says why.
    const isImage = (f) => !f.is_dir && previewKind(f.path) === "image" && !unservablePathReason(f.path);
    const images = files.filter(isImage);
    const others = files.filter((f) => !isImage(f));
    mount(
      body,
      panels,
      images.length
        ? h(
          "div",
          { class: "gallery", testid: "artifact-gallery" },
          images.slice(0, MAX_GALLERY).map((f) =>
            h(
              "a",
              {
                href: "#",
                class: "gallery-item",
                testid: "gallery-item",
                title: f.path,
                onclick: (e) => (e.preventDefault(), void open(f.path)),
              },
              h("img", { src: artifactUrl(runId, f.path), alt: f.path.split("/").pop(), loading: "lazy" }),
              h("span", {}, f.path.split("/").pop()),
            )
          ),
        )
        : null,
      images.length > MAX_GALLERY ? h("p", { class: "muted" }, `First ${MAX_GALLERY} images shown.`) : null,
      others.length
        ? h(
          "ul",
          { class: "dir-listing", testid: "dir-listing" },
          others.map((f) =>
            h(
              "li",
              {},
              h(
                "a",
                { href: "#", onclick: (e) => (e.preventDefault(), void open(f.path)) },
                f.path.split("/").pop(),
              ),
              f.is_dir
                ? h("span", { class: "muted" }, " (folder)")
                : h("span", { class: "muted" }, ` ${formatSize(f.file_size)}`),
            )
          ),
        )
        : null,
      files.length === 0 ? h("p", { class: "muted" }, "Empty folder.") : null,
    );
  };

  const renderPreview = async (info) => {
    const name = info.path.split("/").pop();
    const url = artifactUrl(runId, info.path);
    const kind = previewKind(info.path);
    const body = h("div", { class: "preview-body" });
    // No Download link to a path the server would answer with an error or another file's bytes.
    const unservable = unservablePathReason(info.path);
    mount(preview, header(info, name, unservable ? undefined : url), body);
    if (unservable) {
      return void mount(body, errorBox(`Cannot load ${info.path}: ${unservable}`, "preview-error"));
    }
    if (kind === "none") {
      return void mount(body, h("p", { class: "muted" }, "No preview for this file type."));
    }
    if (kind === "image") {
      return void mount(
        body,
        h("img", { src: url, alt: name, testid: "preview-image", class: "preview-image" }),
      );
    }
    const limit = kind === "pdf" ? MAX_PDF_BYTES : MAX_PREVIEW_BYTES;
    if (Number(info.file_size ?? 0) > limit) {
      return void mount(body, h("p", { class: "muted" }, "File too large to preview; download it instead."));
    }
    let response;
    try {
      response = await fetchArtifact(runId, info.path);
    } catch (error) {
      return void mount(body, errorBox(error.message, "preview-error"));
    }
    if (kind === "pdf") {
      // The bytes get the PDF type here, whatever the server said: the frame shows a PDF, nothing else.
      const blob = new Blob([await response.arrayBuffer()], { type: "application/pdf" });
      if (selectedPath !== info.path) return;
      pdfUrl = URL.createObjectURL(blob);
      return void mount(
        body,
        h("iframe", {
          src: pdfUrl,
          class: "preview-pdf",
          testid: "preview-pdf",
          title: info.path,
          dataset: { type: blob.type, bytes: String(blob.size) },
        }),
      );
    }
    const text = await response.text();
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
      mount(body, highlighted(shown, info.path));
    } else if (kind === "markdown") {
      mount(body, markdownPreview(text, info.path));
    } else if (kind === "table") {
      const rows = parseDelimited(
        text,
        info.path.toLowerCase().endsWith(".tsv") ? "\t" : ",",
        MAX_TABLE_ROWS,
      );
      const [head = [], ...rest] = rows;
      mount(
        body,
        h(
          "table",
          { class: "grid-table data", testid: "preview-table" },
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
    if (node) await select(path);
  };

  loadInto(tree, "").then(
    () => open(initialPath),
    (error) => mount(tree, h("li", {}, errorBox(error.message, "artifacts-error"))),
  );
  return { el, open };
}
