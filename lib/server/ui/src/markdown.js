// Descriptions (mlflow.note.content) are markdown, as in MLflow's UI. This renders the common subset —
// headings, paragraphs, lists, quotes, code blocks, rules, `code`, **bold**, *italic*, [links](url) —
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

/** Inline markdown of one text run as nodes. */
export function inline(text) {
  const out = [];
  const pattern =
    /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(h("code", {}, m[1]));
    else if (m[2] !== undefined || m[3] !== undefined) out.push(h("strong", {}, inline(m[2] ?? m[3])));
    else if (m[4] !== undefined || m[5] !== undefined) out.push(h("em", {}, inline(m[4] ?? m[5])));
    else {
      const href = safeHref(m[7]);
      out.push(
        href
          ? h(
            "a",
            { href, rel: "noopener noreferrer", target: href.startsWith("#") ? undefined : "_blank" },
            inline(m[6]),
          )
          : `[${m[6]}](${m[7]})`,
      );
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A markdown document as a DOM fragment (a div of block elements). */
export function renderMarkdown(source, testid = "markdown") {
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  const root = h("div", { class: "markdown", testid });
  let i = 0;
  const paragraph = [];
  const flush = () => {
    if (paragraph.length) root.append(h("p", {}, inline(paragraph.join(" "))));
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
    const listItem = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
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
    } else if (listItem) {
      flush();
      const ordered = /\d/.test(listItem[1]);
      const list = h(ordered ? "ol" : "ul");
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]);
        if (!m || /\d/.test(m[1]) !== ordered) break;
        list.append(h("li", {}, inline(m[2])));
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
