/** Builds nodes and pipelines in memory for pipeline and runner tests, and fixture projects on disk. */
import { basename, join } from "node:path";
import { KmlfAggregateError, KmlfError } from "../../lib/errors.ts";
import { loadPipelines, Node, type NodeFunction } from "../../lib/pipeline/mod.ts";
import { withTree } from "../fs_helpers.ts";

/**
 * A node with positional inputs and a single (or list) output.
 *
 * @example
 * ```ts
 * const n = node("double", ["a"], ["b"], (x: number) => x * 2);
 * ```
 */
export function node(
  name: string,
  inputs: string[],
  outputs: string[],
  func?: NodeFunction,
  tags: string[] = [],
  namespace?: string,
): Node {
  return new Node({
    name,
    func: func ??
      ((...args: unknown[]) => (outputs.length === 1 ? args[0] ?? 1 : outputs.map(() => args[0] ?? 1))),
    funcRef: `./test.ts#${name}`,
    inputs,
    outputs,
    inputBinding: inputs.length === 0 ? { kind: "none" } : { kind: "positional" },
    outputBinding: outputs.length === 0
      ? { kind: "none" }
      : outputs.length === 1
      ? { kind: "single" }
      : { kind: "list" },
    tags,
    namespace,
  });
}

/** A node module for fixture projects: sync, async, defaults, rest, destructuring, non-functions. */
export const OPS = `
export const double = (x: number) => x * 2;
export async function addAsync(a: number, b: number = 1) { return a + b; }
export function stats({ values, scale }: { values: number[]; scale: number }) {
  return { total: values.reduce((s, v) => s + v, 0) * scale, count: values.length };
}
export const split = (xs: number[]) => [xs.slice(0, 1), xs.slice(1)];
export const variadic = (...xs: number[]) => xs.length;
export function tricky(a: string, sep = ",", wrap = (s: string) => \`(\${s})\`, { k } = { k: "[" }) {
  return wrap(a.split(sep).join(k));
}
export const constant = () => 42;
export const notAFunction = 42;
export class NotAFunctionEither {}
`;

/** The individual problems of a loading error (one, or every problem of an aggregate). */
export function errorsOf(error: unknown): KmlfError[] {
  if (error instanceof KmlfAggregateError) return [...error.errors];
  if (error instanceof KmlfError) return [error];
  throw error;
}

/** `file.yml:line:col` of an error, with the file's base name only. */
export function where(error: KmlfError): string {
  const s = error.source;
  return `${basename(s?.file ?? "?")}:${s?.line}:${s?.column}`;
}

/** Loads the pipelines of a fixture tree and returns the problems it reports (fails if it loads). */
export async function problemsOf(files: Record<string, string>, only?: string[]): Promise<KmlfError[]> {
  return await withTree(files, async (dir) => {
    const error = await loadPipelines(join(dir, "pipelines"), { only }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error === undefined) throw new Error("expected the pipelines to be invalid");
    return errorsOf(error);
  });
}
