/** MLflow's search grammar: parsed clauses, aliases and quoting, order_by, page tokens, and errors that point at the bad token. */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import {
  decodePageToken,
  encodePageToken,
  paginate,
  parseFilter,
  parseOrderBy,
  parseOrderByList,
  parseRegisteredModelFilter,
} from "../../lib/tracking/mod.ts";

function parseError(fn: () => unknown, message: string, column?: number, prefix = false): TrackingError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof TrackingError, `expected a TrackingError, got ${caught}`);
  assert.equal(caught.code, "INVALID_PARAMETER_VALUE");
  if (prefix) assert.ok(caught.message.startsWith(message), caught.message);
  else assert.equal(caught.message, message);
  if (column !== undefined) {
    assert.equal(caught.source?.column, column);
    assert.ok(caught.hint?.includes(`character ${column})`), caught.hint);
  }
  return caught;
}

Deno.test("filters parse into clauses for every entity type, with aliases and quoting", () => {
  assert.deepEqual(parseFilter("metrics.accuracy > 0.9 and params.model = 'logreg'"), [
    { type: "metric", key: "accuracy", comparator: ">", value: 0.9 },
    { type: "parameter", key: "model", comparator: "=", value: "logreg" },
  ]);
  assert.deepEqual(parseFilter("tags.mlflow.runName LIKE 'iris%'"), [
    { type: "tag", key: "mlflow.runName", comparator: "LIKE", value: "iris%" },
  ]);
  assert.deepEqual(parseFilter('`metrics`.`val loss` <= -1.5e-3 AND metric."a b" != 2'), [
    { type: "metric", key: "val loss", comparator: "<=", value: -0.0015 },
    { type: "metric", key: "a b", comparator: "!=", value: 2 },
  ]);
  assert.deepEqual(parseFilter("status = 'FAILED' AND attr.created >= 17 AND run.`Run Name` ilike \"x%\""), [
    { type: "attribute", key: "status", comparator: "=", value: "FAILED" },
    { type: "attribute", key: "start_time", comparator: ">=", value: 17 },
    { type: "attribute", key: "run_name", comparator: "ILIKE", value: "x%" },
  ]);
  assert.deepEqual(parseFilter("attributes.run_id IN ('a', 'b') AND run_id NOT IN ('c')"), [
    { type: "attribute", key: "run_id", comparator: "IN", value: ["a", "b"] },
    { type: "attribute", key: "run_id", comparator: "NOT IN", value: ["c"] },
  ]);
  assert.deepEqual(parseFilter("parameters.lr IS NULL AND tag.t IS NOT NULL AND param.`x` = 'it''s'"), [
    { type: "parameter", key: "lr", comparator: "IS NULL", value: null },
    { type: "tag", key: "t", comparator: "IS NOT NULL", value: null },
    { type: "parameter", key: "x", comparator: "=", value: "it's" },
  ]);
  assert.deepEqual(parseFilter("datasets.digest IN ('d1') AND dataset.context = 'training'"), [
    { type: "dataset", key: "digest", comparator: "IN", value: ["d1"] },
    { type: "dataset", key: "context", comparator: "=", value: "training" },
  ]);
  assert.deepEqual(parseFilter(""), []);
  assert.deepEqual(parseFilter(undefined), []);
  // MLflow refuses a filter of blanks only.
  parseError(() => parseFilter("  "), "Invalid filter '  '. Could not be parsed.");
});

Deno.test("experiment filters accept name, times and tags only", () => {
  assert.deepEqual(
    parseFilter("name LIKE 'iris%' AND tags.team = 'ml' AND creation_time > 5", "experiments"),
    [
      { type: "attribute", key: "name", comparator: "LIKE", value: "iris%" },
      { type: "tag", key: "team", comparator: "=", value: "ml" },
      { type: "attribute", key: "creation_time", comparator: ">", value: 5 },
    ],
  );
  parseError(
    () => parseFilter("metrics.a > 1", "experiments"),
    "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')",
    1,
  );
  parseError(
    () => parseFilter("status = 'x'", "experiments"),
    "Invalid attribute key 'status' specified. Valid keys are '{'last_update_time', 'creation_time', 'name'}'",
    1,
  );
});

const RUN_KEYS = "{'artifact_uri', 'status', 'Created', 'Run Name', 'run name', 'run_name', 'run_id', " +
  "'start_time', 'user_id', 'Run name', 'end_time', 'created'}";

