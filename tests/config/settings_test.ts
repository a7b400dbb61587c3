import assert from "node:assert/strict";
import { join } from "node:path";
import {
  findProjectRoot,
  loadProjectSettings,
  requireProjectRoot,
  resolveEnv,
} from "../../lib/config/mod.ts";
import { ConfigError, KmlfAggregateError } from "../../lib/errors.ts";
import { withTree } from "../fs_helpers.ts";
import { rejectsWith, throwsWith } from "./_helpers.ts";

Deno.test("the project root is found by walking up to kmlf.yml", async () => {
  await withTree({ "kmlf.yml": "name: p\n", "pipelines/sub/x.txt": "" }, (dir) => {
    assert.equal(findProjectRoot(join(dir, "pipelines/sub")), dir);
    assert.equal(findProjectRoot(dir), dir);
    assert.equal(requireProjectRoot(join(dir, "pipelines")), dir);
  });
});

Deno.test("outside a project, the root is undefined and requireProjectRoot says how to create one", async () => {
  await withTree({ "a/b/readme.txt": "" }, (dir) => {
    const start = join(dir, "a/b");
    assert.equal(findProjectRoot(start), undefined);
    const e = throwsWith(
      () => requireProjectRoot(start),
      ConfigError,
      "project/not-found",
      /No kmlf project found in .*a\/b or its parents \(no kmlf.yml\)/,
    );
    assert.match(e.hint!, /kmlf new <dir>/);
    assert.match(e.hint!, /name: my_project/);
  });
});

Deno.test("inside a Kedro project without kmlf.yml, the hint says how to move it over, with its package name", async () => {
  const pyproject =
    '[build-system]\nrequires = ["setuptools"]\n\n[tool.kedro]\npackage_name = "spaceflights"\n' +
    'project_name = "Spaceflights Pandas"\nkedro_init_version = "1.0.0"\n\n[tool.ruff]\nline-length = 88\n';
  await withTree({ "pyproject.toml": pyproject, "conf/base/catalog.yml": "", "src/x.py": "" }, (dir) => {
    const e = throwsWith(
      () => requireProjectRoot(join(dir, "src")),
      ConfigError,
      "project/not-found",
      /no kmlf.yml/,
    );
    assert.match(e.hint!, /this is a Kedro project/);
    assert.ok(e.hint!.includes(`create ${join(dir, "kmlf.yml")} containing "name: spaceflights"`), e.hint);
    assert.match(e.hint!, /Moving a Kedro project over/);
  });
  // A pyproject.toml of another tool is not a Kedro project.
  await withTree({ "pyproject.toml": '[tool.poetry]\nname = "x"\n' }, (dir) => {
    const e = throwsWith(() => requireProjectRoot(dir), ConfigError, "project/not-found", /no kmlf.yml/);
    assert.match(e.hint!, /kmlf new <dir>/);
  });
});

Deno.test("loading settings from a folder without kmlf.yml is project/not-found", async () => {
  await withTree({ "x.yml": "" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "project/not-found",
      /No kmlf.yml found in/,
    );
    assert.equal(e.source?.file, join(dir, "kmlf.yml"));
    assert.match(e.hint!, /kmlf new/);
  });
});

Deno.test("settings get defaults and absolute paths; hook refs are parsed with their location", async () => {
  await withTree({ "kmlf.yml": "name: demo\nhooks: ['./hooks/timing.ts#timing']\n" }, async (dir) => {
    const s = await loadProjectSettings(dir);
    assert.equal(s.root, dir);
    assert.equal(s.file, join(dir, "kmlf.yml"));
    assert.equal(s.name, "demo");
    assert.equal(s.defaultEnv, "local");
    assert.equal(s.baseEnv, "base");
    assert.equal(s.confSource, join(dir, "conf"));
    assert.equal(s.pipelinesDir, join(dir, "pipelines"));
    assert.deepEqual(s.disableHooksForPlugins, []);
    assert.deepEqual(s.mergeStrategy, {});
    assert.deepEqual(s.hooks.map((h) => [h.module, h.exportName]), [[
      join(dir, "hooks/timing.ts"),
      "timing",
    ]]);
    assert.equal(s.hooks[0].source.line, 2);
    assert.equal(s.hooks[0].source.keyPath, "hooks[0]");
    assert.equal(s.locate(["name"]).line, 1);
  });
});

