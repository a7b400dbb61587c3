import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { parseRuntimeParams } from "../../lib/config/mod.ts";
import { pyJsonDump } from "../../lib/py_json.ts";
import { withTree } from "../fs_helpers.ts";
import { load, rejectsWith } from "./_helpers.ts";

const only = (files: Record<string, string>) => ({ "conf/local/.gitkeep": "", ...files });

Deno.test("a whole-string reference keeps the value's type; inside text it is stringified", async () => {
  await withTree(
    only({
      "conf/base/parameters.yml":
        "n: 3\nflag: true\nlist: [1, 2]\nmap: {a: 1}\ncopy: ${n}\nf: ${flag}\nlabel: run-${n}-${flag}\nlst: ${list}\nm: '${map}'\ntxt: 'm=${map}'\n",
    }),
    async (dir) => {
      const p = (await load(dir, "parameters")).data;
      assert.equal(p.copy, 3);
      assert.equal(p.f, true);
      assert.equal(p.label, "run-3-True"); // OmegaConf writes str(True)
      assert.deepEqual(p.lst, [1, 2]);
      assert.deepEqual(p.m, { a: 1 });
      assert.equal(p.txt, "m={'a': 1}"); // and str({'a': 1})
    },
  );
});

Deno.test("references reach nested keys, list items, siblings and go through other references", async () => {
  await withTree(
    only({
      "conf/base/parameters.yml": [
        "model: {lr: 0.1, layers: [8, 16]}",
        "a: ${model.lr}",
        "b: ${model.layers[1]}",
        "c: ${model.layers.0}",
        "alias: ${model}",
        "d: ${alias.lr}",
        "group: {x: 5, y: '${.x}'}",
        "key: lr",
        "e: ${model.${key}}",
      ].join("\n"),
    }),
    async (dir) => {
      const p = (await load(dir, "parameters")).data;
      assert.deepEqual([p.a, p.b, p.c, p.d, p.e], [0.1, 16, 8, 0.1, 0.1]);
      assert.deepEqual(p.group, { x: 5, y: 5 });
    },
  );
});

Deno.test("a referenced mapping is copied, not shared", async () => {
  await withTree(only({ "conf/base/parameters.yml": "a: {x: 1}\nb: ${a}\n" }), async (dir) => {
    const p = (await load(dir, "parameters")).data as Record<string, Record<string, number>>;
    p.b.x = 2;
    assert.equal(p.a.x, 1);
  });
});

Deno.test("a missing reference names the file, line:column, key path and a did-you-mean", async () => {
  await withTree(
    only({ "conf/base/parameters.yml": "model:\n  n_iter: 3\ncopy: ${modl.n_iter}\n" }),
    async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "parameters"),
        ConfigError,
        "config/interpolation",
        /Cannot resolve \$\{modl.n_iter\}: no key "modl.n_iter" in parameters/,
      );
      assert.deepEqual(e.source, {
        file: join(dir, "conf/base/parameters.yml"),
        line: 3,
        column: 7,
        keyPath: "copy",
      });
      assert.match(e.hint!, /did you mean "model"/);
    },
  );
});

Deno.test("interpolation is per env folder: the env cannot see keys that exist only in base", async () => {
  await withTree({
    "conf/base/parameters.yml": "root: /data\n",
    "conf/local/parameters.yml": "path: ${root}/x\n",
  }, async (dir) => {
    const e = await rejectsWith(() => load(dir, "parameters"), ConfigError, "config/interpolation", /"root"/);
    assert.equal(e.source?.file, join(dir, "conf/local/parameters.yml"));
    assert.match(e.hint!, /does not cross environments; use globals/);
  });
});

Deno.test("globals come from base then env (destructive), with dotted keys and defaults", async () => {
  await withTree({
    "conf/base/globals.yml": "folder: data\ntypes: {csv: csv, pq: parquet}\n",
    "conf/local/globals.yml": "folder: /mnt/data\n",
    "conf/base/parameters.yml": "f: ${globals:folder}\nt: ${globals:types.csv}\nd: ${globals:missing, 7}\n",
    "conf/base/catalog.yml": "x: {type: '${globals:types.pq}', filepath: '${globals:folder}/x.pq'}\n",
  }, async (dir) => {
    assert.deepEqual((await load(dir, "parameters")).data, { f: "/mnt/data", t: "csv", d: 7 });
    assert.deepEqual((await load(dir, "catalog")).data, {
      x: { type: "parquet", filepath: "/mnt/data/x.pq" },
    });
  });
});

