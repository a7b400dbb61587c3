/**
 * Limits that keep a small YAML file from costing minutes and gigabytes ("billion laughs"): the extra
 * nodes and characters that aliases add once expanded, alias cycles, and nesting depth (also through
 * aliases). js-yaml shares an aliased value instead of copying it, so parsing a bomb is cheap; what is
 * expensive is every later walk over the value (interpolation, merging, logging), which sees it expanded.
 *
 * Alias-free text (no `&` anchor) is never walked twice: only its depth is checked, in one pass.
 *
 * @module
 */
import { load, type LoadOptions, type Schema } from "./_js_yaml.js";
import { OMEGACONF_SCHEMA } from "./yaml11.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";

/**
 * The limits every YAML file kmlf reads is held to. An alias-free document is never limited in size
 * by the alias limits (a big file is just big); aliases may add at most this much.
 */
export const YAML_LIMITS = {
  /** Nesting depth of mappings and sequences, aliases expanded. */
  maxDepth: 100,
  /** Mapping/sequence entries that aliases add once expanded. */
  maxAliasNodes: 100_000,
  /** Characters (keys and string scalars) that aliases add once expanded. */
  maxAliasChars: 10_000_000,
  /** Size of a configuration file (conf, pipelines, kmlf.yml, mlflow.yml, MLmodel), in bytes. */
  maxFileBytes: 16 * 1024 * 1024,
} as const;

/** What one value costs once every alias inside it is expanded. */
interface Cost {
  nodes: number;
  chars: number;
  depth: number;
}

const LEAF: Cost = { nodes: 0, chars: 0, depth: 0 };

/**
 * Expanded sizes of values, computed once per shared object (so a bomb is measured in time linear in
 * its text), with cycle detection.
 */
class CostMeter {
  readonly #known = new WeakMap<object, Cost>();
  readonly #visiting = new WeakSet<object>();

  /** The cost of `value`, or "cycle" when it contains itself. Iterative: depth cannot overflow the stack. */
  of(value: unknown): Cost | "cycle" {
    if (typeof value === "string") return { nodes: 0, chars: value.length, depth: 0 };
    if (value === null || typeof value !== "object") return LEAF;
    const known = this.#known.get(value);
    if (known) return known;
    // Post-order walk with an explicit stack.
    const stack: { node: object; children: unknown[]; next: number; cost: Cost }[] = [];
    const push = (node: object) => {
      this.#visiting.add(node);
      const children = Array.isArray(node) ? node : Object.entries(node).flat();
      stack.push({ node, children, next: 0, cost: { nodes: children.length, chars: 0, depth: 1 } });
    };
    push(value);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.children.length) {
        const child = top.children[top.next++];
        if (child === null || typeof child !== "object") {
          if (typeof child === "string") top.cost.chars += child.length;
          continue;
        }
        const childKnown = this.#known.get(child);
        if (childKnown) add(top.cost, childKnown);
        else if (this.#visiting.has(child)) return "cycle";
        else push(child);
        continue;
      }
      stack.pop();
      this.#visiting.delete(top.node);
      this.#known.set(top.node, top.cost);
      if (stack.length > 0) add(stack[stack.length - 1].cost, top.cost);
    }
    return this.#known.get(value)!;
  }
}

function add(into: Cost, child: Cost): void {
  into.nodes += child.nodes;
  into.chars += child.chars;
  into.depth = Math.max(into.depth, child.depth + 1);
}

function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) line++, start = i + 1;
  }
  return { line, column: Math.max(1, offset - start + 1) };
}

/**
 * The offset of a node's first character: js-yaml reports nodes before blanks and comments.
 *
 * @example
 * ```ts
 * skipBlanks("a:\n  # note\n  b", 2); // the offset of "b"
 * ```
 */
export function skipBlanks(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const ch = text[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") i++;
    else if (ch === "#") { while (i < text.length && text[i] !== "\n") i++; }
    else break;
  }
  return i;
}

function tooDeep(file: string, where: SourceLocation): ConfigError {
  return new ConfigError(
    "yaml/too-deep",
    `Cannot read ${file}: it nests mappings and lists more than ${YAML_LIMITS.maxDepth} levels deep`,
    {
      source: where,
      hint: "flatten the structure (kmlf reads at most " + YAML_LIMITS.maxDepth +
        " levels, aliases expanded); deep nesting is usually a generated or corrupted file",
    },
  );
}

/** A js-yaml node listener (js-yaml's `listener` load option). */
export type YamlListener = (
  event: "open" | "close",
  state: { result: unknown; tag?: string | null; position: number },
) => void;

/**
 * Parses `text` with js-yaml, refusing alias bombs, alias cycles and over-deep nesting with a
 * `yaml/...` ConfigError naming `file:line:column`. Other js-yaml errors propagate unchanged. `extra`
 * hears every node the parse composes (lib/yaml/source_keys_yaml.ts records what PyYAML keeps with it).
 *
 * @example
 * ```ts
 * loadWithinLimits("a: &a [1, 2]\nb: *a\n", "conf/base/parameters.yml"); // { a: [1, 2], b: [1, 2] }
 * ```
 */