Deno.test("every settings key is read and snake_case becomes camelCase", async () => {
  const yml = [
    "name: demo",
    "default_env: dev",
    "base_env: common",
    "conf_source: settings/conf",
    "pipelines_dir: src/pipes",
    "disable_hooks_for_plugins: [kmlf-mlflow]",
    "merge_strategy: {parameters: soft, catalog: destructive, airflow: soft}",
  ].join("\n");
  await withTree({ "kmlf.yml": yml }, async (dir) => {
    const s = await loadProjectSettings(dir);
    assert.equal(s.defaultEnv, "dev");
    assert.equal(s.baseEnv, "common");
    assert.equal(s.confSource, join(dir, "settings/conf"));
    assert.equal(s.pipelinesDir, join(dir, "src/pipes"));
    assert.deepEqual(s.disableHooksForPlugins, ["kmlf-mlflow"]);
    assert.deepEqual(s.mergeStrategy, { parameters: "soft", catalog: "destructive", airflow: "soft" });
  });
});

Deno.test("an unknown kmlf.yml key is an error at its line with did-you-mean", async () => {
  await withTree({ "kmlf.yml": "name: demo\npipeline_dir: x\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /pipeline_dir/,
    );
    assert.match(e.hint!, /did you mean "pipelines_dir"/);
    assert.equal(e.source?.file, join(dir, "kmlf.yml"));
    assert.equal(e.source?.line, 2);
    assert.equal(e.source?.column, 1);
  });
});

Deno.test("kmlf.yml without a name (or empty) is an error asking for it", async () => {
  for (const text of ["default_env: local\n", ""]) {
    await withTree({ "kmlf.yml": text }, async (dir) => {
      const e = await rejectsWith(
        () => loadProjectSettings(dir),
        ConfigError,
        "settings/invalid",
        /Missing key "name"/,
      );
      assert.match(e.hint!, /add name:/);
    });
  }
});

Deno.test("bad hook refs, bad project names and bad env names in kmlf.yml are located errors", async () => {
  await withTree({ "kmlf.yml": "name: demo\nhooks: [hooks.ts]\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /must look like/,
    );
    assert.equal(e.source?.line, 2);
  });
  await withTree({ "kmlf.yml": "name: 1bad name\n" }, async (dir) => {
    await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /must start with a letter/,
    );
  });
  await withTree({ "kmlf.yml": "name: demo\ndefault_env: ..\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /default_env/,
    );
    assert.equal(e.source?.line, 2);
  });
});

Deno.test("kmlf.yml paths and modules written for another machine are refused at their lines, all together", async () => {
  if (Deno.build.os === "windows") return;
  const yaml = [
    "name: demo",
    "conf_source: '~/conf'",
    "pipelines_dir: 'C:\\project\\pipelines'",
    "hooks: ['.\\hooks.ts#timing']",
    "plugins: ['\\\\server\\share\\plugin.ts', npm:kmlf-plugin-x@1#plugin, ./ok.ts]",
  ].join("\n");
  await withTree({ "kmlf.yml": yaml }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      KmlfAggregateError,
      "validation/multiple",
      /kmlf.yml/,
    );
    const errors = e.errors as ConfigError[];
    assert.deepEqual(errors.map((error) => [error.code, error.source?.line, error.source?.keyPath]), [
      ["settings/invalid", 2, "conf_source"],
      ["settings/invalid", 3, "pipelines_dir"],
      ["settings/invalid", 4, "hooks[0]"],
      ["settings/invalid", 5, "plugins[0]"],
    ]);
    assert.match(errors[0].message, /conf_source "~\/conf": ~ is not expanded in kmlf.yml/);
    assert.match(errors[1].message, /Windows path \(drive C:\)/);
    assert.match(errors[2].hint ?? "", /write it with \/: .\/hooks.ts/);
    assert.match(errors[3].message, /plugins\[0\] module .*UNC path/);
  });
});

