/**
 * Scoring requests that do not fit the model's signature are 400s that name the row and the column, never a
 * prediction made from shifted, dropped or missing values (MLflow 2.17 answers some of these with pandas'
 * ValueError or predicts on NaN); and a failing node's message is said once.
 */
import assert from "node:assert/strict";
import { parseScoringBody, scoringHandler } from "../../lib/models/mod.ts";
import { enforceColumns } from "../../lib/models/enforce.ts";
import { loadedRulesModel } from "./model_helpers.ts";

const { model } = await loadedRulesModel();
const handler = scoringHandler(model, { maxBodyBytes: 1 << 20, allowedHosts: ["127.0.0.1"] });

const COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

async function invoke(body: unknown, contentType = "application/json") {
  const res = await handler(
    new Request("http://127.0.0.1/invocations", {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, body: await res.json() as { error_code?: string; message?: string } };
}

async function assertBadRequest(body: unknown, pattern: RegExp, contentType?: string) {
  const res = await invoke(body, contentType);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.error_code, "BAD_REQUEST");
  assert.match(res.body.message!, pattern);
}

Deno.test("a row of values with more or fewer values than columns is a 400 naming the row", async () => {
  await assertBadRequest(
    { dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2], [5.1, 3.5]] } },
    /Row 1 of 'dataframe_split' has 2 values for 4 columns \['sepal_length', .*give each row one value per column/,
  );
  await assertBadRequest(
    { dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2, 9]] } },
    /Row 0 of 'dataframe_split' has 5 values for 4 columns/,
  );
  // Without columns, the signature's columns name the values: the same rule.
  await assertBadRequest({ dataframe_split: { data: [[1.4, 0.2]] } }, /has 2 values for 4 columns/);
  await assertBadRequest({ instances: [[5.1, 3.5, 1.4]] }, /Row 0 of 'instances' has 3 values/);
  await assertBadRequest({ inputs: [[5.1, 3.5, 1.4, 0.2, 1, 2]] }, /Row 0 of 'inputs' has 6 values/);
  assert.equal((await invoke({ instances: [[5.1, 3.5, 1.4, 0.2]] })).status, 200);
});

Deno.test("a required column without a value in some row (null, absent, NaN, empty CSV cell) is a 400", async () => {
  const row = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  await assertBadRequest(
    { dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2], [null, 3.5, 1.4, 0.2]] } },
    /Column 'sepal_length' is required by the model signature, but row 1 has no value \(null\): give it a value/,
  );
  await assertBadRequest(
    { dataframe_records: [row, { ...row, sepal_width: undefined }] },
    /Column 'sepal_width' is required .* row 1 has no value \(the column is absent\)/,
  );
  await assertBadRequest(
    { dataframe_records: [{ ...row, petal_width: "nan" }] },
    /Column 'petal_width' is required .* row 0 has no value \(NaN\)/,
  );
  await assertBadRequest(
    `${COLUMNS.join(",")}\n5.1,,1.4,0.2\n`,
    /Column 'sepal_width' is required .* row 0 has no value \(null\)/,
    "text/csv",
  );
  // A column the signature marks optional (the logged data had gaps in it) takes missing values.
  assert.deepEqual(
    enforceColumns([{ a: 1, b: null }], [
      { name: "a", type: "long", required: true },
      { name: "b", type: "double", required: false },
    ]),
    [{ a: 1, b: null }],
  );
});

Deno.test("a short CSV line is padded with missing values as pandas pads it; a long one is pandas' error", async () => {
  // The padded cells are missing values: a required column names the row instead of predicting on NaN.
  await assertBadRequest(
    `${COLUMNS.join(",")}\n5.1,3.5,1.4,0.2\n5.1,3.5\n`,
    /Column 'petal_length' is required by the model signature, but row 1 has no value \(null\)/,
    "text/csv",
  );
  await assertBadRequest(
    `${COLUMNS.join(",")}\n5.1,3.5,1.4,0.2\n\n5.1,3.5,1.4,0.2,9\n`,
    /^Failed to parse input as a Pandas DataFrame\. .*Error: 'Error tokenizing data\. C error: Expected 4 fields in line 4, saw 5\n'$/s,
    "text/csv",
  );
  // A first line one field longer would become pandas' index: refused, not a shifted frame.
  await assertBadRequest(
    `${COLUMNS.join(",")}\n0,5.1,3.5,1.4,0.2\n`,
    /Expected 4 fields in line 2, saw 5/,
    "text/csv",
  );
  // The padded cell of an extra column (not in the signature) is dropped with it: the row predicts.
  const padded = await invoke(`${COLUMNS.join(",")},note\n5.1,3.5,1.4,0.2,x\n6.7,3.0,5.2,2.3\n`, "text/csv");
  assert.equal(padded.status, 200, JSON.stringify(padded.body));
});