Deno.test("bad filters get MLflow's message; the hint explains it and points at the token", () => {
  const e = parseError(
    () => parseFilter("metrics.acc ~ 0.9"),
    "Invalid comparator '~' not one of '{'<', '>', '=', '>=', '<=', '!='}",
    13,
  );
  assert.match(e.hint!, /compared with <, >, =, >=, <=, !=/);
  const quoted = parseError(
    () => parseFilter("params.p1 = v1"),
    "Parameter value is either not quoted or unidentified quote types used for string value v1. Use either " +
      "single or double quotes.",
    13,
  );
  assert.equal(
    quoted.hint,
    "put the value in quotes: 'v1' (filter, character 13):\n    params.p1 = v1\n                ^",
  );
  parseError(() => parseFilter("metrics.acc > 'x'"), "Expected numeric value type for metric. Found 'x'", 15);
  // Python writes big floats as 1e+20, which sqlparse does not read as one number: the hint says how.
  for (
    const [filter, grammar] of [["metrics.acc < 1e+20", "runs"], [
      "creation_time > 1E+3",
      "experiments",
    ]] as const
  ) {
    const error = parseError(
      () => parseFilter(filter, grammar),
      "Expected numeric value type",
      undefined,
      true,
    );
    assert.match(error.hint ?? "", /write the exponent without '\+': 1[eE](20|3)/);
  }
  parseError(
    () => parseFilter("params.p = 3"),
    "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 3",
    12,
  );
  const or = parseError(
    () => parseFilter("metrics.a > 1 OR metrics.b > 2"),
    "Invalid clause(s) in filter string: 'OR'",
    15,
  );
  assert.match(or.hint!, /^OR is not supported/);
  assert.match(
    parseError(
      () => parseFilter("metrics.acc >"),
      "Invalid clause(s) in filter string: 'metrics.acc', '>'",
      13,
    )
      .hint!,
    /no value after '>'/,
  );
  parseError(() => parseFilter("metrics.a LIKE '1'"), "Expected numeric value type for metric. Found '1'");
  parseError(
    () => parseFilter("params.a <> 'x'"),
    "Invalid comparator '<>' not one of '{'LIKE', 'ILIKE', '=', '!='}'",
  );
  parseError(
    () => parseFilter("attributes.lifecycle_stage = 'x'"),
    `Invalid attribute key 'lifecycle_stage' specified. Valid keys are '${RUN_KEYS}'`,
  );
  parseError(
    () => parseFilter("tags.my-tag = 'x'"),
    "Invalid comparison clause. Expected 'Identifier' found 'tags.my-tag'",
  );
  parseError(
    () => parseFilter("run_id IN ()"),
    "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
  );
  parseError(
    () => parseFilter("run_id IN ('a' 'b')"),
    "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.",
  );
  parseError(
    () => parseFilter("(metrics.a > 1)"),
    "Invalid clause(s) in filter string: '(metrics.a > 1)'",
    1,
  );
  parseError(
    () => parseFilter("datasets.size = 'x'"),
    "Invalid dataset key 'size' specified. Valid keys are '{'digest', 'context', 'name'}'",
  );
  parseError(
    () => parseFilter("metrics.a > 1; metrics.b > 1"),
    "Search filter contained multiple expression 'metrics.a > 1; metrics.b > 1'. Provide AND-ed expression list.",
  );
});

Deno.test("NaN and Infinity as metric bounds get MLflow's message and a hint on how to reach them", () => {
  for (const value of ["NaN", "nan", "Infinity", "'inf'", '"-Infinity"']) {
    const error = parseError(
      () => parseFilter(`metrics.m = ${value}`),
      `Expected numeric value type for metric. Found ${value}`,
      13,
    );
    assert.match(error.hint!, /NaN matches no bound but `!=`.*metrics\.m >= 1e309/, value);
  }
  assert.doesNotMatch(
    parseError(
      () => parseFilter("metrics.m = information"),
      "Expected numeric value type for metric. Found information",
    )
      .hint!,
    /1e309/,
  );
});

