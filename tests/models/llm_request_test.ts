/**
 * MLflow 2.17's "unified LLM" requests (`messages`, `prompt` or `input` at the top level) sent to a model
 * whose signature names columns: the whole body is the model's input (declared params aside), so a chat
 * body is MLflow's "Model is missing inputs" error naming the extra keys, and a body that carries the
 * columns predicts with the answer unwrapped (no `{"predictions": …}`), as MLflow answers it.
 */
import assert from "node:assert/strict";
import { parseScoringBody, scoringHandler } from "../../lib/models/mod.ts";
import { loadedRulesModel } from "./model_helpers.ts";

const { model } = await loadedRulesModel();
const handler = scoringHandler(model, { maxBodyBytes: 1 << 16 });
const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

async function invoke(body: unknown) {
  const res = await handler(
    new Request("http://127.0.0.1/invocations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: res.status, text: await res.text() };
}

Deno.test("a chat, completions or embeddings body is MLflow's missing-inputs error naming its keys", async () => {
  const chat = await invoke({ messages: [{ role: "user", content: "hi" }] });
  assert.equal(chat.status, 400, chat.text);
  const { error_code, message } = JSON.parse(chat.text);
  assert.equal(error_code, "INVALID_PARAMETER_VALUE");
  // The data is quoted as MLflow quotes the dict it gave the model.
  assert.ok(
    message.startsWith(
      `Failed to predict data '{'messages': [{'role': 'user', 'content': 'hi'}]}'. \nError:`,
    ),
  );
  assert.match(
    message,
    /Error: Model is missing inputs \['sepal_length', 'sepal_width', 'petal_length', 'petal_width'\]\. Note that there were extra inputs: \['messages'\]/,
  );
  for (const body of [{ prompt: "hi", max_tokens: 5 }, { input: ["a", "b"] }]) {
    const res = await invoke(body);
    assert.equal(res.status, 400, res.text);
    assert.match(JSON.parse(res.text).message, /Model is missing inputs .* extra inputs: \[/);
  }
  // The LLM key is looked for before the format keys: a dataframe_split beside it is one more column.
  const mixed = await invoke({
    prompt: "hi",
    dataframe_split: { columns: Object.keys(ROW), data: [Object.values(ROW)] },
  });
  assert.match(JSON.parse(mixed.text).message, /extra inputs: \['prompt', 'dataframe_split'\]/);
});

Deno.test("an LLM body carrying the signature's columns predicts one row, answered without 'predictions'", async () => {
  const res = await invoke({ input: "note", ...ROW });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, '[{"prediction": "setosa", "probability": 0.9}]');
  // Without an LLM key the same body is the format-key error, as before.
  assert.equal((await invoke(ROW)).status, 400);
});

Deno.test("in an LLM body, a key the signature declares as a param is a param; others are columns", async () => {
  const body = JSON.stringify({ messages: [], temperature: 0.2, top_k: 3 });
  assert.deepEqual(await parseScoringBody(body, "json", [], { llmParams: ["temperature"] }), {
    data: { messages: [], top_k: 3 },
    params: { temperature: 0.2 },
    llm: true,
  });
  // `kmlf models predict` reads bodies as MLflow's CLI does: no LLM requests, the format-key error.
  await assert.rejects(() => parseScoringBody(body, "json", []), /exactly one of the input fields/);
});