Deno.test("a merge strategy other than soft/destructive in kmlf.yml is refused with the choices", async () => {
  await withTree({ "kmlf.yml": "name: demo\nmerge_strategy:\n  parameters: deep\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /parameters/,
    );
    assert.equal(e.source?.line, 3);
    assert.match(e.hint!, /"soft", "destructive"/);
  });
});

Deno.test("a misspelt config type in merge_strategy gets did-you-mean; plugin types are allowed", async () => {
  await withTree({ "kmlf.yml": "name: demo\nmerge_strategy:\n  paramters: soft\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /Unknown config type "paramters"/,
    );
    assert.match(e.hint!, /did you mean "parameters"/);
    assert.equal(e.source?.line, 3);
    assert.equal(e.source?.column, 3);
  });
  await withTree({ "kmlf.yml": "name: demo\nmerge_strategy:\n  spark: soft\n" }, async (dir) => {
    assert.deepEqual((await loadProjectSettings(dir)).mergeStrategy, { spark: "soft" });
  });
});

Deno.test("several kmlf.yml problems are reported together", async () => {
  await withTree({ "kmlf.yml": "nme: demo\ndefualt_env: x\n" }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError);
      assert.ok(e.errors.length >= 2);
      assert.ok(e.errors.every((x) => x.code === "settings/invalid"));
      return true;
    });
  });
});

Deno.test("a misspelt merge_strategy type is reported with the schema's problems, not after them", async () => {
  await withTree(
    { "kmlf.yml": "name: demo\nmerge_strategy:\n  parameters: sofft\n  catlog: soft\n" },
    async (dir) => {
      await assert.rejects(() => loadProjectSettings(dir), (e: KmlfAggregateError) => {
        assert.ok(e instanceof KmlfAggregateError);
        assert.deepEqual(e.errors.map((x) => x.source?.keyPath), [
          "merge_strategy.parameters",
          "merge_strategy.catlog",
        ]);
        return true;
      });
    },
  );
});

Deno.test("a YAML syntax error in kmlf.yml names its line and column", async () => {
  await withTree({ "kmlf.yml": "name: demo\nhooks: [a\n" }, async (dir) => {
    const e = await rejectsWith(() => loadProjectSettings(dir), ConfigError, "yaml/syntax", /kmlf.yml/);
    assert.equal(e.source?.file, join(dir, "kmlf.yml"));
    assert.equal(typeof e.source?.line, "number");
    assert.equal(typeof e.source?.column, "number");
  });
});

Deno.test("env resolution: flag, then KMLF_ENV, then default_env", async () => {
  await withTree({ "kmlf.yml": "name: demo\ndefault_env: dev\n" }, async (dir) => {
    const settings = await loadProjectSettings(dir);
    assert.equal(resolveEnv({ flag: "prod", envVar: "stage", settings }), "prod");
    assert.equal(resolveEnv({ envVar: "stage", settings }), "stage");
    assert.equal(resolveEnv({ flag: "", envVar: "", settings }), "dev");
    assert.equal(resolveEnv({ settings }), "dev");
  });
});

Deno.test("env names that are not plain folder names are refused, naming where they came from", async () => {
  await withTree({ "kmlf.yml": "name: demo\n" }, async (dir) => {
    const settings = await loadProjectSettings(dir);
    throwsWith(() => resolveEnv({ flag: "../etc", settings }), ConfigError, "config/bad-env", /from --env/);
    throwsWith(() => resolveEnv({ flag: ".hidden", settings }), ConfigError, "config/bad-env");
  });
});

