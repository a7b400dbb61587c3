// Syntax highlighting of text artifacts (JSON, YAML, Python, JavaScript/TypeScript, shell, SQL, TOML/INI):
// a small tokenizer per language; tokens become <span class="tok-…"> with text nodes, so file content is
// never parsed as HTML. Unknown languages and very large files stay plain text.
import { h } from "./dom.js";

/** Files larger than this are shown without highlighting (tokenizing stays fast). */
export const MAX_HIGHLIGHT_CHARS = 300_000;

const words = (list) => new RegExp(`^(?:${list.split(" ").join("|")})\\b`);
const STRING2 = /^"(?:[^"\\\n]|\\.)*"?/;
const STRING1 = /^'(?:[^'\\\n]|\\.)*'?/;
const NUMBER = /^-?(?:0[xob][\da-f_]+|\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?)\b/i;

/** Tokenizer rules per language: [kind, regex anchored at the current position]. */
const RULES = {
  json: [
    ["key", /^"(?:[^"\\\n]|\\.)*"(?=\s*:)/],
    ["string", STRING2],
    ["number", NUMBER],
    ["keyword", /^(?:true|false|null)\b/],
  ],
  yaml: [
    ["comment", /^#.*/],
    ["key", /^[\w./](?:[\w.\-/ ]*[\w.\-/])?(?=\s*:(?:\s|$))/],
    ["string", STRING2],
    ["string", STRING1],
    ["number", NUMBER],
    ["keyword", /^(?:true|false|null|yes|no|~)\b/],
  ],
  python: [
    ["comment", /^#.*/],
    ["string", /^(?:[rbuf]{0,2})(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$))/i],
    ["string", STRING2],
    ["string", STRING1],
    ["number", NUMBER],
    [
      "keyword",
      words(
        "and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield",
      ),
    ],
  ],
  js: [
    ["comment", /^\/\/.*/],
    ["comment", /^\/\*[\s\S]*?(?:\*\/|$)/],
    ["string", /^`(?:[^`\\]|\\.)*`?/],
    ["string", STRING2],
    ["string", STRING1],
    ["number", NUMBER],
    [
      "keyword",
      words(
        "async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof interface let new null return static super switch this throw true try type typeof undefined var void while yield",
      ),
    ],
  ],
  shell: [
    ["comment", /^#.*/],
    ["string", STRING2],
    ["string", STRING1],
    ["variable", /^\$\{?[\w@#?*]+\}?/],
    ["keyword", words("if then else elif fi for while do done case esac function in export local return")],
  ],
  sql: [
    ["comment", /^--.*/],
    ["string", STRING1],
    ["number", NUMBER],
    [
      "keyword",
      /^(?:select|from|where|and|or|not|insert|into|values|update|set|delete|create|table|join|left|right|inner|outer|on|group|by|order|limit|as|null|is|in|like|having|distinct|union)\b/i,
    ],
  ],
  toml: [
    ["comment", /^[#;].*/],
    ["section", /^\[[^\]\n]*\]/],
    ["key", /^[\w.\-](?:[\w.\- ]*[\w.\-])?(?=\s*=)/],
    ["string", STRING2],
    ["string", STRING1],
    ["number", NUMBER],
    ["keyword", /^(?:true|false)\b/],
  ],
};

const EXTENSIONS = {
  json: "json",
  yaml: "yaml",
  yml: "yaml",
  py: "python",
  py3: "python",
  js: "js",
  ts: "js",
  mjs: "js",
  jsonnet: "js",
  sh: "shell",
  bash: "shell",
  sql: "sql",
  toml: "toml",
  ini: "toml",
  cfg: "toml",
  conf: "toml",
  properties: "toml",
};
const NAMES = { MLmodel: "yaml", MLproject: "yaml", "conda.yaml": "yaml", "python_env.yaml": "yaml" };

/** The highlighting language of a file path, or undefined. */
export function languageOf(path) {
  const base = path.split("/").pop();
  if (NAMES[base]) return NAMES[base];
  const ext = base.includes(".") ? base.split(".").pop().toLowerCase() : "";
  return EXTENSIONS[ext];
}

/** The rules with sticky regexes (matched at a position without copying the text). */
const STICKY = Object.fromEntries(
  Object.entries(RULES).map(([lang, rules]) => [
    lang,
    rules.map(([kind, re]) => [kind, new RegExp(re.source.replace(/^\^/, ""), re.flags + "y")]),
  ]),
);

/** Tokens of `text` in `language`: [{kind, text}], kind "plain" between matches. Lossless. */
export function tokenize(text, language) {
  const rules = STICKY[language];
  if (!rules) return [{ kind: "plain", text }];
  const out = [];
  let plain = "";
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    let hit;
    // A key only at the start of a line's content (YAML, TOML) or before ":" (JSON).
    for (const [kind, re] of rules) {
      if (kind === "key" && language !== "json" && !lineStart) continue;
      re.lastIndex = i;
      const m = re.exec(text);
      if (m && m[0].length > 0) {
        hit = [kind, m[0]];
        break;
      }
    }
    const prev = text[i - 1];
    if (hit && (hit[0] === "keyword" || hit[0] === "number") && prev && /[\w$.]/.test(prev)) hit = undefined;
    if (hit) {
      if (plain) out.push({ kind: "plain", text: plain }), (plain = "");
      out.push({ kind: hit[0], text: hit[1] });
      i += hit[1].length;
      lineStart = false;
      continue;
    }
    const ch = text[i];
    plain += ch;
    if (ch === "\n") lineStart = true;
    else if (!/[\s\-]/.test(ch)) lineStart = false;
    i++;
  }
  if (plain) out.push({ kind: "plain", text: plain });
  return out;
}

/** A <pre> with the highlighted text (plain when the language is unknown or the text too large). */
export function highlighted(text, path, testid = "preview-text") {
  const language = text.length <= MAX_HIGHLIGHT_CHARS ? languageOf(path) : undefined;
  const pre = h("pre", { class: "preview-text code", testid, dataset: language ? { language } : {} });
  if (!language) {
    pre.textContent = text;
    return pre;
  }
  for (const token of tokenize(text, language)) {
    pre.append(
      token.kind === "plain"
        ? document.createTextNode(token.text)
        : h("span", { class: `tok-${token.kind}` }, token.text),
    );
  }
  return pre;
}
