/**
 * Replays the 5,806 REST requests recorded against a real MLflow 2.17.2 (SQLite and file store,
 * tests/fixtures/mlflow-2.17.2/rest-validation) against kmlf's handler over a store of the same
 * kind. Every answer — tracking, artifacts, routing and the model registry — must be MLflow's (status,
 * error_code, message; the JSON of registry successes) or a deliberate difference of a known class
 * (validation_deviations.ts). The golden file tests/golden/server/rest_validation_<store>.txt holds the
 * figures per endpoint group and lists each deliberate difference with both answers.
 */
import assert from "node:assert/strict";
import { assertGolden } from "../cli_harness.ts";
import type { RecordedStore } from "../rest_validation_fixtures.ts";
import { DEVIATION_CLASSES, deviationOf } from "./validation_deviations.ts";
import {
  describeAnswer,
  otherStoreAnswers,
  type ReplayOutcome,
  replayRecordedStore,
} from "./validation_replay.ts";

async function replay(store: RecordedStore): Promise<ReplayOutcome[]> {
  const outcomes = await replayRecordedStore(store);
  const other = await otherStoreAnswers(store);
  const unexplained: string[] = [];
  const golden: string[] = [];
  const counts = new Map<string, { match: number; deliberate: number; total: number }>();
  for (const o of outcomes) {
    const count = counts.get(o.group) ?? { match: 0, deliberate: 0, total: 0 };
    counts.set(o.group, count);
    count.total++;
    if (o.matches) {
      count.match++;
      continue;
    }
    const cls = deviationOf(o, other.get(o.seq));
    if (cls) count.deliberate++;
    const line = `${o.seq} ${o.file} [${o.case}] ${o.method}\n  MLflow: ${
      describeAnswer(o.mlflow)
    }\n  kmlf:   ${describeAnswer(o.kmlf)}`;
    if (cls) golden.push(`${line}\n  class:  ${cls.name}`);
    else unexplained.push(line);
  }
  const figures = [...counts].map(([g, c]) =>
    `${g}: ${c.match} exact + ${c.deliberate} deliberate of ${c.total}`
  );
  console.log(`${store}: ${figures.join(", ")}`);
  assert.deepEqual(
    unexplained,
    [],
    `${store}: answers that are neither MLflow's nor a deliberate difference`,
  );
  const header = `MLflow 2.17.2's recorded answers (${store}) replayed against kmlf, per endpoint group:\n${
    figures.map((f) => `  ${f}`).join("\n")
  }\n\nThe deliberate differences, one by one:\n`;
  await assertGolden(`server/rest_validation_${store}`, header + golden.join("\n") + "\n");
  return outcomes;
}

/** Checks every store's answers share: no 5xx for a client mistake, no server path in a message. */
function checkNoServerErrors(outcomes: readonly ReplayOutcome[]): void {
  for (const o of outcomes) {
    const label = `${o.store} ${o.seq} ${o.file} [${o.case}]`;
    // 501 is multipart upload, which MLflow's local artifact repository does not support either.
    assert(o.kmlf.status < 500 || o.kmlf.status === 501, `${label}: ${describeAnswer(o.kmlf)}`);
    // A refused artifact_location is named as the client sent it (its own input, not the server's path).
    if (deviationOf(o, undefined)?.name === "client-local-artifact-location") continue;
    assert(
      !/kmlf-rest-validation-|\/tmp\/|__ROOT__/.test(o.kmlf.message ?? ""),
      `${label}: ${o.kmlf.message}`,
    );
  }
}

for (const store of ["sqlite", "filestore"] as const) {
  Deno.test(`MLflow 2.17.2's REST validation matrix (${store}): kmlf answers as MLflow or better, by class`, async () => {
    checkNoServerErrors(await replay(store));
  });
}

Deno.test("where MLflow stores 0 for a value it could not parse, kmlf answers 400 naming the field", async () => {
  const outcomes = await replayRecordedStore("sqlite");
  const find = (file: string, kase: string) => outcomes.find((o) => o.file === file && o.case === kase)!;
  for (
    const [kase, field] of [
      ["type:timestamp=float", "timestamp"],
      ["type:timestamp=boolean", "timestamp"],
      ["type:step=float", "step"],
      ["double:value=bare-NaN-token (not JSON)", "value"],
      ["double:value=nan-lowercase-string", "value"],
      ["range:step=int64-overflow", "step"],
    ]
  ) {
    const o = find("runs-log-metric", kase);
    assert.equal(o.mlflow.status, 200, kase);
    assert.equal(o.kmlf.status, 400, kase);
    assert.match(o.kmlf.message!, new RegExp(`^Invalid value .* for parameter '${field}' supplied`), kase);
  }
  // MLflow's own read-back shows what it stored for one of them: timestamp 0.
  const readBack = outcomes.find((o) =>
    o.file === "runs-log-metric" && o.case.startsWith("read-back:type:timestamp=float")
  );
  assert.equal(readBack?.mlflow.status, 200);
});

Deno.test("where MLflow answers a client mistake with an HTML 500, kmlf answers a 4xx in MLflow's JSON shape", async () => {
  const outcomes = await replayRecordedStore("filestore");
  // Left out: an answer that depends on state an earlier, deliberately refused case would have left (see
  // CASCADES), and GETs whose JSON body MLflow read (kmlf reads GET fields from the query only).
  const crashes = outcomes.filter((o) =>
    o.mlflow.status >= 500 && !["state-cascade", "get-body"].includes(deviationOf(o, undefined)?.name ?? "")
  );
  assert(crashes.length > 120, `${crashes.length} recorded 500s`);
  for (const o of crashes) {
    assert(o.kmlf.status >= 400 && o.kmlf.status < 500 || o.kmlf.status === 501, `${o.seq} ${o.case}`);
    assert.equal(typeof o.kmlf.errorCode, "string", `${o.seq} ${o.case}`);
    assert.equal(typeof o.kmlf.message, "string", `${o.seq} ${o.case}`);
  }
});

Deno.test("the README's REST compatibility section names every deliberate difference", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const section = readme.slice(readme.indexOf("## REST compatibility with MLflow 2.17.2"));
  const listed = section.slice(0, section.indexOf("\n## ", 3));
  for (const cls of DEVIATION_CLASSES) assert.ok(listed.includes(`| \`${cls.name}\``), cls.name);
});
