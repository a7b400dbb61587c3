/**
 * kmlf's registry endpoints answer MLflow 2.17.2's recorded validation matrix (1,000+ exchanges per
 * store) as MLflow did — same status, error code and message, same JSON for successes — except for
 * the cases listed in registry_replay_deviations.ts, each with what kmlf answers instead and why. An
 * answer MLflow gave as a 5xx must be a 4xx from kmlf (a user error is never a server error).
 */
import assert from "node:assert/strict";
import { type Answer, type RecordedExchange, registryExchanges, ReplayServer } from "./registry_replay.ts";
import { deviationsFor, skipped } from "./registry_replay_deviations.ts";

const TIMES = new Set(["creation_timestamp", "last_updated_timestamp"]);

/**
 * A JSON answer without timestamps (and `ignore`d keys), with tag and alias lists sorted (file stores
 * list them in folder order).
 */
function normalize(value: unknown, ignore: readonly string[] = []): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v, ignore));
    const sortable = items.every((i) =>
      i !== null && typeof i === "object" && ("key" in i || "alias" in i)
    ) ||
      items.every((i) => typeof i === "string");
    return sortable ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => !TIMES.has(k) && !ignore.includes(k)).map(([k, v]) => [
        k,
        normalize(v, ignore),
      ]),
    );
  }
  return value;
}

function describe(answer: Answer): string {
  const j = answer.json;
  if (j && "error_code" in j) return `${answer.status} ${j.error_code} ${String(j.message).slice(0, 300)}`;
  return `${answer.status} ${answer.text.slice(0, 300)}`;
}

/** Why kmlf's answer differs from MLflow's recorded one, or undefined when it matches. */
function differs(
  server: ReplayServer,
  ex: RecordedExchange,
  got: Answer,
  ignoreKeys?: string[],
): string | undefined {
  const recorded = ex.response;
  if (recorded.status >= 500) {
    return got.status >= 400 && got.status < 500 ? undefined : "MLflow 5xx must be a kmlf 4xx";
  }
  if (got.status !== recorded.status) return `status ${got.status}, MLflow ${recorded.status}`;
  if (!(recorded.content_type ?? "").startsWith("application/json")) {
    // Flask's HTML pages (404/405) and file downloads: same status, same file content.
    return recorded.status === 200 && got.text !== server.map(recorded.body)
      ? "different file content"
      : undefined;
  }
  const expected = JSON.parse(server.map(recorded.body));
  if ("error_code" in expected) {
    if (got.json?.error_code !== expected.error_code) {
      return `code ${got.json?.error_code}, MLflow ${expected.error_code}`;
    }
    // MLflow's SQL store appends SQLAlchemy's error (with the SQL statement); kmlf never echoes SQL.
    const message = String(expected.message).replace(
      / Error: \((?:sqlite3\.|raised as a result of Query-invoked)[^]*$/,
      "",
    );
    return got.json?.message === message ? undefined : `message differs; MLflow: ${message}`;
  }
  const a = JSON.stringify(normalize(got.json, ignoreKeys));
  const b = JSON.stringify(normalize(expected, ignoreKeys));
  return a === b ? undefined : `body differs;\n   kmlf:   ${a.slice(0, 700)}\n   MLflow: ${b.slice(0, 700)}`;
}

/** Why kmlf's answer is wrong: neither MLflow's answer nor the listed deviation; undefined when fine. */
function mismatch(server: ReplayServer, file: string, ex: RecordedExchange, got: Answer, store: string) {
  const deviations = deviationsFor(store, file, ex.case);
  const why = differs(server, ex, got, deviations.flatMap((d) => d.ignoreKeys ?? []));
  const alternatives = deviations.filter((d) => !d.ignoreKeys);
  if (!why || !alternatives.length) return why;
  const code = got.json?.error_code;
  const allowed = alternatives.find((d) =>
    d.status.includes(got.status) && (d.code === undefined || code === d.code) &&
    (d.message === undefined || d.message.test(String(got.json?.message ?? got.text)))
  );
  return allowed
    ? undefined
    : `${why}; nor a listed deviation (${alternatives.map((d) => d.why).join("; ")})`;
}

for (const store of ["sqlite", "filestore"] as const) {
  Deno.test(`the registry answers MLflow's recorded ${store} validation matrix as MLflow did`, async () => {
    const server = await ReplayServer.start(store);
    // One clock tick per exchange, as the recording's requests each took over a millisecond: orders by
    // timestamp then depend on the order of the calls, not on the machine's speed.
    const realNow = Date.now;
    let clock = 1_800_000_000_000;
    Date.now = () => clock;
    const problems: string[] = [];
    let compared = 0;
    let skips = 0;
    try {
      for (const { file, exchange, resets } of registryExchanges(store)) {
        clock += 10;
        const got = await server.send(exchange);
        if (file === "_setup") {
          server.learn(exchange, got);
          assert.equal(got.status, 200, `setup seq ${exchange.seq}: ${got.text}`);
        } else if (skipped(exchange.case)) {
          skips++;
        } else {
          compared++;
          const why = mismatch(server, file, exchange, got, store);
          if (why) {
            problems.push(`${file} [${exchange.case}] seq ${exchange.seq}: kmlf ${describe(got)} — ${why}`);
          }
          await server.keepVersionNumbersAligned(file, exchange, got);
        }
        for (const reset of resets) await server.reset(reset);
      }
    } finally {
      Date.now = realNow;
      await server.close();
    }
    assert.ok(compared > 900, `only ${compared} exchanges compared (${skips} skipped)`);
    assert.deepEqual(
      problems,
      [],
      `${problems.length} of ${compared} exchanges differ:\n${problems.join("\n")}`,
    );
  });
}
