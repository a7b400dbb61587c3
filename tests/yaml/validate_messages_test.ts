/** validateWith's messages: located at the wrong key itself, in YAML's words, with a hint that says the fix. */
import assert from "node:assert/strict";
import { deferred, z } from "../../lib/zod/mod.ts";
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

function problems(
  text: string,
  options: { notInterpolated?: boolean } = {},
  schema: z.ZodMiniType = Schema,
): KmlfError[] {
  const src = parseYaml(text, "x.yml");
  try {
    validateWith(schema, src.value, src, { code: "x/invalid", what: "x.yml", ...options });
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

Deno.test("a union with its own message is checked inside a value of one of its forms; a value of none keeps it", () => {
  const Mode = z.enum(["assign", "copy"]);
  const schema = z.strictObject({
    mode: z.union([Mode, z.record(z.string(), Mode)], { error: "must be assign or copy, or a map of them" }),
  });
  const [inner] = problems("mode:\n  x: copy\n  y: bad\n", {}, schema);
  assert.equal(inner.source?.keyPath, "mode.y");
  assert.equal(inner.source?.line, 3);
  assert.match(inner.hint!, /use one of: "assign", "copy"/);
  for (const text of ["mode: bad\n", "mode: [copy]\n"]) {
    const [whole] = problems(text, {}, schema);
    assert.equal(whole.source?.keyPath, "mode");
    assert.match(whole.message, /must be assign or copy, or a map of them|expected a string or a mapping/);
  }
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

Deno.test("a deferred sub-schema is built when a value reaches it, with the eager one's errors and hints", () => {
  let builds = 0;
  const args = () =>
    z.strictObject({ sep: z.optional(z.string().check(z.minLength(1))), header: z.optional(z.boolean()) })
      .check(z.refine((a) => a.sep !== ";", { message: "not ;", path: ["sep"] }));
  const entry = (load: z.core.$ZodType) =>
    z.strictObject({ filepath: z.string(), load_args: z.optional(load) });
  const Deferred = entry(deferred(() => (builds++, args())));
  const src = parseYaml("filepath: a.csv\n", "x.yml");
  assert.deepEqual(validateWith(Deferred, src.value, src, { code: "x/invalid", what: "x.yml" }), {
    filepath: "a.csv",
  });
  assert.equal(Deferred.safeParse({ filepath: "a.csv" }).success, true); // zod's compiled path too
  assert.equal(builds, 0);
  const shown = (errors: KmlfError[]) =>
    errors.map((e) => [e.message, e.source?.line, e.source?.column, e.hint]);
  for (
    const text of ["filepath: a\nload_args:\n  sepp: ','\n  header: 1\n", "filepath: a\nload_args: [1]\n"]
  ) {
    assert.deepEqual(shown(problems(text, {}, Deferred)), shown(problems(text, {}, entry(args()))));
  }
  assert.equal(builds, 1);
  assert.match(
    problems("filepath: a\nload_args: {sepp: ','}\n", {}, Deferred)[0].hint!,
    /did you mean "sep"/,
  );
  assert.equal(
    problems("filepath: a\nload_args: {sep: ';'}\n", {}, Deferred)[0].source?.keyPath,
    "load_args.sep",
  );
  // An optional or defaulted inner schema would make zod ask it whether the key may be absent.
  assert.throws(() => z.optional(deferred(() => z.optional(z.string()))).parse("x"), /plain schema/);
});
