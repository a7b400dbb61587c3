/**
 * The validation cache (lib/validation_cache.ts): a value that passed a schema before is answered
 * without building the schema, exactly as the schema answered it; failures, values that would not come back
 * the same, another build's file and a broken file are never taken from it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cachedSafeParse, deferred, z } from "../lib/zod/mod.ts";
import { cacheAs } from "../lib/zod/on_demand.ts";
import {
  keyOf,
  stopValidationCache,
  useValidationCache,
  writeValidationCache,
} from "../lib/validation_cache.ts";

// A schema built on its first parse and filed in the cache, as mlflow.yml's synchronous parser files its own.
const cachedSchema = <T extends z.core.SomeType>(id: string, build: () => T) => cacheAs(deferred(build), id);

// A schema that counts how often it is built, with a default and a transform-free output.
function countedSchema(id = "test/entry") {
  const counter = { builds: 0 };
  const schema = cachedSchema(id, () => {
    counter.builds++;
    return z.strictObject({
      name: z.string().check(z.minLength(1)),
      size: z._default(z.number(), 1),
      extra: z.optional(z.unknown()),
    });
  });
  return { schema, counter };
}

// One process's view: turn the cache on in `dir`, run `body`, write the file as the process end would.
async function inProcess<T>(dir: string, fingerprint: string | undefined, body: () => T): Promise<T> {
  useValidationCache(dir, fingerprint);
  try {
    return body();
  } finally {
    writeValidationCache();
    stopValidationCache();
    await Promise.resolve();
  }
}

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    await body(join(dir, ".kmlf", "cache"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a value validated in an earlier process is answered without building the schema, with the same output", async () => {
  await withDir(async (dir) => {
    const value = { name: "iris", extra: { weights: [0.5, -0, NaN, Infinity, -Infinity], note: "é\u0000" } };
    const first = countedSchema();
    const parsed = await inProcess(dir, "build-1", () => cachedSafeParse(first.schema, value));
    assert.equal(first.counter.builds, 1);
    assert.ok(parsed.success);
    const again = countedSchema();
    const cached = await inProcess(dir, "build-1", () => cachedSafeParse(again.schema, value));
    assert.equal(again.counter.builds, 0, "the schema was built on a hit");
    assert.ok(cached.success);
    assert.deepEqual(cached.data, parsed.data);
    assert.equal(cached.data.size, 1, "the default comes back");
    const weights = (cached.data.extra as { weights: number[] }).weights;
    assert.ok(
      Object.is(weights[1], -0) && Number.isNaN(weights[2]) && weights[3] === Infinity &&
        weights[4] === -Infinity,
    );
    assert.notEqual(cached.data, value, "a fresh object, as zod's output is");
  });
});

Deno.test("failures are parsed every time: their issues are fresh and nothing is remembered", async () => {
  await withDir(async (dir) => {
    const bad = { name: "", size: "big" };
    for (let i = 0; i < 2; i++) {
      const { schema, counter } = countedSchema();
      const parsed = await inProcess(dir, "build-1", () => cachedSafeParse(schema, bad));
      assert.equal(counter.builds, 1);
      assert.ok(!parsed.success);
      assert.deepEqual(parsed.error.issues.map((issue) => issue.path.join(".")), ["name", "size"]);
    }
    assert.equal(await Deno.stat(join(dir, "validated.json")).then(() => true, () => false), false);
  });
});

Deno.test("values that would not come back the same are parsed every time", async () => {
  const cycle: Record<string, unknown> = { name: "loop" };
  cycle.extra = cycle;
  const unusual: unknown[] = [
    { name: "date", extra: new Date(0) },
    { name: "map", extra: new Map([["a", 1]]) },
    { name: "undefined", extra: [undefined] },
    { name: "bigint", extra: 1n },
    { name: "holes", extra: [1, , 3] },
    { name: "class", extra: new (class Point {})() },
    { name: "null prototype", extra: Object.create(null) },
    { name: "tagged", extra: { "\u0000kmlf": "NaN" } },
    cycle,
  ];
  await withDir(async (dir) => {
    for (const value of unusual) {
      for (let i = 0; i < 2; i++) {
        const { schema, counter } = countedSchema();
        const parsed = await inProcess(dir, "build-1", () => cachedSafeParse(schema, value));
        assert.equal(counter.builds, 1, `${(value as { name: string }).name}: taken from the cache`);
        assert.ok(parsed.success);
      }
    }
  });
});

Deno.test("another build's file, a broken file and kmlf running from its sources start afresh", async () => {
  await withDir(async (dir) => {
    const value = { name: "iris" };
    await inProcess(dir, "build-1", () => cachedSafeParse(countedSchema().schema, value));
    const other = countedSchema();
    await inProcess(dir, "build-2", () => cachedSafeParse(other.schema, value));
    assert.equal(other.counter.builds, 1, "a value validated by another build");
    const file = join(dir, "validated.json");
    assert.equal(JSON.parse(await Deno.readTextFile(file)).fingerprint, "build-2");
    for (const broken of ["{not json", JSON.stringify({ fingerprint: "build-2", entries: [[1, 2], "x"] })]) {
      await Deno.writeTextFile(file, broken);
      const fresh = countedSchema();
      const parsed = await inProcess(dir, "build-2", () => cachedSafeParse(fresh.schema, value));
      assert.equal(fresh.counter.builds, 1);
      assert.ok(parsed.success);
    }
    const sources = countedSchema();
    await Deno.remove(dir, { recursive: true });
    await inProcess(dir, undefined, () => cachedSafeParse(sources.schema, value));
    assert.equal(await Deno.stat(dir).then(() => true, () => false), false, "written without a fingerprint");
  });
});

Deno.test("one schema's answer is not another's, and entries used last come first in the file", async () => {
  await withDir(async (dir) => {
    const a = countedSchema("test/a");
    const b = countedSchema("test/b");
    await inProcess(dir, "build-1", () => {
      cachedSafeParse(a.schema, { name: "one" });
      cachedSafeParse(a.schema, { name: "two" });
    });
    const parsed = await inProcess(dir, "build-1", () => {
      cachedSafeParse(a.schema, { name: "two" }); // a hit: used by this process
      return cachedSafeParse(b.schema, { name: "one" });
    });
    assert.equal(b.counter.builds, 1, "test/b answered from test/a's entry");
    assert.ok(parsed.success);
    const { entries } = JSON.parse(await Deno.readTextFile(join(dir, "validated.json")));
    assert.deepEqual(
      entries.map(([key]: [string]) => key),
      [keyOf("test/a", { name: "two" }), keyOf("test/b", { name: "one" }), keyOf("test/a", { name: "one" })],
    );
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      ["validated.json"],
      "no temporary file left",
    );
  });
});

Deno.test("the file stays bounded: values of over 2,000 parts are not kept, and at most 2,000 entries, this process's first", async () => {
  await withDir(async (dir) => {
    const { schema, counter } = countedSchema();
    const long = { name: "many", extra: Array.from({ length: 2_000 }, (_, i) => i) };
    await inProcess(dir, "build-1", () => {
      cachedSafeParse(schema, long);
      for (let i = 0; i < 2_005; i++) cachedSafeParse(schema, { name: `n${i}` });
    });
    const file = join(dir, "validated.json");
    const keys = () => JSON.parse(Deno.readTextFileSync(file)).entries.map(([key]: [string]) => key);
    assert.equal(keys().length, 2_000);
    assert.ok(!keys().includes(keyOf("test/entry", long)), "a value of 2,002 parts was kept");
    const again = countedSchema();
    await inProcess(dir, "build-1", () => {
      cachedSafeParse(again.schema, long);
      cachedSafeParse(again.schema, { name: "n1999" }); // remembered: no build for it
      cachedSafeParse(again.schema, { name: "new" });
    });
    assert.equal(again.counter.builds, 1);
    assert.equal(counter.builds, 1);
    assert.deepEqual(keys().slice(0, 2), [
      keyOf("test/entry", { name: "n1999" }),
      keyOf("test/entry", { name: "new" }),
    ]);
    assert.equal(keys().length, 2_000);
  });
});

Deno.test("the file holds none of the values a project wrote, only what the schema added (its defaults)", async () => {
  await withDir(async (dir) => {
    const secret = "s3cr3t-t0ken";
    const value = { name: `db-${secret}`, extra: { credentials: { password: secret }, list: [secret, 1] } };
    const { schema } = countedSchema();
    await inProcess(dir, "build-1", () => cachedSafeParse(schema, value));
    const text = await Deno.readTextFile(join(dir, "validated.json"));
    assert.ok(!text.includes(secret) && !text.includes("db-"), text);
    assert.equal((await Deno.stat(join(dir, "validated.json"))).mode! & 0o777, 0o600, "readable by others");
    const [[, kept]] = JSON.parse(text).entries;
    assert.equal(JSON.parse(kept).size, 1, "the default is kept");
    const again = countedSchema();
    const parsed = await inProcess(dir, "build-1", () => cachedSafeParse(again.schema, value));
    assert.equal(again.counter.builds, 0);
    assert.deepEqual(parsed.success && parsed.data, { ...value, size: 1 });
    assert.equal(parsed.success && parsed.data.extra, value.extra, "zod hands z.unknown()'s part through");
  });
});

Deno.test("a remembered output holds the value's own objects where zod's does (z.unknown()), and new ones where zod builds them", async () => {
  await withDir(async (dir) => {
    const build = () =>
      z.strictObject({
        name: z.string(),
        loose: z.optional(z.looseObject({ type: z.string() })),
        record: z.optional(z.record(z.string(), z.unknown())),
        extra: z.optional(z.unknown()),
      });
    const shared = { n: [1, 2] };
    const value = {
      name: "iris",
      loose: { type: "csv", inner: { a: 1 }, list: [shared] },
      record: { k: { deep: shared }, n: 1 },
      extra: shared,
    };
    // Every object of the output, by its path, and whether it is the input's object at that path.
    const identities = (output: unknown, input: unknown, path = ""): string[] => {
      if (output === null || typeof output !== "object") return [];
      const own = `${path || "."} ${output === input ? "shared" : "new"}`;
      const from = (input ?? {}) as Record<string, unknown>;
      return [own, ...Object.entries(output).flatMap(([k, v]) => identities(v, from[k], `${path}.${k}`))];
    };
    const zods = build().parse(value);
    let builds = 0;
    const counted = () => (builds++, build());
    await inProcess(dir, "build-1", () => cachedSafeParse(cachedSchema("test/identity", counted), value));
    const again = cachedSchema("test/identity", counted);
    const cached = await inProcess(dir, "build-1", () => cachedSafeParse(again, value));
    assert.equal(builds, 1, "built on a hit");
    assert.ok(cached.success);
    assert.deepEqual(cached.data, zods);
    assert.deepEqual(identities(cached.data, value), identities(zods, value));
    assert.ok(identities(zods, value).includes(".extra shared"), "zod no longer hands z.unknown() through");
  });
});

Deno.test("an entry that is not an output, or does not fit the value, is not taken: the value is parsed as without the file", async () => {
  await withDir(async (dir) => {
    const value = { name: "iris" };
    const key = keyOf("test/entry", value)!;
    const file = join(dir, "validated.json");
    await Deno.mkdir(dir, { recursive: true });
    const damaged = [
      "{not json",
      // The input's parts taken from keys the value does not have (inherited ones among them).
      JSON.stringify({ name: "iris", size: 1, constructor: { "\u0000kmlf": "=" } }),
      JSON.stringify({ name: "iris", size: 1, toString: { "\u0000kmlf": "&" } }),
      JSON.stringify({ name: { "\u0000kmlf": "&" }, size: 1 }),
    ];
    for (const kept of damaged) {
      await Deno.writeTextFile(file, JSON.stringify({ fingerprint: "build-1", entries: [[key, kept]] }));
      const { schema, counter } = countedSchema();
      const parsed = await inProcess(dir, "build-1", () => cachedSafeParse(schema, value));
      assert.equal(counter.builds, 1, `taken: ${kept}`);
      assert.deepEqual(parsed.success && parsed.data, { name: "iris", size: 1 });
      const [[, written]] = JSON.parse(await Deno.readTextFile(file)).entries;
      assert.notEqual(written, kept, "the damaged entry was kept");
    }
  });
});

Deno.test("the file is written as a new file: never through a file or link already at its temporary name", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(dir, { recursive: true });
    const victim = join(dir, "..", "victim.txt");
    await Deno.writeTextFile(victim, "mine");
    const tmp = join(dir, `validated.json.${Deno.pid}.tmp`);
    await Deno.symlink(victim, tmp);
    await inProcess(dir, "build-1", () => cachedSafeParse(countedSchema().schema, { name: "iris" }));
    assert.equal(await Deno.readTextFile(victim), "mine", "written through the link");
    assert.ok((await Deno.lstat(tmp)).isSymlink, "another's file removed");
    await Deno.remove(tmp);
    await inProcess(dir, "build-1", () => cachedSafeParse(countedSchema().schema, { name: "iris" }));
    assert.equal(JSON.parse(await Deno.readTextFile(join(dir, "validated.json"))).entries.length, 1);
  });
});

Deno.test({
  name: "a FIFO in the file's place is not read (the read would block the run)",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withDir(async (dir) => {
      await Deno.mkdir(dir, { recursive: true });
      const file = join(dir, "validated.json");
      const mkfifo = await new Deno.Command("mkfifo", { args: [file] }).output();
      assert.ok(mkfifo.success, "mkfifo failed");
      // In a process of its own, ended after 20 s: a blocked read cannot be interrupted from inside.
      const module = new URL("../lib/validation_cache.ts", import.meta.url).href;
      const code = `import { useValidationCache, stopValidationCache } from "${module}";\n` +
        `useValidationCache(${JSON.stringify(dir)}, "build-1"); stopValidationCache(); console.log("read");`;
      const fifo = await new Deno.Command(Deno.execPath(), {
        args: ["eval", code],
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(20_000),
      }).output();
      assert.equal(new TextDecoder().decode(fifo.stdout).trim(), "read", "blocked on the FIFO");
    });
  },
});
