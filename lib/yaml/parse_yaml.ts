/**
 * YAML parsing that remembers where every key and value came from, so later validation
 * errors can say `file:line:column`. Used by config files, `kmlf.yml` and pipeline files.
 *
 * @module
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError, type SourceLocation } from "../errors.ts";

/** A key path: strings for map keys, numbers for sequence indexes. */
export type KeyPath = readonly (string | number)[];

/** A parsed YAML file: the plain value and a way to locate any key path in it. */
export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /** Location of the value at `path` (falls back to the nearest located ancestor). */
  locate(path: KeyPath): SourceLocation;
  /** Location of the key itself (for "unknown key" errors); falls back to {@link locate}. */
  locateKey(path: KeyPath): SourceLocation;
}

/**
 * Parses YAML text. Syntax errors become a {@link ConfigError} with `file:line:column`.
 * JSON is valid YAML, so `.json` config files go through here too.
 *
 * @example
 * ```ts
 * const src = parseYaml("a:\n  b: 1\n", "conf/base/parameters.yml");
 * src.value; // { a: { b: 1 } }
 * src.locate(["a", "b"]); // { file: "conf/base/parameters.yml", line: 2, column: 6, keyPath: "a.b" }
 * ```
 */
export function parseYaml(text: string, file: string, options: { code?: string } = {}): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = lineCounter.linePos(err.pos[0]);
    const duplicate = err.code === "DUPLICATE_KEY";
    throw new ConfigError(
      options.code ?? (duplicate ? "yaml/duplicate-key" : "yaml/syntax"),
      `Cannot parse ${file}: ${firstLine(err.message)}`,
      {
        source: { file, line: pos.line, column: pos.col },
        hint: duplicate
          ? "a key may appear only once in a mapping; remove or rename one of them"
          : "check the indentation and quoting around this position",
      },
    );
  }
  const value = doc.toJS({ maxAliasCount: 1000 }) ?? null;
  const at = (node: Node | null | undefined, path: KeyPath): SourceLocation => {
    const keyPath = formatKeyPath(path);
    if (!node?.range) return { file, keyPath };
    const pos = lineCounter.linePos(node.range[0]);
    return { file, line: pos.line, column: pos.col, keyPath };
  };
  const walk = (path: KeyPath, wantKey: boolean): SourceLocation => {
    let node: unknown = doc.contents;
    let keyNode: unknown = undefined;
    let lastGood: { node: unknown; depth: number } = { node, depth: 0 };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) ? String(p.key.value) === String(seg) : false);
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg];
        if (!item) break;
        keyNode = item;
        node = item;
      } else break;
      lastGood = { node, depth: i + 1 };
    }
    const found = lastGood.depth === path.length;
    const target = found && wantKey && keyNode ? keyNode : lastGood.node;
    return at(target as Node, path);
  };
  return {
    file,
    value,
    locate: (path) => walk(path, false),
    locateKey: (path) => walk(path, true),
  };
}

/**
 * Reads and parses a YAML file; a missing file is a {@link ConfigError}.
 *
 * @example
 * ```ts
 * const src = await readYamlFile("/project/kmlf.yml");
 * ```
 */
export async function readYamlFile(path: string, options: { code?: string } = {}): Promise<YamlSource> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new ConfigError("yaml/unreadable", `Cannot read ${path}: ${(cause as Error).message}`, {
      source: { file: path },
      cause,
    });
  }
  return parseYaml(text, path, options);
}

/**
 * `["nodes", 2, "inputs", 0]` → `nodes[2].inputs[0]`.
 *
 * @example
 * ```ts
 * formatKeyPath(["a", 0, "b"]); // "a[0].b"
 * ```
 */
export function formatKeyPath(path: KeyPath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
