/**
 * The runs page's hints for a filter the server refused: each case is refused by kmlf's own filter
 * parser (the server's), gets a hint naming the fix, and the fixed filter parses.
 */
import assert from "node:assert/strict";
import { filterHint } from "../../lib/server/ui/src/search_hints.js";
import { parseFilter } from "../../lib/tracking/mod.ts";

const KNOWN = { metrics: ["accuracy"], params: ["model"], tags: [] };

const CASES: [filter: string, hint: RegExp, fixed: string][] = [
  ["metrics.accuracy >", /Complete the comparison/, "metrics.accuracy > 0.9"],
  ["attributes.run_name LIKE", /Complete the comparison/, "attributes.run_name LIKE 'a%'"],
  ["params.model = 'unterminated", /Close the quote/, "params.model = 'unterminated'"],
  ["params.`my key = 'a'", /Close the backtick/, "params.`my key` = 'a'"],
  ["metrics.accuracy > 0.5 or metrics.accuracy < 0.1", /no OR/, "metrics.accuracy > 0.5"],
  [
    "metrics.accuracy > 0.5 AND (params.model = 'b')",
    /no parentheses/,
    "metrics.accuracy > 0.5 AND params.model = 'b'",
  ],
  ["metrics.accuracy == 0.9", /not ==/, "metrics.accuracy = 0.9"],
  ["metrics.accuracy > 0.5 and", /missing next to AND/, "metrics.accuracy > 0.5"],
  ["metrics.train/loss > 1", /metrics\.`train\/loss`/, "metrics.`train/loss` > 1"],
  ["params.my-key = 'a'", /params\.`my-key`/, "params.`my-key` = 'a'"],
  ["params.ключ_über = 'x'", /params\.`ключ_über`/, "params.`ключ_über` = 'x'"],
  ["accuracy > 0.5", /metrics\.accuracy\.$/, "metrics.accuracy > 0.5"],
  ["foo = 'a'", /metrics\.foo, params\.foo or tags\.foo/, "params.foo = 'a'"],
  ["metrics.accuracy > 'abc'", /numbers, written without quotes/, "metrics.accuracy > 0.5"],
  ["params.model = 1", /strings, written in quotes/, "params.model = '1'"],
  ["metrics.accuracy IS NULL", /test params and tags only/, "params.model IS NULL"],
  ["attributes.status is not null", /test params and tags only/, "tags.team IS NOT NULL"],
  ["datasets.name IS NOT NULL AND params.model = 'a'", /test params and tags only/, "params.model = 'a'"],
  // IN lists: parentheses belong there, and MLflow's list parsing wants one shape.
  ["attributes.run_id IN ( 'a', 'b' )", /without spaces just inside/, "attributes.run_id IN ('a', 'b')"],
  ["run_id NOT IN ('a' )", /without spaces just inside/, "run_id NOT IN ('a')"],
  ['datasets.name IN ("iris", "wine")', /single quotes/, "datasets.name IN ('iris', 'wine')"],
  ["attributes.run_id IN ('a',)", /no trailing comma/, "attributes.run_id IN ('a')"],
  ["datasets.digest IN ('a',, 'b')", /one comma between/, "datasets.digest IN ('a', 'b')"],
  ["attributes.run_id IN ()", /at least one value/, "attributes.run_id IN ('a')"],
  [
    "attributes.status IN ('FAILED', 'KILLED')",
    /Only attributes\.run_id and datasets/,
    "attributes.status = 'FAILED'",
  ],
  ["params.model IN ('a') AND (metrics.accuracy > 1)", /Only attributes\.run_id/, "params.model = 'a'"],
  [
    "attributes.run_id IN ('a') AND (metrics.accuracy > 1)",
    /no parentheses/,
    "attributes.run_id IN ('a') AND metrics.accuracy > 1",
  ],
];

Deno.test("a refused runs filter gets a hint whose fix the server accepts", () => {
  for (const [filter, hint, fixed] of CASES) {
    assert.throws(() => parseFilter(filter), `the server refuses ${filter}`);
    assert.match(filterHint(filter, KNOWN), hint, filter);
    parseFilter(fixed);
  }
});

Deno.test("a filter whose words only look like syntax inside quotes gets no hint", () => {
  for (
    const filter of [
      "params.model = 'x or y'",
      "params.`a-b` = 'c (d)'",
      "tags.note = 'a == b'",
      "attributes.run_id IN ('a', 'b') AND datasets.name NOT IN ('iris')",
      "params.model IS NULL AND tags.`team` IS NOT NULL AND tags.note = 'metrics.x is null'",
    ]
  ) {
    parseFilter(filter);
    assert.equal(filterHint(filter, KNOWN), "", filter);
  }
});
