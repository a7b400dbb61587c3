/** validateWith's messages: located at the wrong key itself, in YAML's words, with a hint that says the fix. */
import assert from "node:assert/strict";
import { z } from "../../lib/zod/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { validateWith } from "../../lib/yaml/validate.ts";
import { KmlfAggregateError, type KmlfError } from "../../lib/errors.ts";

// A key that takes a shorthand or a mapping, like a catalog entry's `dataset:`.
const Schema = z.strictObject({
  dataset: z.union([z.string(), z.strictObject({ type: z.string(), filepath: z.optional(z.string()) })]),
  tags: z.optional(z.union([z.string(), z.array(z.string())])),
  name: z.optional(z.string().check(z.regex(/^\w+$/, "use letters, digits and _ only"))),
  enabled: z.optional(z.boolean()),
});

function problems(text: string, options: { notInterpolated?: boolean } = {}): KmlfError[] {
  const src = parseYaml(text, "x.yml");
  try {
    validateWith(Schema, src.value, src, { code: "x/invalid", what: "x.yml", ...options });
  } catch (error) {
    return error instanceof KmlfAggregateError ? [...error.errors] : [error as KmlfError];
  }
  throw new Error("expected a validation error");
}

Deno.test("a mapping given to a shorthand-or-mapping key is checked inside: the error is at the inner key", () => {
  const [typeNull, ...rest] = problems("dataset:\n  type: null\n  filepath: a.pkl\n");
  assert.equal(rest.length, 0);
  assert.equal(typeNull.source?.keyPath, "dataset.type");
  assert.deepEqual([typeNull.source?.line, typeNull.source?.column], [2, 9]);
  assert.match(typeNull.message, /expected a string, got null/);
  const [unknown] = problems("dataset:\n  type: pickle\n  filepth: a.pkl\n");
  assert.equal(unknown.source?.keyPath, "dataset.filepth");
  assert.match(unknown.hint!, /did you mean "filepath"/);
});

Deno.test("a value of no allowed type names the types as YAML does, and what it got", () => {
  const [tags] = problems("dataset: a\ntags: {x: 1}\n");
  assert.match(tags.message, /expected a string or a list, got a mapping/);
  assert.match(tags.hint!, /^write a string or a list here/);
  const [enabled] = problems("dataset: a\nenabled: 'yes'\n");
  assert.match(enabled.message, /expected a boolean \(true or false\), got the string "yes"/);
});

Deno.test("a format failure says the fix: an empty value, or a ${…} in a file read as written", () => {
  const [empty] = problems('dataset: a\nname: ""\n');
  assert.match(empty.hint!, /write a value, or remove the key/);
  const [interpolated] = problems("dataset: a\nname: ${globals:n}\n", { notInterpolated: true });
  assert.match(interpolated.hint!, /read as written \(only conf\/ files are interpolated\)/);
  // A conf file is interpolated before it is validated: there a ${…} left is not the explanation.
  const [conf] = problems("dataset: a\nname: ${globals:n}\n");
  assert.doesNotMatch(conf.hint!, /read as written/);
});
