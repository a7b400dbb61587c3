// Descriptions (mlflow.note.content, a model's or version's description) and .md artifacts are markdown,
// as in MLflow's UI. This renders the subset MLflow's converter enables — headings, paragraphs, lists and
// task lists, quotes, code blocks, rules, GitHub tables, `code`, **bold**, *italic*, ~~struck~~,
// [links](url), images as links to them, bare http(s) addresses, line breaks inside paragraphs —
// straight to DOM nodes: text stays text (never parsed as HTML), and a link keeps only an http(s),
// mailto or same-site address (javascript:, data: … become plain text).
import { h } from "./dom.js";

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The address a markdown link may point to, or undefined for an unsafe one. */
export function safeHref(url, base = "http://localhost/") {
  // deno-lint-ignore no-control-regex -- browsers ignore control characters inside a scheme
  const cleaned = String(url).trim().replace(/[\u0000-\u001f\u007f\s]+/g, "");
  if (cleaned === "") return undefined;
  // No scheme: a relative address (#/…, /…, page.html) on this site.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(cleaned)) return cleaned;
  try {
    const parsed = new URL(cleaned, base);
    return SAFE_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// `code`, [text](url), **bold** / __bold__, ~~struck~~, *em* / _em_ (an underscore inside a word is a
// letter: snake_case_names stay as written, as in GitHub's and MLflow's markdown), a bare http(s) address.
const INLINE = new RegExp(
  [
    /`([^`]+)`/.source,
    /!?\[([^\]]*)\]\(([^)\s]+)\)/.source,
    /\*\*(.+?)\*\*|(?<![\p{L}\p{N}_])__(.+?)__(?![\p{L}\p{N}_])/.source,
    /~~(.+?)~~/.source,
    /\*([^*\s][^*]*?)\*|(?<![\p{L}\p{N}_])_([^_\s][^_]*?)_(?![\p{L}\p{N}_])/.source,
    /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/.source,
  ].join("|"),
  "gu",
);

/** A link to `url` showing `children`, or undefined when the address is unsafe. */
function link(url, children) {
  const href = safeHref(url);
  if (!href) return undefined;
  return h(
    "a",
    { href, rel: "noopener noreferrer", target: href.startsWith("#") ? undefined : "_blank" },
    children,
  );
}

/** Inline markdown of one text run as nodes; `inLink` leaves addresses as text (no link in a link). */
export function inline(text, inLink = false) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const [all, code, label, url, bold1, bold2, struck, em1, em2, bare] = m;
    if (bare !== undefined && inLink) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    if (code !== undefined) out.push(h("code", {}, code));
    // An image is a link to it: no request leaves for a third-party address by merely opening the page.
    else if (label !== undefined) out.push(link(url, label ? inline(label, true) : url) ?? all);
    else if (bold1 !== undefined || bold2 !== undefined) {
      out.push(h("strong", {}, inline(bold1 ?? bold2, inLink)));
    } else if (struck !== undefined) out.push(h("del", {}, inline(struck, inLink)));
    else if (em1 !== undefined || em2 !== undefined) out.push(h("em", {}, inline(em1 ?? em2, inLink)));
    else out.push(link(bare, bare) ?? bare);
    last = m.index + all.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The cells of a table line `| a | b |` (pipes escaped as \\| stay in the cell). */
const cells = (line) =>
  line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "").split(/(?<!\\)\|/).map((c) =>
    c.trim().replace(/\\\|/g, "|")
  );
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** A GitHub table (a header line, a rule line of dashes, then rows) starting at `lines[i]`, or undefined. */
function table(lines, i) {
  if (!lines[i].includes("|") || i + 1 >= lines.length || !TABLE_RULE.test(lines[i + 1])) return undefined;
  const head = cells(lines[i]);
  // As GitHub: the rule has a cell per header cell, else "a | b" over "---" is no table.
  if (cells(lines[i + 1]).length !== head.length) return undefined;
  const align = cells(lines[i + 1]).map((c) =>
    c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : undefined
  );
  const rows = [];
  let j = i + 2;
  while (j < lines.length && lines[j].includes("|") && lines[j].trim() !== "") rows.push(cells(lines[j++]));
  const cell = (tag, text, k) =>
    h(tag, { style: align[k] ? { textAlign: align[k] } : undefined }, inline(text));
  const el = h(
    "table",
    { class: "grid-table" },
    h("thead", {}, h("tr", {}, head.map((c, k) => cell("th", c, k)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, head.map((_, k) => cell("td", r[k] ?? "", k))))),
  );
  return { el, next: j };
}

/** A list item's content: a GitHub task ("[ ] …", "[x] …") gets a disabled checkbox. */
function listItem(text) {
  const task = /^\[([ xX])\]\s+(.*)$/.exec(text);
  if (!task) return h("li", {}, inline(text));
  return h(
    "li",
    { class: "task" },
    h("input", { type: "checkbox", disabled: true, checked: task[1] !== " " }),
    " ",
    inline(task[2]),
  );
}

/** A markdown document as a DOM fragment (a div of block elements). */
export function renderMarkdown(source, testid = "markdown") {
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  const root = h("div", { class: "markdown", testid });
  let i = 0;
  const paragraph = [];
  const flush = () => {
    // GitHub's flavour, MLflow's: a line break inside a paragraph is kept.
    if (paragraph.length) root.append(h("p", {}, paragraph.map((l, k) => [k ? h("br") : null, inline(l)])));
    paragraph.length = 0;
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) code.push(lines[i++]);
      i++;
      root.append(h("pre", { class: "code" }, h("code", {}, code.join("\n"))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const listStart = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      flush();
      i++;
    } else if (heading) {
      flush();
      root.append(h(`h${Math.min(6, heading[1].length + 2)}`, {}, inline(heading[2])));
      i++;
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      root.append(h("hr"));
      i++;
    } else if (/^\s*>/.test(line)) {
      flush();
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) quoted.push(lines[i++].replace(/^\s*>\s?/, ""));
      root.append(h("blockquote", {}, [...renderMarkdown(quoted.join("\n")).childNodes]));
    } else if (table(lines, i)) {
      flush();
      const found = table(lines, i);
      root.append(h("div", { class: "table-scroll" }, found.el));
      i = found.next;
    } else if (listStart) {
      flush();
      const ordered = /\d/.test(listStart[1]);
      const list = h(ordered ? "ol" : "ul");
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]);
        if (!m || /\d/.test(m[1]) !== ordered) break;
        list.append(listItem(m[2]));
        i++;
      }
      root.append(list);
    } else {
      paragraph.push(line.trim());
      i++;
    }
  }
  flush();
  return root;
}