Deno.test("an invalid env from a variable names that variable and its value (KMLF_ENV before KEDRO_ENV)", async () => {
  const saved = { KMLF_ENV: Deno.env.get("KMLF_ENV"), KEDRO_ENV: Deno.env.get("KEDRO_ENV") };
  const restore = (name: "KMLF_ENV" | "KEDRO_ENV") =>
    saved[name] === undefined ? Deno.env.delete(name) : Deno.env.set(name, saved[name]);
  await withTree({ "kmlf.yml": "name: demo\n" }, async (dir) => {
    const settings = await loadProjectSettings(dir);
    try {
      Deno.env.delete("KMLF_ENV");
      Deno.env.set("KEDRO_ENV", ".bad");
      const e = throwsWith(
        () => resolveEnv({ envVar: ".bad", settings }),
        ConfigError,
        "config/bad-env",
        /\(from KEDRO_ENV=\.bad\)/,
      );
      assert.match(e.hint ?? "", /^unset KEDRO_ENV or set it to a folder name under conf\//);
      Deno.env.set("KMLF_ENV", "..");
      throwsWith(
        () => resolveEnv({ envVar: "..", settings }),
        ConfigError,
        "config/bad-env",
        /\(from KMLF_ENV=\.\.\)/,
      );
      // A script's own value (neither variable holds it) names the option it came through.
      throwsWith(
        () => resolveEnv({ envVar: "a b", settings }),
        ConfigError,
        "config/bad-env",
        /\(from the envVar option\)/,
      );
    } finally {
      restore("KMLF_ENV");
      restore("KEDRO_ENV");
    }
  });
});

Deno.test("a kmlf.yml that is a folder is named as such, not as a missing file", async () => {
  await withTree({ "kmlf.yml/readme.txt": "", "sub/x.txt": "" }, async (dir) => {
    const e = throwsWith(
      () => requireProjectRoot(join(dir, "sub")),
      ConfigError,
      "project/not-found",
      /kmlf\.yml is a folder, not a file/,
    );
    assert.equal(e.source?.file, join(dir, "kmlf.yml"));
    assert.match(e.hint!, /move that folder away/);
    await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "project/not-found",
      /is a folder, not a file/,
    );
  });
});

Deno.test("a kmlf.yml that is a list or a scalar says so, naming no empty key", async () => {
  for (const [text, what] of [["- a\n", "a list"], ["3\n", "a number"]]) {
    await withTree({ "kmlf.yml": text }, async (dir) => {
      const e = await rejectsWith(
        () => loadProjectSettings(dir),
        ConfigError,
        "settings/invalid",
        new RegExp(`^Cannot read kmlf\\.yml: it is ${what}, not a mapping of keys to values$`),
      );
      assert.equal(e.source?.line, 1);
    });
  }
});

Deno.test("Kedro's setting names copied into kmlf.yml say where kmlf keeps them, each located", async () => {
  const yaml = "name: p\npackage_name: p\nCONFIG_LOADER_ARGS: {base_env: base}\ncustom_resolvers: {}\n" +
    "default_run_env: local\nHOOKS: []\nnot_kedro_either: 1\n";
  await withTree({ "kmlf.yml": yaml }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), (e: unknown) => {
      assert.ok(e instanceof KmlfAggregateError);
      const hints = Object.fromEntries(e.errors.map((x) => [(x as ConfigError).source?.keyPath, x.hint]));
      assert.match(hints.package_name!, /^Kedro's package_name: kmlf\.yml's name is the package name/);
      assert.match(hints.CONFIG_LOADER_ARGS!, /its keys go at the top of kmlf\.yml: base_env, default_env/);
      assert.match(hints.custom_resolvers!, /a plugin adds resolvers/);
      assert.match(hints.default_run_env!, /write default_env: <env>/);
      assert.match(hints.HOOKS!, /write hooks: \[\.\/hooks\.ts#ProjectHooks\]/);
      assert.match(hints.not_kedro_either!, /^\(allowed here: name, default_env/);
      assert.equal((e.errors[0] as ConfigError).source?.line, 2);
      return true;
    });
  });
});