Deno.test("globals keys starting with _ are refused", async () => {
  await withTree(
    only({
      "conf/base/globals.yml": "_secret: 1\n",
      "conf/base/parameters.yml": "s: ${globals:_secret}\n",
    }),
    async (dir) => {
      await rejectsWith(
        () => load(dir, "parameters"),
        ConfigError,
        "config/interpolation",
        /keys starting with "_"/,
      );
    },
  );
});

Deno.test("a missing global without default is located, with did-you-mean", async () => {
  await withTree(
    only({
      "conf/base/globals.yml": "bucket: s3://b\n",
      "conf/base/catalog.yml": "x:\n  type: csv\n  filepath: ${globals:buckt}/x.csv\n",
    }),
    async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "catalog"),
        ConfigError,
        "config/interpolation",
        /Globals key "buckt" not found and no default value provided/,
      );
      assert.deepEqual([e.source?.line, e.source?.column, e.source?.keyPath], [3, 13, "x.filepath"]);
      assert.match(e.hint!, /did you mean "bucket"/);
    },
  );
});

Deno.test("runtime params fill ${runtime_params:}, with nested defaults", async () => {
  await withTree(
    only({
      "conf/base/globals.yml": "fallback: 9\n",
      "conf/base/parameters.yml":
        "seed: ${runtime_params:seed, ${globals:fallback}}\nlr: ${runtime_params:m.lr, 0.1}\n",
      "conf/base/catalog.yml": "x: {type: csv, filepath: 'data/${runtime_params:day, today}.csv'}\n",
    }),
    async (dir) => {
      assert.deepEqual((await load(dir, "parameters")).data, { seed: 9, lr: 0.1 });
      const p = await load(dir, "parameters", { runtimeParams: { seed: 3, m: { lr: 0.5 } } });
      assert.deepEqual([p.data.seed, p.data.lr], [3, 0.5]);
      const c = await load(dir, "catalog", { runtimeParams: { day: "mon" } });
      assert.deepEqual(c.data, { x: { type: "csv", filepath: "data/mon.csv" } });
    },
  );
});

Deno.test("a missing runtime param without default says how to pass it", async () => {
  await withTree(
    only({ "conf/base/parameters.yml": "a: 1\nseed: ${runtime_params:seed}\n" }),
    async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "parameters", { runtimeParams: { sed: 1 } }),
        ConfigError,
        "config/interpolation",
        /Runtime parameter "seed" not found/,
      );
      assert.equal(e.source?.line, 2);
      assert.match(e.hint!, /did you mean "sed"\? \(or pass --params "seed=\.\.\."/);
    },
  );
});

Deno.test("runtime_params inside globals is an error", async () => {
  await withTree(
    only({
      "conf/base/globals.yml": "x: ${runtime_params:x, 1}\n",
      "conf/base/parameters.yml": "y: ${globals:x}\n",
    }),
    async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "parameters"),
        ConfigError,
        "config/interpolation",
        /runtime_params: resolver is not supported in globals/,
      );
      assert.equal(e.source?.file, join(dir, "conf/base/globals.yml"));
    },
  );
});

Deno.test("${env:VAR} works in credentials, with a default, also as oc.env", async () => {
  const vars: Record<string, string> = { TOKEN: "s3cret" };
  await withTree({
    "conf/base/catalog.yml": "{}\n",
    "conf/local/credentials.yml":
      "db: {token: '${env:TOKEN}', user: '${env:NOPE, anon}', o: '${oc.env:TOKEN}'}\n",
  }, async (dir) => {
    const c = await load(dir, "credentials", { getEnv: (name) => vars[name] });
    assert.deepEqual(c.data, { db: { token: "s3cret", user: "anon", o: "s3cret" } });
  });
});

Deno.test("${env:VAR} outside credentials is an error naming the file, position and the rule", async () => {
  await withTree(
    only({ "conf/base/catalog.yml": "x:\n  type: csv\n  filepath: '${env:HOME}'\n" }),
    async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "catalog"),
        ConfigError,
        "config/interpolation",
        /only allowed in credentials files \(found in catalog\)/,
      );
      assert.deepEqual(e.source, {
        file: join(dir, "conf/base/catalog.yml"),
        line: 3,
        column: 13,
        keyPath: "x.filepath",
      });
    },
  );
});

