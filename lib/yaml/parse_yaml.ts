/**
 * YAML parsing that can say where every key and value came from, so validation errors name
 * `file:line:column`. Used by config files, `kmlf.yml` and pipeline files.
 *
 * Parsing is fast (js-yaml); the position index is built only when something asks for a location,
 * by parsing again with js-yaml's node listener — error paths pay for positions, successful runs do not.
 *
 * @module
 */
import { load, type LoadOptions, type Schema } from "./_js_yaml.js";
import { OMEGACONF_SCHEMA } from "./yaml11.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import { loadWithinLimits, skipBlanks, tooDeepForParser, YAML_LIMITS } from "./limits.ts";
import { decodeUtf8 } from "./utf8.ts";
import { withYamlSourceKeys, yamlSourceListener, yamlTextMayNeedSources } from "./source_keys_yaml.ts";
import { markSourceKeys } from "../source_keys.ts";
import { readFile } from "../file_io.ts";

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

interface YamlMark {
  line: number;
  column: number;
}

// One composed YAML node: where it starts and its children in document order (key, value, key, …).
interface Frame {
  start: number;
  result?: unknown;
  children: Frame[];
}

/**
 * Parses YAML text. Syntax errors and duplicate keys become a {@link ConfigError} with
 * `file:line:column`; so do alias bombs, alias cycles and nesting past {@link YAML_LIMITS}
 * (`yaml/alias-expansion`, `yaml/alias-cycle`, `yaml/too-deep`). JSON is valid YAML, so `.json` config
 * files go through here too. `sourceKeys` records the file's key order and key types beside the value for
 * the writers (lib/source_keys.ts), where a plain object would lose them.
 *
 * @example
 * ```ts
 * const src = parseYaml("a:\n  b: 1\n", "conf/base/parameters.yml");
 * src.value; // { a: { b: 1 } }
 * src.locate(["a", "b"]); // { file: "conf/base/parameters.yml", line: 2, column: 6, keyPath: "a.b" }
 * ```
 */
export function parseYaml(
  text: string,
  file: string,
  options: { code?: string; schema?: Schema; sourceKeys?: boolean } = {},
): YamlSource {
  const schema = options.schema ?? OMEGACONF_SCHEMA;
  let value: unknown;
  try {
    // When the text shows there is something to record, the one parse records it; else only a key the
    // value shows typed or integer-like (rare) costs a second parse.
    const recording = options.sourceKeys && yamlTextMayNeedSources(text) ? yamlSourceListener() : undefined;
    value = loadWithinLimits(text, file, schema, recording?.listener) ?? null;
    if (recording) markSourceKeys(value);
    else if (options.sourceKeys) value = withYamlSourceKeys(text, schema, value);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof RangeError) throw tooDeepForParser(text, file); // the parser ran out of stack
    const e = error as Error & { reason?: string; mark?: YamlMark };
    const reason = e.reason ?? e.message;
    const duplicate = /duplicated mapping key/.test(reason);
    const documents = /expected a single document/.test(reason);
    // The parser gives no position for a second document: point at its `---` line.
    const separator = documents ? secondDocumentLine(text) : undefined;
    throw new ConfigError(
      options.code ?? (duplicate ? "yaml/duplicate-key" : "yaml/syntax"),
      `Cannot parse ${file}: ${reason}`,
      {
        source: e.mark
          ? { file, line: e.mark.line + 1, column: e.mark.column + 1 }
          : separator
          ? { file, line: separator, column: 1 }
          : { file },
        hint: duplicate
          ? "a key may appear only once in a mapping; remove or rename one of them"
          : documents
          ? "a config file holds one YAML document: remove the `---` separator (or split the file in two)"
          : /unknown tag/.test(reason)
          ? "kmlf reads plain YAML: tags such as !!python/tuple or !Ref are not supported; write the value as a list, mapping or string"
          : "check the indentation and quoting around this position",
      },
    );
  }
  let root: YamlIndex | undefined;
  let lineStarts: number[] | undefined;
  const index = () => (root ??= buildIndex(text, schema));
  const position = (offset: number): { line: number; column: number } => {
    lineStarts ??= computeLineStarts(text);
    const at = skipBlanks(text, offset);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo] + 1 };
  };
  const walk = (path: KeyPath, wantKey: boolean): SourceLocation => {
    const keyPath = formatKeyPath(path);
    const { root: top, anchors } = index();
    let node: Frame | undefined = top;
    let keyFrame: Frame | undefined;
    let depth = 0;
    for (const seg of path) {
      const next: { key?: Frame; value: Frame } | undefined = node ? child(node, seg, anchors) : undefined;
      if (!next) break;
      keyFrame = next.key;
      node = next.value;
      depth++;
    }
    const target = depth === path.length && wantKey && keyFrame ? keyFrame : node;
    return target ? { file, ...position(target.start), keyPath } : { file, keyPath };
  };
  return { file, value, locate: (path) => walk(path, false), locateKey: (path) => walk(path, true) };
}