Deno.test("settings.py's Python hook paths and kedro-mlflow as a plugin are refused with the kmlf spelling", async () => {
  const yaml = "name: p\nhooks: [my_pkg.hooks.ProjectHooks, ProjectHooks()]\n" +
    "plugins: [kedro_mlflow, kedro-mlflow, kedro_mlflow.framework.hooks.MlflowHook, kmlf-plugin-ok]\n";
  await withTree({ "kmlf.yml": yaml }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), (e: unknown) => {
      assert.ok(e instanceof KmlfAggregateError);
      const byKey = Object.fromEntries(e.errors.map((x) => [(x as ConfigError).source?.keyPath, x.message]));
      assert.deepEqual(Object.keys(byKey).sort(), [
        "hooks[0]",
        "hooks[1]",
        "plugins[0]",
        "plugins[1]",
        "plugins[2]",
      ]);
      for (const key of ["hooks[0]", "hooks[1]"]) {
        assert.match(
          byKey[key],
          /is a Python path \(Kedro's settings\.py HOOKS\); kmlf hooks are TypeScript/,
        );
      }
      for (const key of ["plugins[0]", "plugins[1]", "plugins[2]"]) {
        assert.match(byKey[key], /kedro-mlflow is built into kmlf .*: remove this entry/);
      }
      return true;
    });
  });
});

Deno.test("a project reached through a symbolic link is its real folder, as Kedro resolves the project path", async () => {
  if (Deno.build.os === "windows") return;
  await withTree({
    "real/iris/kmlf.yml": "name: iris\nconf_source: ../shared/conf\n",
    "real/iris/pipelines/x.txt": "",
    "links/x.txt": "",
  }, async (dir) => {
    const real = join(dir, "real/iris");
    const link = join(dir, "links/iris");
    await Deno.symlink(real, link);
    assert.equal(findProjectRoot(join(link, "pipelines")), real);
    assert.equal(requireProjectRoot(link), real);
    const settings = await loadProjectSettings(link);
    assert.equal(settings.root, real);
    // `..` from the real folder, not from the link's: dir/real/shared/conf, where Kedro reads it.
    assert.equal(settings.confSource, join(dir, "real/shared/conf"));
    assert.equal(settings.file, join(real, "kmlf.yml"));
  });
});

Deno.test("a bad value inside kmlf.yml's runner mapping names its key and line, not the whole runner", async () => {
  const cases: [string, RegExp, number][] = [
    [
      '  type: parallel\n  max_workers: "4"\n',
      /"runner\.max_workers" in kmlf\.yml: expected a number, got the string "4"/,
      4,
    ],
    [
      "  type: parallel\n  max_workers: 0\n",
      /"runner\.max_workers" in kmlf\.yml: must be a whole number of at least 1/,
      4,
    ],
    ["  type: parallel\n  async: 3\n", /"runner\.async" in kmlf\.yml: expected a boolean/, 4],
    ["  type: ''\n", /"runner\.type" in kmlf\.yml: must name a runner/, 3],
    ["  max_workers: 2\n", /Missing key "runner\.type" in kmlf\.yml/, 3],
  ];
  for (const [runner, message, line] of cases) {
    await withTree({ "kmlf.yml": `name: demo\nrunner:\n${runner}` }, async (dir) => {
      const e = await rejectsWith(() => loadProjectSettings(dir), ConfigError, "settings/invalid", message);
      assert.equal(e.source?.line, line, runner);
    });
  }
  // An empty value: the hint offers removing the key only where the key may be left out (a runner needs its type).
  await withTree({ "kmlf.yml": "name: demo\nrunner:\n  type: ''\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /runner\.type/,
    );
    assert.equal(e.hint, 'write a value (got "")');
  });
  // A value of neither form is named as the whole runner.
  await withTree({ "kmlf.yml": "name: demo\nrunner: [parallel]\n" }, async (dir) => {
    const e = await rejectsWith(
      () => loadProjectSettings(dir),
      ConfigError,
      "settings/invalid",
      /"runner" in kmlf\.yml: expected a string or a mapping, got a list/,
    );
    assert.equal(e.source?.line, 2);
  });
});
