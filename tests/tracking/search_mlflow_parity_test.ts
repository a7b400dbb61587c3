/**
 * kmlf reads search filters and order_by as MLflow 2.17.2 does: its sqlparse port builds sqlparse 0.4.2's
 * trees (tests/fixtures/sqlparse-0.4.2/trees.json), and every search request of
 * tests/fixtures/mlflow-2.17.2/search-messages.json is refused with MLflow's message, or accepted, as
 * MLflow's search parsing answered it.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import {
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from "../../lib/tracking/registry/search.ts";
import { parseSearch } from "../../lib/tracking/search/parser.ts";
import { groupStatement } from "../../lib/tracking/search/sql_grouping.ts";
import { parseSql, SqlGroup, type SqlToken } from "../../lib/tracking/search/sql_tree.ts";

const fixture = (path: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`../fixtures/${path}`, import.meta.url)));

type Tree = [string, string | Tree[]];

function tree(token: SqlToken): Tree {
  return token instanceof SqlGroup ? [token.kind, token.tokens.map(tree)] : [token.ttype!, token.value];
}

Deno.test("the sqlparse port builds sqlparse 0.4.2's trees", () => {
  const cases: { sql: string; statements: Tree[] }[] = fixture("sqlparse-0.4.2/trees.json");
  assert.equal(cases.length, 300);
  for (const { sql, statements } of cases) {
    assert.deepEqual(parseSql(sql, groupStatement).map(tree), statements, JSON.stringify(sql));
  }
});

interface Request {
  grammar: "runs" | "experiments" | "models" | "versions";
  filter?: string;
  order_by?: string[];
  mlflow: string | null;
}

/** Reads a request as the grammar's store does (registry filters then order_by). */
function read({ grammar, filter, order_by }: Request): void {
  if (grammar === "runs" || grammar === "experiments") parseSearch(filter, order_by, grammar);
  else if (grammar === "models") {
    parseRegisteredModelFilter(filter);
    parseRegisteredModelOrderBy(order_by);
  } else {
    parseModelVersionFilter(filter);
    parseModelVersionOrderBy(order_by);
  }
}

Deno.test("search requests get MLflow 2.17.2's answers: its message word for word, or acceptance", () => {
  const requests: Request[] = fixture("mlflow-2.17.2/search-messages.json");
  assert.equal(requests.length, 539);
  const grammars = new Set(requests.map((r) => r.grammar));
  assert.deepEqual([...grammars].sort(), ["experiments", "models", "runs", "versions"]);
  for (const request of requests) {
    const label = JSON.stringify(request);
    if (request.mlflow === null) {
      read(request);
      continue;
    }
    assert.throws(
      () => read(request),
      (e: unknown) => {
        assert.ok(e instanceof TrackingError, label);
        assert.equal(e.code, "INVALID_PARAMETER_VALUE", label);
        assert.equal(e.message, request.mlflow, label);
        assert.ok(e.hint, label);
        return true;
      },
    );
  }
});
