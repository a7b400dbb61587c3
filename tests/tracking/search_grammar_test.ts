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
} from "../../lib/tracking/mod.ts";

function parseError(fn: () => unknown, fragment: string, column?: number): TrackingError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof TrackingError, `expected a TrackingError, got ${caught}`);
  assert.equal(caught.code, "INVALID_PARAMETER_VALUE");
  assert.ok(caught.message.includes(fragment), `"${caught.message}" lacks "${fragment}"`);
  if (column !== undefined) {
    assert.equal(caught.source?.column, column);
    assert.ok(caught.message.includes(`at character ${column}`), caught.message);
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
  assert.deepEqual(parseFilter("attributes.run_id IN ('a', \"b\") AND run_id NOT IN ('c')"), [
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
  assert.deepEqual(parseFilter("  "), []);
  assert.deepEqual(parseFilter(undefined), []);
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
  parseError(() => parseFilter("metrics.a > 1", "experiments"), "invalid entity type 'metrics'", 1);
  parseError(() => parseFilter("status = 'x'", "experiments"), "invalid attribute key 'status'", 1);
});

Deno.test("bad filters name the bad token and its character position", () => {
  const e = parseError(() => parseFilter("metrics.acc ~ 0.9"), "unexpected character '~'", 13);
  assert.equal(e.hint, "metrics.acc ~ 0.9\n            ^");
  parseError(
    () => parseFilter("metrics.acc > 'x'"),
    "expected a numeric value for metric 'acc', found 'x'",
    15,
  );
  parseError(() => parseFilter("params.p = 3"), "expected a quoted string value for parameter 'p'", 12);
  parseError(() => parseFilter("metrics.a > 1 OR metrics.b > 2"), "OR is not supported", 15);
  parseError(() => parseFilter("metrics.a > 1 metrics.b > 2"), "expected AND", 15);
  parseError(() => parseFilter("metrics.a LIKE '1'"), "invalid comparator 'LIKE' for metric 'a'", 11);
  parseError(() => parseFilter("params.a <> 'x'"), "invalid comparator '<>'", 10);
  parseError(
    () => parseFilter("attributes.lifecycle_stage = 'x'"),
    "invalid attribute key 'lifecycle_stage'",
    1,
  );
  parseError(() => parseFilter("tags.my-tag = 'x'"), "unexpected character '-'", 8);
  parseError(() => parseFilter("run_id IN ()"), "expected a non-empty list", 12);
  parseError(() => parseFilter("run_id IN ('a' 'b')"), "expected ',' or ')'", 16);
  parseError(() => parseFilter("params.a ="), "end of input", 11);
  parseError(() => parseFilter("(metrics.a > 1)"), "expected an identifier", 1);
  parseError(() => parseFilter("datasets.size = 'x'"), "invalid dataset key 'size'", 1);
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
  parseError(() => parseOrderBy("metrics.acc DOWN"), "expected ASC, DESC", 13);
  parseError(() => parseOrderBy("metrics.acc DESC x"), "expected the end", 18);
  parseError(() => parseOrderBy("datasets.name"), "datasets cannot be used in order_by");
  parseError(() => parseOrderByList(["metrics.a", "metric.a DESC"]), "duplicate fields");
});

Deno.test("page tokens are MLflow's base64 offsets, and bad tokens are refused", () => {
  assert.equal(encodePageToken(1000), "eyJvZmZzZXQiOiAxMDAwfQ==");
  assert.equal(decodePageToken("eyJvZmZzZXQiOiAxMDAwfQ=="), 1000);
  assert.equal(decodePageToken(undefined), 0);
  parseError(() => decodePageToken("abc"), "could not base64-decode");
  // Python's b64decode skips characters outside the alphabet: "%%%" is an empty token.
  parseError(() => decodePageToken("%%%"), "decoded value=b''");
  parseError(() => decodePageToken(btoa("nope")), "decoded value=b'nope'");
  parseError(() => decodePageToken(btoa('{"offset": -1}')), "offset -1 is out of range");
  parseError(() => decodePageToken(btoa('{"offset": 1e20}')), "is out of range");
  parseError(() => decodePageToken(btoa('{"offset": 9223372036854775808}')), "is out of range");
  parseError(() => decodePageToken(btoa('{"offset": "a"}')), "not stringable a");
  assert.equal(decodePageToken(btoa('{"offset": 1.5}')), 1, "Python's int(1.5)");
  parseError(() => decodePageToken(btoa('{"x": 1}')), "parsed value");
  assert.deepEqual(paginate([1, 2, 3, 4, 5], undefined, 2), {
    items: [1, 2],
    nextPageToken: encodePageToken(2),
  });
  assert.deepEqual(paginate([1, 2, 3, 4], encodePageToken(2), 2), { items: [3, 4] });
});