Deno.test("an unset environment variable without default is an error", async () => {
  await withTree(
    { "conf/base/credentials.yml": "a: ${env:KMLF_SURELY_UNSET}\n", "conf/local/.gitkeep": "" },
    async (dir) => {
      await rejectsWith(
        () => load(dir, "credentials", { getEnv: () => undefined }),
        ConfigError,
        "config/interpolation",
        /"KMLF_SURELY_UNSET" is not set/,
      );
    },
  );
});

Deno.test("the hints of environment resolvers speak the user's spelling (oc.env is Kedro's)", async () => {
  await withTree(
    { "conf/base/credentials.yml": "a: ${oc.env:KMLF_SURELY_UNSET}\n", "conf/local/.gitkeep": "" },
    async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "credentials", { getEnv: () => undefined }),
        ConfigError,
        "config/interpolation",
      );
      assert.match(e.hint!, /add a default: \$\{oc\.env:KMLF_SURELY_UNSET, value\}/);
    },
  );
  await withTree(
    { "conf/base/credentials.yml": "a: ${oc.nev:HOME}\n", "conf/local/.gitkeep": "" },
    async (dir) => {
      const e = await rejectsWith(() => load(dir, "credentials"), ConfigError, "config/interpolation");
      assert.equal(e.hint, 'did you mean "oc.env"?');
    },
  );
});

Deno.test("circular interpolation is an error showing the cycle", async () => {
  await withTree(
    only({ "conf/base/parameters.yml": "a: ${b}\nb: ${c.x}\nc: {x: '${a}'}\n" }),
    async (dir) => {
      await rejectsWith(
        () => load(dir, "parameters"),
        ConfigError,
        "config/interpolation",
        /Circular interpolation: \$\{a\} -> \$\{b\} -> \$\{c.x\} -> \$\{a\}/,
      );
    },
  );
  await withTree(only({ "conf/base/parameters.yml": "a: {b: '${a}'}\n" }), async (dir) => {
    await rejectsWith(() => load(dir, "parameters"), ConfigError, "config/interpolation", /Circular/);
  });
});

Deno.test("resolver defaults are YAML scalars; quoted defaults may hold commas", async () => {
  await withTree(
    only({
      "conf/base/parameters.yml": [
        "f: ${globals:x, 1.5}",
        "b: ${globals:x, true}",
        "n: ${globals:x, null}",
        "s: ${globals:x, 1a}",
        `q: \${globals:x, 'a, b'}`,
        "e: ${globals:x, 1e-2}",
      ].join("\n"),
    }),
    async (dir) => {
      assert.deepEqual((await load(dir, "parameters")).data, {
        f: 1.5,
        b: true,
        n: null,
        s: "1a",
        q: "a, b",
        e: 0.01,
      });
    },
  );
});

Deno.test("a built-in resolver with too many arguments is an error", async () => {
  await withTree(only({ "conf/base/parameters.yml": "a: ${globals:x, a, b}\n" }), async (dir) => {
    await rejectsWith(() => load(dir, "parameters"), ConfigError, "config/interpolation", /got 3 argument/);
  });
});

Deno.test("custom resolvers get resolved arguments and run once per value", async () => {
  let calls = 0;
  const resolvers = {
    add: (args: unknown[]) => (args as number[]).reduce((a, b) => a + b, 0),
    counter: () => ++calls,
  };
  await withTree(
    only({
      "conf/base/parameters.yml":
        "n: 2\nsum: ${add:1, ${n}, 3}\nid: ${counter:}\nsame: ${id}\nagain: ${id}\n",
    }),
    async (dir) => {
      const p = (await load(dir, "parameters", { resolvers })).data;
      assert.equal(p.sum, 6);
      assert.deepEqual([p.id, p.same, p.again, calls], [1, 1, 1, 1]);
    },
  );
});

Deno.test("an unknown resolver gets did-you-mean; a failing resolver is reported with its cause", async () => {
  await withTree(only({ "conf/base/parameters.yml": "a: ${global:x}\n" }), async (dir) => {
    const e = await rejectsWith(
      () => load(dir, "parameters"),
      ConfigError,
      "config/interpolation",
      /"global"/,
    );
    assert.match(e.hint!, /did you mean "globals"/);
  });
  const boom = new Error("boom");
  await withTree(only({ "conf/base/parameters.yml": "a: ${explode:}\n" }), async (dir) => {
    const resolvers = {
      explode: () => {
        throw boom;
      },
    };
    const e = await rejectsWith(
      () => load(dir, "parameters", { resolvers }),
      ConfigError,
      "config/interpolation",
      /Resolver "explode" failed: boom/,
    );
    assert.equal(e.cause, boom);
    assert.equal(e.source?.line, 1);
  });
});