/**
 * Reads and parses a YAML configuration file (at most {@link YAML_LIMITS}`.maxFileBytes`); a missing file
 * is a {@link ConfigError}.
 *
 * @example
 * ```ts
 * const src = await readYamlFile("/project/kmlf.yml");
 * ```
 */
export async function readYamlFile(
  path: string,
  options: { code?: string; sourceKeys?: boolean } = {},
): Promise<YamlSource> {
  let text: string;
  try {
    const size = Deno.statSync(path).size;
    if (size > YAML_LIMITS.maxFileBytes) {
      throw new ConfigError(
        "yaml/too-large",
        `Cannot read ${path}: it is ${(size / 1024 ** 2).toFixed(1)} MiB, more than a configuration file ` +
          `may be (${YAML_LIMITS.maxFileBytes / 1024 ** 2} MiB)`,
        {
          source: { file: path },
          hint: "keep data out of configuration: put it in a dataset file and declare it in the catalog",
        },
      );
    }
    text = decodeUtf8(await readFile(path), path);
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError("yaml/unreadable", `Cannot read ${path}: ${(cause as Error).message}`, {
      source: { file: path },
      hint: "check that the file exists and is readable",
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

// Every composed node, and the node that defines each anchored mapping or sequence (by its parsed value:
// an alias yields the very same object).
interface YamlIndex {
  root: Frame;
  anchors: Map<unknown, Frame>;
}

// Re-parses with js-yaml's listener, which reports every composed node in document order.
function buildIndex(text: string, schema: Schema): YamlIndex {
  const top: Frame = { start: 0, children: [] };
  const stack: Frame[] = [top];
  const anchors = new Map<unknown, Frame>();
  const listener = (event: "open" | "close", state: { position: number; result: unknown }) => {
    if (event === "open") stack.push({ start: state.position, children: [] });
    else {
      const frame = stack.pop()!;
      frame.result = state.result;
      stack[stack.length - 1].children.push(frame);
      // An alias is a node without children; the first node with children holding the value defines it.
      const result = state.result;
      if (
        frame.children.length > 0 && typeof result === "object" && result !== null && !anchors.has(result)
      ) {
        anchors.set(result, frame);
      }
    }
  };
  load(text, { schema, listener } as LoadOptions & { listener: typeof listener });
  return { root: top.children[0] ?? top, anchors };
}

// The node to look into: the innermost of a node js-yaml reports twice (a flow mapping as a sequence
// entry), and for an alias (`*defaults`) the node its anchor names, where the values are written.
function innermost(node: Frame, anchors: Map<unknown, Frame>): Frame {
  if (node.children.length === 0) node = anchors.get(node.result) ?? node;
  while (node.children.length === 1 && node.children[0].result === node.result) node = node.children[0];
  return node;
}

// `seg`'s key and value under `node`. A key a merge (`<<: *defaults`, `<<: [*a, *b]`) brought in is found
// where its anchor wrote it, with js-yaml's precedence: the mapping's own keys, then the merged mappings
// in order, the first one having the key winning.
function child(
  node: Frame,
  seg: string | number,
  anchors: Map<unknown, Frame>,
  seen = new Set<Frame>(),
): { key?: Frame; value: Frame } | undefined {
  node = innermost(node, anchors);
  if (seen.has(node)) return undefined;
  seen.add(node);
  const result = node.result;
  if (Array.isArray(result)) {
    return typeof seg === "number" && node.children[seg] ? { value: node.children[seg] } : undefined;
  }
  if (!result || typeof result !== "object") return undefined;
  // Children alternate key, value; the last definition of a key wins, as in the parsed value.
  const merges: Frame[] = [];
  for (let i = (node.children.length - 2) & ~1; i >= 0; i -= 2) {
    const key = node.children[i];
    const name = key.result;
    if ((typeof name === "string" || typeof name === "number" || typeof name === "boolean")) {
      if (String(name) === String(seg)) return { key, value: node.children[i + 1] };
      if (name === "<<" && !Object.hasOwn(result, "<<")) merges.unshift(node.children[i + 1]);
    }
  }
  for (const merge of merges) {
    const source = innermost(merge, anchors);
    const sources = Array.isArray(source.result) ? source.children : [source];
    for (const from of sources) {
      const found = child(from, seg, anchors, seen);
      if (found) return found;
    }
  }
  return undefined;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

// 1-based line of the `---` that starts a second document, if one can be found.
function secondDocumentLine(text: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const starts = lines.flatMap((line, i) => (/^---(\s|$)/.test(line) ? [i] : []));
  const hasContentBefore = (i: number) => lines.slice(0, i).some((l) => l.trim() !== "" && !/^\s*#/.test(l));
  const second = starts.find((i) => hasContentBefore(i));
  return second === undefined ? undefined : second + 1;
}