Deno.test("IN lists MLflow refuses get its message and a hint naming what to change in the list", () => {
  const illFormed =
    "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.";
  const otherType = (list: string) =>
    `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${list}`;
  const cases: [string, string, RegExp][] = [
    ["run_id IN ( 'a', 'b' )", illFormed, /^remove the spaces just inside the parentheses/],
    ["run_id IN ('a' )", illFormed, /^remove the spaces just inside the parentheses/],
    ["run_id NOT IN ('a',)", illFormed, /^a one-item list has no trailing comma: \('a'\)/],
    ["datasets.name IN ('a',,'b')", illFormed, /^a comma stands between two items/],
    ["run_id IN (,'a')", illFormed, /^a comma stands between two items/],
    ["run_id IN ('a' 'b')", illFormed, /^write the list as \('a', 'b'\): single-quoted strings/],
    ['run_id IN ("a", "b")', otherType('("a", "b")'), /^quote list items with single quotes/],
    [`datasets.digest IN ('a', "b")`, otherType(`('a', "b")`), /^quote list items with single quotes/],
    ["run_id IN ('a', 1)", otherType("('a', 1)"), /^a list holds quoted strings only/],
  ];
  for (const [filter, message, hint] of cases) {
    assert.match(parseError(() => parseFilter(filter), message, filter.indexOf("(") + 1).hint!, hint, filter);
  }
  // The shapes MLflow takes: one item, no spaces or spaces after commas, a trailing comma after two items.
  for (const list of ["('a')", "('a','b')", "('a' , 'b')", "('a', 'b',)"]) {
    assert.equal(parseFilter(`run_id IN ${list}`)[0].comparator, "IN", list);
  }
});

Deno.test("kmlf's deliberate differences: IS [NOT] NULL on params and tags, and an AND that joins nothing", () => {
  assert.deepEqual(parseFilter("params.lr IS NULL AND tags.`a b` IS NOT NULL"), [
    { type: "parameter", key: "lr", comparator: "IS NULL", value: null },
    { type: "tag", key: "a b", comparator: "IS NOT NULL", value: null },
  ]);
  // Elsewhere IS NULL is what MLflow makes of it: tokens that are no comparison.
  parseError(
    () => parseFilter("metrics.a IS NULL"),
    "Invalid clause(s) in filter string: 'metrics.a', 'IS', 'NULL'",
  );
  parseError(
    () => parseFilter("params.a IS NULL OR params.b = 'x'"),
    "Invalid clause(s) in filter string: 'params.a', 'IS', 'NULL', 'OR'",
  );
  // MLflow ignores these ANDs; kmlf names them, once everything MLflow checks has passed.
  parseError(() => parseFilter("metrics.a > 1 AND"), "Invalid clause(s) in filter string: 'AND'", 15);
  parseError(() => parseFilter("AND metrics.a > 1"), "Invalid clause(s) in filter string: 'AND'", 1);
  parseError(
    () => parseFilter("name = 'a' AND AND name = 'b'", "experiments"),
    "Invalid clause(s) in filter string: AND",
    16,
  );
  // Comparisons side by side are joined by AND, as in MLflow.
  assert.equal(parseFilter("metrics.a > 1 metrics.b > 2").length, 2);
  // Searches longer than 50,000 characters are refused (parsing them is quadratic in the worst case).
  parseError(
    () => parseFilter("metrics.a > 1 AND ".repeat(3000) + "metrics.a > 1"),
    "Invalid filter string: 54013 characters, over kmlf's limit of 50000",
  );
  // A quote inside a '…' value is written '' (or \'), as SQL does; MLflow keeps both characters.
  assert.deepEqual(parseFilter("params.q = 'it''s' AND params.r = 'a\\'b'").map((c) => c.value), [
    "it's",
    "a'b",
  ]);
  // "…" reads the same escapes as '…': a doubled or backslashed quote is a quote, \\ one backslash.
  const values = (filter: string) => parseFilter(filter).map((c) => c.value);
  assert.deepEqual(values(String.raw`tags.a = "say \"hi\"" AND tags.b = "say ""hi""" AND tags.c = "x\\y"`), [
    'say "hi"',
    'say "hi"',
    "x\\y",
  ]);
  assert.deepEqual(values(String.raw`tags.a = 'x\\y' AND tags.b = "x\\" AND tags.c = 'x\\'`), [
    "x\\y",
    "x\\",
    "x\\",
  ]);
  assert.deepEqual(values(String.raw`datasets.name IN ('a\'b', 'c''d')`), [["a'b", "c'd"]]);
});