Deno.test("escaped \\${ stays literal; an unclosed ${ is an error", async () => {
  await withTree(only({ "conf/base/parameters.yml": "a: '\\${not.this}'\nb: 1\n" }), async (dir) => {
    assert.equal((await load(dir, "parameters")).data.a, "${not.this}");
  });
  await withTree(only({ "conf/base/parameters.yml": "a: '${b'\nb: 1\n" }), async (dir) => {
    await rejectsWith(() => load(dir, "parameters"), ConfigError, "config/interpolation", /unclosed/);
  });
});

Deno.test("OmegaConf's own resolvers: oc.select, oc.dict.keys/values, oc.decode, oc.create", async () => {
  await withTree(
    only({
      "conf/base/parameters.yml": [
        "model: {lr: 0.1, depth: 3}",
        "lr: ${oc.select:model.lr, 0.5}",
        "missing: ${oc.select:model.momentum, 0.9}",
        "none: ${oc.select:nope}",
        "sibling: {a: 1, b: '${oc.select:.a}'}",
        "names: ${oc.dict.keys:model}",
        "vals: ${oc.dict.values:model}",
        "port: ${oc.decode:'8080'}",
        "list: ${oc.decode:'[1, 2]'}",
        `made: "\${oc.create:'{k: [x]}'}"`,
        "",
      ].join("\n"),
    }),
    async (dir) => {
      const p = (await load(dir, "parameters")).data;
      assert.equal(p.lr, 0.1);
      assert.equal(p.missing, 0.9);
      assert.equal(p.none, null);
      assert.deepEqual(p.sibling, { a: 1, b: 1 });
      assert.deepEqual(p.names, ["lr", "depth"]);
      assert.deepEqual(p.vals, [0.1, 3]);
      assert.equal(p.port, 8080);
      assert.deepEqual(p.list, [1, 2]);
      assert.deepEqual(p.made, { k: ["x"] });
    },
  );
});

Deno.test("OmegaConf resolvers given the wrong arguments say how to call them", async () => {
  for (
    const [text, message] of [
      ["a: ${oc.dict.keys:nope.x}", /no key "nope\.x"/],
      ["a: 1\nb: ${oc.dict.keys:a}", /needs the key path of a mapping, and "a" is not one/],
      ["a: ${oc.decode:'[1'}", /"\[" in "\[1" must be escaped/],
      ["a: ${oc.create:'[1'}", /cannot read "\[1" as YAML/],
      ["a: ${oc.select:}", /takes a key and an optional default, got 0/],
      ["a: ${oc.selct:x}", /Unknown resolver "oc.selct"/],
    ] as const
  ) {
    await withTree(only({ "conf/base/parameters.yml": `${text}\n` }), async (dir) => {
      const e = await rejectsWith(
        () => load(dir, "parameters"),
        ConfigError,
        "config/interpolation",
        message,
      );
      if (text.includes("selct")) assert.match(e.hint!, /did you mean "oc.select"/);
    });
  }
});

Deno.test("a resolver registered as oc.env replaces the built-in one in every config type (Kedro's custom_resolvers)", async () => {
  await withTree({
    "conf/base/catalog.yml": "x:\n  type: csv\n  filepath: '${oc.env:DATA_DIR, /d}/x.csv'\n",
    "conf/local/credentials.yml": "db: {u: '${oc.env:USER_NAME}'}\n",
  }, async (dir) => {
    const resolvers = {
      "oc.env": (args: unknown[]) =>
        ({ USER_NAME: "ann" } as Record<string, string>)[String(args[0])] ?? args[1],
    };
    assert.deepEqual((await load(dir, "catalog", { resolvers })).data, {
      x: { type: "csv", filepath: "/d/x.csv" },
    });
    assert.deepEqual((await load(dir, "credentials", { resolvers })).data, { db: { u: "ann" } });
  });
});

