/**
 * `inputs` and `instances` bodies answer as MLflow 2.17.2's scoring server reads them
 * (mlflow/utils/proto_json_utils.py parse_tf_serving_input, mlflow/models/utils.py _enforce_schema): an
 * object of columns repeats its scalars, `instances` may be one too, and the errors carry MLflow's status,
 * error_code and words — numpy's conversion errors, "The length of values …", pandas' "All arrays must be of
 * the same length", the data quoted as numpy arrays — followed by kmlf's column or row and the fix. Over
 * HTTP, to a real server on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { scoringHandler } from "../../lib/models/mod.ts";
import { loadedRulesModel } from "./model_helpers.ts";
import type { ColSpec } from "../../lib/tracking/mod.ts";

const { model } = await loadedRulesModel();
const handler = scoringHandler(model, { maxBodyBytes: 1 << 20 });

const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const ROW2 = { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 };
const SCHEMA = "'['sepal_length': double (required), 'sepal_width': double (required), " +
  "'petal_length': double (required), 'petal_width': double (required)]'";
const TWO = '{"predictions": [{"prediction": "setosa", "probability": 0.9}, ' +
  '{"prediction": "virginica", "probability": 0.9}]}';

async function withServer(run: (invoke: (body: unknown) => Promise<Answer>) => Promise<void>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  try {
    await run(async (body) => {
      const res = await fetch(`http://127.0.0.1:${server.addr.port}/invocations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: res.status === 200 ? undefined : JSON.parse(text) };
    });
  } finally {
    await server.shutdown();
  }
}

interface Answer {
  status: number;
  text: string;
  json?: { error_code: string; message: string };
}

function refused(answer: Answer, errorCode: string, start: string, detail?: RegExp) {
  assert.equal(answer.status, 400, answer.text);
  assert.equal(answer.json!.error_code, errorCode);
  assert.ok(answer.json!.message.startsWith(start), `${answer.json!.message}\ndoes not start with\n${start}`);
  if (detail) assert.match(answer.json!.message.slice(start.length), detail);
}

Deno.test("an object of columns repeats its scalars down the lists (pandas), and instances may be one", async () => {
  await withServer(async (invoke) => {
    const mixed = { ...ROW, sepal_length: [5.1, 6.7], petal_length: [1.4, 5.2] };
    assert.deepEqual(await invoke({ inputs: mixed }), { status: 200, text: TWO, json: undefined });
    const lists = Object.fromEntries(
      Object.keys(ROW).map((k) => [k, [ROW[k as "sepal_length"], ROW2[k as "sepal_length"]]]),
    );
    assert.deepEqual(await invoke({ instances: lists }), { status: 200, text: TWO, json: undefined });
    // All scalars: one row (MLflow's _enforce_schema makes pd.DataFrame([dict]) of it).
    assert.equal((await invoke({ inputs: ROW })).status, 200);
  });
});

Deno.test("columns of different lengths: pandas' error under inputs, MLflow's length check under instances", async () => {
  await withServer(async (invoke) => {
    const ragged = { ...ROW, sepal_length: [5.1, 6.7], sepal_width: [3.5] };
    const quote = "{'sepal_length': array([5.1, 6.7]), 'sepal_width': array([3.5]), 'petal_length': 1.4, " +
      "'petal_width': 0.2}";
    refused(
      await invoke({ inputs: ragged }),
      "INVALID_PARAMETER_VALUE",
      `Failed to predict data '${quote}'. \nError: Failed to enforce schema of data '${quote}' with schema ` +
        `${SCHEMA}. Error: This model contains a column-based signature, which suggests a DataFrame input. ` +
        "There was an error casting the input data to a DataFrame: All arrays must be of the same length",
      /'sepal_length': 2, 'sepal_width': 1 values: give every column one value per row/,
    );
    refused(
      await invoke({ instances: ragged }),
      "BAD_REQUEST",
      "Invalid input. The length of values for each input/column name are not the same",
    );
    const { petal_width: _, ...short } = ROW2;
    refused(
      await invoke({ instances: [ROW, short] }),
      "BAD_REQUEST",
      "Invalid input. The length of values for each input/column name are not the same",
      /2 rows, but the columns have .*'petal_width': 1 values: give every row the same columns/,
    );
  });
});

Deno.test("ragged or mixed rows are numpy's and Python's errors, with the row that differs", async () => {
  await withServer(async (invoke) => {
    const inhomogeneous =
      "Invalid input. setting an array element with a sequence. The requested array has an " +
      "inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.";
    refused(
      await invoke({ instances: [[5.1, 3.5, 1.4, 0.2], [5.1, 3.5]] }),
      "BAD_REQUEST",
      inhomogeneous,
      /row 1 of 'instances' is \[5.1,3.5\], row 0 \[5.1,3.5,1.4,0.2\]: send rows of one value per column/,
    );
    refused(
      await invoke({ inputs: [[5.1, 3.5, 1.4, 0.2], ROW] }),
      "BAD_REQUEST",
      inhomogeneous,
      /row 1 of 'inputs'/,
    );
    refused(
      await invoke({ instances: [ROW, [1, 2, 3, 4]] }),
      "BAD_REQUEST",
      `Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: AttributeError("'list' ` +
        `object has no attribute 'items'")`,
      /row 1 of 'instances' is \[1,2,3,4\] while row 0 is a record: send every row as a record/,
    );
    refused(
      await invoke({ inputs: [ROW, 7] }),
      "BAD_REQUEST",
      "Invalid input. float() argument must be a string or a real number, not 'dict'",
      /'inputs' mixes records and values \(row 1 is 7\)/,
    );
  });
});

Deno.test("a value of the wrong type is numpy's conversion error, then the column", async () => {
  await withServer(async (invoke) => {
    refused(
      await invoke({ inputs: { ...ROW, sepal_length: [5.1, "a"] } }),
      "BAD_REQUEST",
      "Invalid input. could not convert string to float: 'a'",
      /value 1 of column 'sepal_length', which the model signature types double: send numbers/,
    );
    refused(
      await invoke({ instances: [ROW, { ...ROW2, petal_width: { x: 1 } }] }),
      "BAD_REQUEST",
      "Invalid input. float() argument must be a string or a real number, not 'dict'",
      /row 1 of column 'petal_width'/,
    );
    refused(
      await invoke({ instances: [[5.1, "x", 1.4, 0.2]] }),
      "BAD_REQUEST",
      "Invalid input. could not convert string to float: 'x'",
      /row 0 of column 'sepal_width', which the model signature types double: send numbers/,
    );
    refused(
      await invoke({ inputs: [ROW, { ...ROW2, sepal_width: "wide" }] }),
      "BAD_REQUEST",
      "Invalid input. could not convert string to float: 'wide'",
    );
  });
});

Deno.test("lists inside a number column: MLflow's type check of a column of lists, or numpy's shape error", async () => {
  await withServer(async (invoke) => {
    const nested = { ...ROW, sepal_length: [[5.1], [6.7]], sepal_width: [3.5, 3] };
    const quote = "{'sepal_length': array([[5.1],\n       [6.7]]), 'sepal_width': array([3.5, 3. ]), " +
      "'petal_length': 1.4, 'petal_width': 0.2}";
    refused(
      await invoke({ inputs: nested }),
      "INVALID_PARAMETER_VALUE",
      `Failed to predict data '${quote}'. \nError: Failed to enforce schema of data '${quote}' with schema ` +
        `${SCHEMA}. Error: Incompatible input types for column sepal_length. Can not safely convert object to ` +
        "float64.",
      /column 'sepal_length' holds lists: send one value per row/,
    );
    refused(
      await invoke({ inputs: [{ ...ROW, petal_width: [0.2, 0.3] }] }),
      "INVALID_PARAMETER_VALUE",
      "Failed to predict data '[{'sepal_length': 5.1, 'sepal_width': 3.5, 'petal_length': 1.4, " +
        "'petal_width': array([0.2, 0.3])}]'.",
      /Error: Incompatible input types for column petal_width\. Can not safely convert object to float64\./,
    );
    refused(
      await invoke({ inputs: { ...nested, sepal_length: [[5.1], [6.7, 1]] } }),
      "BAD_REQUEST",
      "Invalid input. setting an array element with a sequence. The requested array has an inhomogeneous " +
        "shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.",
      /column 'sepal_length' of 'inputs' holds lists/,
    );
    refused(
      await invoke({ instances: [{ ...ROW, sepal_length: [5.1] }, { ...ROW2, sepal_length: [6.7, 1] }] }),
      "BAD_REQUEST",
      "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ValueError('setting an " +
        "array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. " +
        "The detected shape was (2,) + inhomogeneous part.')",
    );
    // A frame's cell holding a list is pandas' astype error.
    refused(
      await invoke({ dataframe_records: [{ ...ROW, sepal_length: [5.1] }] }),
      "BAD_REQUEST",
      "Invalid input. Data is not compatible with model signature. Failed to convert column sepal_length to " +
        "type 'float64'. Error: 'ValueError('setting an array element with a sequence.')'",
    );
  });
});

Deno.test("a missing column quotes the data as MLflow holds it: numpy arrays, a list, an empty list", async () => {
  await withServer(async (invoke) => {
    const missing = "Error: Model is missing inputs ['petal_width'].";
    const { petal_width: _, ...three } = ROW;
    const lists = { sepal_length: [5.1, 6.7], sepal_width: [3.5, 3], petal_length: [1.4, 5.2] };
    const quote = "{'sepal_length': array([5.1, 6.7]), 'sepal_width': array([3.5, 3. ]), " +
      "'petal_length': array([1.4, 5.2])}";
    for (
      const body of [{ inputs: lists }, {
        instances: [three, { ...lists, sepal_length: 6.7, sepal_width: 3, petal_length: 5.2 }],
      }]
    ) {
      refused(
        await invoke(body),
        "INVALID_PARAMETER_VALUE",
        `Failed to predict data '${quote}'. \nError: Failed to enforce schema of data '${quote}' with schema ` +
          `${SCHEMA}. ${missing}`,
      );
    }
    const scalars =
      "{'sepal_length': 5.0, 'sepal_width': 3.5, 'petal_length': 1.4, 'id': array('a7', dtype='<U2')}";
    const answer = await invoke({ inputs: { ...three, sepal_length: 5, id: "a7" } });
    refused(answer, "INVALID_PARAMETER_VALUE", `Failed to predict data '${scalars}'.`);
    // MLflow's sentence about extra inputs has no closing period.
    assert.ok(answer.json!.message.endsWith(`${missing} Note that there were extra inputs: ['id']`));
    const records = "[{'sepal_length': 5.1, 'sepal_width': 3.5, 'petal_length': 1.4}]";
    refused(
      await invoke({ inputs: [three] }),
      "INVALID_PARAMETER_VALUE",
      `Failed to predict data '${records}'.`,
    );
    for (const body of [{ instances: [] }, { inputs: [] }]) {
      refused(
        await invoke(body),
        "INVALID_PARAMETER_VALUE",
        "Failed to predict data '[]'. \nError: Failed to enforce schema of data '[]'",
      );
    }
    refused(await invoke({ inputs: {} }), "INVALID_PARAMETER_VALUE", "Failed to predict data '{}'. \n");
  });
});

// mlflow/utils/proto_json_utils.py _cast_schema_type converts a bare value as the first column (numpy scalar);
// models/utils.py _enforce_schema makes pd.DataFrame([value]) of it: one column, 0, and every input missing.
Deno.test("a bare value under inputs or instances is MLflow's missing inputs, or its conversion error", async () => {
  const all = "['sepal_length', 'sepal_width', 'petal_length', 'petal_width']";
  const fix = (format: string) =>
    `(${JSON.stringify(format).replaceAll('"', "'")} is one bare value, not rows or columns: send rows, ` +
    `{"${format}": [{"sepal_length": ..., "sepal_width": ..., ...}]}, or columns, {"${format}": ` +
    `{"sepal_length": [...], "sepal_width": [...], ...}})`;
  await withServer(async (invoke) => {
    for (
      const [value, quote] of [[5, "5.0"], [2.5, "2.5"], [true, "1.0"], [null, "nan"], ["7", "7.0"]] as const
    ) {
      for (const format of ["inputs", "instances"]) {
        const answer = await invoke({ [format]: value });
        refused(
          answer,
          "INVALID_PARAMETER_VALUE",
          `Failed to predict data '${quote}'. \nError: Failed to enforce schema of data '${quote}' with schema ` +
            `${SCHEMA}. Error: Model is missing inputs ${all}. Note that there were extra inputs: [0] ${
              fix(format)
            }`,
        );
      }
    }
    refused(
      await invoke({ inputs: "wide" }),
      "BAD_REQUEST",
      "Invalid input. Failed to convert data `wide` to type `'sepal_length': double (required)` defined in the " +
        `model signature. ${fix("inputs")}`,
    );
  });
});

Deno.test("a bare value is converted as the signature's first column: its type decides the quote or the refusal", async () => {
  const { tfServingRows } = await import("../../lib/models/tf_serving_input.ts");
  const schema = (type: ColSpec["type"]): ColSpec[] => [
    { name: "a", type, required: true },
    { name: "b", type: "double", required: false },
  ];
  const message = (payload: unknown, type: ColSpec["type"]) => {
    try {
      tfServingRows("inputs", payload, schema(type));
    } catch (error) {
      return (error as Error).message;
    }
    return "read";
  };
  assert.match(message(5, "long"), /^Failed to predict data '5'\..*Model is missing inputs \['a'\]\./s);
  assert.match(message("x", "string"), /^Failed to predict data 'x'\./);
  assert.match(message(5, "string"), /^Failed to predict data '5'\./);
  assert.match(message(true, "boolean"), /^Failed to predict data 'True'\./);
  assert.match(message(null, "long"), /^Invalid input\. Failed to convert data `None` to type `'a': long/);
  assert.match(message(5, { type: "array", items: "long" }), /^Invalid input\. Failed to convert data `5`/);
  // Nothing required: MLflow would predict on it, kmlf goes on to refuse it as not a list.
  assert.equal(tfServingRows("inputs", 5, [{ name: "b", type: "double", required: false }]), undefined);
});

Deno.test("a wide frame in an error is cut as pandas cuts it, with its size", async () => {
  await withServer(async (invoke) => {
    const columns = [
      "sepal_length",
      "sepal_width",
      "petal_length",
      ...Array.from({ length: 20 }, (_, i) => `extra_${i}`),
    ];
    const answer = await invoke({ dataframe_split: { columns, data: [columns.map((_, i) => i)] } });
    refused(answer, "INVALID_PARAMETER_VALUE", "Failed to predict data '   sepal_length  sepal_width  ");
    const frame = answer.json!.message.split("'")[1];
    assert.ok(frame.includes("petal_length  ...  extra_17  extra_18  extra_19\n0"), frame);
    assert.ok(frame.endsWith("\n\n[1 rows x 23 columns]"), frame);
    assert.ok(frame.split("\n").every((line) => line.length < 80), frame);
  });
});

Deno.test("with an array column in the signature, an object under inputs is one row whatever it holds", async () => {
  const { tfServingRows } = await import("../../lib/models/tf_serving_input.ts");
  const inputs: ColSpec[] = [
    { name: "tokens", type: { type: "array", items: "string" }, required: true },
    { name: "weight", type: "double", required: true },
  ];
  const read = tfServingRows("inputs", { tokens: ["a", "b"], weight: 0.5 }, inputs)!;
  assert.deepEqual(read.data, [{ tokens: ["a", "b"], weight: 0.5 }]);
  assert.equal(read.quote, "{'tokens': array(['a', 'b'], dtype='<U1'), 'weight': 0.5}");
});