export function loadWithinLimits(
  text: string,
  file: string,
  schema: Schema = OMEGACONF_SCHEMA,
  extra?: YamlListener,
): unknown {
  if (!text.includes("&")) {
    const value = load(
      text,
      { filename: file, schema, listener: extra } as LoadOptions & { listener?: YamlListener },
    );
    if (tooDeepValue(value)) throw tooDeep(file, locateDepth(text, file));
    return value;
  }
  const meter = new CostMeter();
  const opened: number[] = [];
  const aliases: { offset: number; target: object }[] = [];
  let aliasNodes = 0;
  let aliasChars = 0;
  const listener: YamlListener = (event, state) => {
    extra?.(event, state); // its stack pushed and popped with ours: a throw below ends the parse anyway
    if (event === "open") {
      opened.push(state.position);
      if (opened.length > YAML_LIMITS.maxDepth + 1) {
        throw tooDeep(file, { file, ...lineAt(text, skipBlanks(text, state.position)) });
      }
      return;
    }
    const start = skipBlanks(text, opened.pop()!);
    if (text[start] !== "*") return;
    const where = () => ({ file, ...lineAt(text, start) }); // computed for errors only
    if (state.result !== null && typeof state.result === "object") {
      aliases.push({ offset: start, target: state.result });
    }
    // A target still being composed is an ancestor (a cycle, refused below): counted as it is so far.
    const cost = meter.of(state.result);
    if (cost === "cycle") throw aliasCycle(file, where());
    aliasNodes += cost.nodes;
    aliasChars += cost.chars;
    if (opened.length + cost.depth > YAML_LIMITS.maxDepth) throw tooDeep(file, where());
    if (aliasNodes > YAML_LIMITS.maxAliasNodes || aliasChars > YAML_LIMITS.maxAliasChars) {
      throw new ConfigError(
        "yaml/alias-expansion",
        `Cannot read ${file}: its aliases expand to more than ${
          YAML_LIMITS.maxAliasNodes.toLocaleString("en")
        } ` +
          `entries or ${YAML_LIMITS.maxAliasChars.toLocaleString("en")} characters (an alias bomb?)`,
        {
          source: where(),
          hint:
            "aliases (*name) that repeat other aliases multiply; write the values out or use fewer levels",
        },
      );
    }
  };
  const value = load(
    text,
    { filename: file, schema, listener } as LoadOptions & { listener: typeof listener },
  );
  // An alias to a mapping or list it sits in makes the value contain itself: every later walk would loop.
  if (aliases.length > 0 && new CostMeter().of(value) === "cycle") {
    const looping = aliases.find((a) => new CostMeter().of(a.target) === "cycle");
    throw aliasCycle(file, looping ? { file, ...lineAt(text, looping.offset) } : { file });
  }
  return value;
}

function aliasCycle(file: string, where: SourceLocation): ConfigError {
  return new ConfigError(
    "yaml/alias-cycle",
    `Cannot read ${file}: an alias refers to a value containing itself`,
    {
      source: where,
      hint: "an alias (*name) may not point at a mapping or list it is part of; copy the values instead",
    },
  );
}

/**
 * Whether an alias-free value nests containers deeper than the limit. Recursion stops at the limit, so
 * it never goes deeper than that itself.
 */
function tooDeepValue(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object") return false;
  if (depth >= YAML_LIMITS.maxDepth) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (tooDeepValue(item, depth + 1)) return true;
  } else {
    for (const key in value) {
      if (tooDeepValue((value as Record<string, unknown>)[key], depth + 1)) return true;
    }
  }
  return false;
}

/** Where nesting first goes past the limit, found by parsing again with positions (rare: errors only). */
function locateDepth(text: string, file: string): SourceLocation {
  let depth = 0;
  let found: SourceLocation = { file };
  const listener = (event: "open" | "close", state: { position: number }) => {
    depth += event === "open" ? 1 : -1;
    if (event === "open" && depth > YAML_LIMITS.maxDepth + 1 && found.line === undefined) {
      found = { file, ...lineAt(text, skipBlanks(text, state.position)) };
    }
  };
  load(text, { listener } as LoadOptions & { listener: typeof listener });
  return found;
}

/**
 * Where a text too deep for the parser itself (it overflowed the stack) first goes past the limit:
 * counted by flow brackets and by indentation, which is how YAML nests.
 *
 * @example
 * ```ts
 * deepestPoint("a: " + "[".repeat(5000), "x.yml"); // { file: "x.yml", line: 1, column: 104 }
 * ```
 */
export function deepestPoint(text: string, file: string): SourceLocation {
  let flow = 0;
  const indents: number[] = [];
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (i === lineStart) {
      let j = i;
      while (text[j] === " ") j++;
      if (text[j] !== "\n" && text[j] !== "#" && j < text.length) {
        while (indents.length > 0 && indents[indents.length - 1] >= j - i) indents.pop();
        indents.push(j - i);
      }
    }
    if (ch === "\n") lineStart = i + 1;
    else if (ch === "[" || ch === "{") flow++;
    else if (ch === "]" || ch === "}") flow--;
    if (flow + indents.length > YAML_LIMITS.maxDepth + 1) return { file, ...lineAt(text, i) };
  }
  return { file };
}

/** The ConfigError for a text so deep that the parser itself ran out of stack. */
export function tooDeepForParser(text: string, file: string): ConfigError {
  return tooDeep(file, deepestPoint(text, file));
}