Deno.test("floats without a fraction keep being floats through --params, merges and ${…}, as OmegaConf's", async () => {
  await withTree(
    only({
      "conf/base/globals.yml": "g: 5.0\n",
      "conf/base/parameters.yml": [
        "lr: 1.0",
        "n: 1",
        "m: {a: 2.0, b: 1}",
        "r: ${runtime_params:lr}",
        "s: r-${runtime_params:lr}",
        "d: ${runtime_params:nope, 3.0}",
        "ref: ${lr}",
        "text: x${m.a}",
        "l: [1.0, 2, '${lr}']",
        "glob: ${globals:g}",
        "",
      ].join("\n"),
    }),
    async (dir) => {
      const python = async (params: string) => {
        const { data } = await load(dir, "parameters", { runtimeParams: parseRuntimeParams(params) });
        return pyJsonDump(data);
      };
      assert.equal(
        await python("lr=4.0,n=2.0,m.b=7.0"),
        '{"lr": 4.0, "n": 2.0, "m": {"a": 2.0, "b": 7.0}, "r": 4.0, "s": "r-4.0", "d": 3.0, "ref": 4.0, ' +
          '"text": "x2.0", "l": [1.0, 2, 4.0], "glob": 5.0}',
      );
      // An int given over a float replaces it: 1, not 1.0 (`${lr}` reads the merged value, as Kedro's).
      assert.equal(
        await python("lr=1,m.a=2"),
        '{"lr": 1, "n": 1, "m": {"a": 2, "b": 1}, "r": 1, "s": "r-1", "d": 3.0, "ref": 1, ' +
          '"text": "x2", "l": [1.0, 2, 1], "glob": 5.0}',
      );
    },
  );
});

Deno.test("OmegaConf's resolvers keep a float without a fraction, and oc.dict.* the file's keys, as OmegaConf's", async () => {
  await withTree(
    only({
      "conf/base/parameters.yml": [
        "m: {a: 2.0, 2: x, 1: 1.0}",
        "vals: ${oc.dict.values:m}",
        "keys: ${oc.dict.keys:m}",
        "c1: ${oc.create:'1.0'}",
        "c2: ${oc.create:'[1.0, 2]'}",
        `c3: "\${oc.create:'{a: 1.0, 2: 1e3}'}"`,
        "c4: x-${oc.create:'1.0'}",
        "c5: ${oc.create:1.0}",
        `c6: "\${oc.create:\${m}}"`,
        "s1: ${oc.select:nope, 1.0}",
        "s2: ${oc.select:m.a}",
        "d1: ${oc.decode:'1.0'}",
        "n: {b: '${m.a}', c: 3}",
        "nv: ${oc.dict.values:n}",
        "",
      ].join("\n"),
      "conf/base/credentials.yml": [
        "e1: ${oc.env:KMLF_TEST_FLOAT}",
        "e2: ${oc.env:KMLF_SURELY_UNSET, 1.0}",
        "e3: ${oc.env:KMLF_SURELY_UNSET, null}",
        "e4: ${oc.env:KMLF_SURELY_UNSET, [1.0]}",
        "e5: ${env:KMLF_SURELY_UNSET, 1.0}",
        "",
      ].join("\n"),
    }),
    async (dir) => {
      const { data } = await load(dir, "parameters");
      // OmegaConf: [2.0, 'x', 1.0], ['a', 2, 1] (the file's order and key types), 1.0 and [1.0, 2] ...
      assert.equal(
        pyJsonDump(data),
        '{"m": {"a": 2.0, "2": "x", "1": 1.0}, "vals": [2.0, "x", 1.0], "keys": ["a", 2, 1], "c1": 1.0, ' +
          '"c2": [1.0, 2], "c3": {"a": 1.0, "2": 1000.0}, "c4": "x-1.0", "c5": 1.0, ' +
          '"c6": {"a": 2.0, "2": "x", "1": 1.0}, "s1": 1.0, "s2": 2.0, "d1": 1.0, ' +
          '"n": {"b": 2.0, "c": 3}, "nv": [2.0, 3]}',
      );
      const getEnv = (name: string) => (name === "KMLF_TEST_FLOAT" ? "1.0" : undefined);
      const credentials = (await load(dir, "credentials", { getEnv })).data;
      // oc.env gives text, its default too (str(default), None kept); kmlf's env keeps a typed default.
      assert.equal(
        pyJsonDump(credentials),
        '{"e1": "1.0", "e2": "1.0", "e3": null, "e4": "[1.0]", "e5": 1.0}',
      );
    },
  );
});