Deno.test("values that are not rows, for a signature naming columns, are a 400 naming the rows (not a node's error)", async () => {
  await assertBadRequest({ instances: [1, 2] }, /names the columns \['sepal_length', .* but row 0 is 1/);
  await assertBadRequest(
    {
      instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }, [1, 2, 3, 4]],
    },
    /^Invalid input\. .*AttributeError.*row 1 of 'instances' is \[1,2,3,4\] while row 0 is a record: send every row as a record/s,
  );
});

Deno.test("a list or an object where a number is expected is named as such", async () => {
  await assertBadRequest(
    { dataframe_split: { columns: COLUMNS, data: [[[1], 3.5, 1.4, 0.2]] } },
    /Failed to convert column sepal_length to type 'float64'\. Error: 'ValueError\('setting an array element with a sequence\.'\)' \(the cell holds a list: send one value per cell\)$/,
  );
  const res = await invoke({ dataframe_split: { columns: COLUMNS, data: [[{ a: 1 }, 3.5, 1.4, 0.2]] } });
  assert.match(res.body.message!, /not 'dict'/);
  assert.doesNotMatch(res.body.message!, /\[object Object\]/);
});

Deno.test("a failing node's message is said once", async () => {
  const res = await invoke({
    dataframe_records: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: -1, petal_width: 0.2 }],
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error_code, "BAD_REQUEST");
  const said = res.body.message!.split("petal_length must not be negative").length - 1;
  assert.equal(said, 1, res.body.message);
});

Deno.test("a CSV header names columns as pandas.read_csv does: the first of a repeated name is the model's, an empty one is 'Unnamed: i'", async () => {
  // pandas reads the repeated petal_length as 'petal_length.1': the model sees 1.4 (setosa), not 6.0.
  const csv = "sepal_length,sepal_width,petal_length,petal_width,petal_length\n5.1,3.5,1.4,0.2,6.0\n";
  const res = await invoke(csv, "text/csv");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, { predictions: [{ prediction: "setosa", probability: 0.9 }] });
  // DataFrame.to_csv()'s index column has an empty name; an error names it as pandas does.
  const unnamed = await invoke(",sepal_length,sepal_width,petal_length\n0,5.1,3.5,1.4\n", "text/csv");
  assert.equal(unnamed.status, 400);
  assert.match(
    unnamed.body.message!,
    /missing inputs \['petal_width'\]\. Note that there were extra inputs: \['Unnamed: 0'\]/,
  );
});

Deno.test("dataframe_split naming a column twice is a 400 naming it, not the last value silently", async () => {
  await assertBadRequest(
    { dataframe_split: { columns: [...COLUMNS, "petal_length"], data: [[5.1, 3.5, 1.4, 0.2, 6.0]] } },
    /'dataframe_split' names column 'petal_length' twice \(columns 2 and 4 of \['sepal_length', .*\]\): give each column once/,
  );
});

Deno.test("a CSV cell holding one of pandas' missing-value words (R's NA, SQL's NULL, …) is missing in any column", async () => {
  const csv = 'sepal_length,note,code\n1.5,NA,"NULL"\nN/A,None,#N/A\n2,x,nan\n';
  const { data } = await parseScoringBody(csv, "csv", model.signature!.inputs);
  assert.deepEqual(data, [
    { sepal_length: "1.5", note: null, code: null },
    { sepal_length: null, note: null, code: null },
    { sepal_length: "2", note: "x", code: null },
  ]);
  // A required column names the row as missing, instead of "could not convert string to float: 'NA'".
  await assertBadRequest(
    `${COLUMNS.join(",")}\n5.1,3.5,1.4,0.2\n6.7,NA,5.2,2.3\n`,
    /Column 'sepal_width' is required by the model signature, but row 1 has no value/,
    "text/csv",
  );
});

Deno.test("a body nesting lists past Python's json limit is a 400 saying so, not a stack overflow blamed on the model", async () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const deep = `{"dataframe_records": [{"extra": ${nested(100_000)}, "sepal_width": 1}]}`;
  await assertBadRequest(deep, /The JSON nests lists or objects more than 1000 levels deep/);
  // 1000 levels (the body's object and 999 lists) are read: the model's usual errors follow.
  const res = await invoke(`{"inputs": ${nested(999)}}`);
  assert.equal(res.status, 400);
  assert.doesNotMatch(res.body.message!, /levels deep|Maximum call stack/);
  await assertBadRequest(`{"inputs": ${nested(1000)}}`, /more than 1000 levels deep/);
});