Deno.test("a metric, param or tag key left empty is refused (MLflow matches nothing: no key is ever empty)", () => {
  const hint = /name the key after the dot, e\.g\. metrics\.acc/;
  for (const [key, type] of [["metrics.", "metric"], ["params.``", "parameter"], ['tags.""', "tag"]]) {
    const value = type === "metric" ? "1" : "'x'";
    const entity = key.slice(0, key.indexOf(".") + 1);
    const error = parseError(
      () => parseFilter(`${key} = ${value}`),
      `Invalid filter key '${key}': ${entity} is followed by no ${type} name`,
      1,
    );
    assert.match(error.hint ?? "", hint);
    const orderError = parseError(() => parseOrderBy(`${key} DESC`), `Invalid order_by key`, undefined, true);
    assert.match(orderError.message, new RegExp(`'${entity}.*': ${entity} is followed by no ${type} name`));
  }
  parseError(
    () => parseFilter("tags.`` = 'x'", "experiments"),
    "Invalid filter key 'tags.``': tags. is followed by no tag name",
  );
  parseError(
    () => parseRegisteredModelFilter("tags. = 'x'"),
    "Invalid filter key 'tags.': tags. is followed by no tag name",
  );
  // A key made of spaces or dots is still a key (MLflow's names allow them).
  assert.deepEqual(parseFilter("params.` ` = 'x'").map((c) => c.key), [" "]);
});

Deno.test("order_by clauses parse with ASC/DESC in any case and refuse duplicates", () => {
  assert.deepEqual(parseOrderBy("metrics.`val loss` DESC"), {
    type: "metric",
    key: "val loss",
    ascending: false,
  });
  assert.deepEqual(parseOrderBy("attributes.start_time"), {
    type: "attribute",
    key: "start_time",
    ascending: true,
  });
  assert.deepEqual(parseOrderBy("created desc"), { type: "attribute", key: "start_time", ascending: false });
  assert.deepEqual(parseOrderBy("tags.`mlflow.runName` asc"), {
    type: "tag",
    key: "mlflow.runName",
    ascending: true,
  });
  assert.deepEqual(parseOrderBy("experiment_id DESC", "experiments"), {
    type: "attribute",
    key: "experiment_id",
    ascending: false,
  });
  parseError(
    () => parseOrderBy("metrics.acc DOWN"),
    "Invalid ordering key in order_by clause 'metrics.acc DOWN'.",
    13,
  );
  parseError(
    () => parseOrderBy("metrics.acc DESC x"),
    "Invalid order_by clause 'metrics.acc DESC x'. Could not be parsed.",
  );
  parseError(() => parseOrderBy(""), "Invalid order_by clause ''. Could not be parsed.");
  parseError(() => parseOrderBy("datasets.name"), "Invalid identifier type 'dataset'");
  parseError(
    () => parseOrderByList(["metrics.a", "metric.a DESC"]),
    "`order_by` contains duplicate fields: ['metrics.a', 'metric.a DESC']",
  );
  parseError(() => parseOrderBy("tags.x", "experiments"), "Invalid order_by entity: tag");
  // Experiment searches may name a field twice (MLflow's do).
  assert.equal(parseOrderByList(["name", "name DESC"], "experiments").length, 2);
  // A key with quotes inside its backticks is read as filters read it (MLflow's shlex pass would mangle it).
  assert.equal(parseOrderBy('tags.`say "hi"` DESC').key, 'say "hi"');
});

function tokenError(fn: () => unknown, fragment: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TrackingError && e.message.includes(fragment));
}

Deno.test("page tokens are MLflow's base64 offsets, and bad tokens are refused", () => {
  assert.equal(encodePageToken(1000), "eyJvZmZzZXQiOiAxMDAwfQ==");
  assert.equal(decodePageToken("eyJvZmZzZXQiOiAxMDAwfQ=="), 1000);
  assert.equal(decodePageToken(undefined), 0);
  tokenError(() => decodePageToken("abc"), "could not base64-decode");
  // Python's b64decode skips characters outside the alphabet: "%%%" is an empty token.
  tokenError(() => decodePageToken("%%%"), "decoded value=b''");
  tokenError(() => decodePageToken(btoa("nope")), "decoded value=b'nope'");
  tokenError(() => decodePageToken(btoa('{"offset": -1}')), "offset -1 is out of range");
  tokenError(() => decodePageToken(btoa('{"offset": 1e20}')), "is out of range");
  tokenError(() => decodePageToken(btoa('{"offset": 9223372036854775808}')), "is out of range");
  tokenError(() => decodePageToken(btoa('{"offset": "a"}')), "not stringable a");
  assert.equal(decodePageToken(btoa('{"offset": 1.5}')), 1, "Python's int(1.5)");
  tokenError(() => decodePageToken(btoa('{"x": 1}')), "parsed value");
  assert.deepEqual(paginate([1, 2, 3, 4, 5], undefined, 2), {
    items: [1, 2],
    nextPageToken: encodePageToken(2),
  });
  assert.deepEqual(paginate([1, 2, 3, 4], encodePageToken(2), 2), { items: [3, 4] });
});
