/**
 * Version ranges in a model's pins and in the process serving it: `deno add` maps `"zod": "npm:zod@^4.1.0"`,
 * and a model logged from that project pins that text. `kmlf models predict|serve` start a process of the
 * model's own only when the versions can differ in fact: a range pin is met by a version in it, a range the
 * process maps by the version its deno.lock resolves it to (or by the very range pinned).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pinnedVersionNotes, unmetPins } from "../../lib/models/pinned_versions.ts";
import { exactVersion, satisfiesRange } from "../../lib/models/semver_range.ts";
import { moduleGraph } from "../module_graph.ts";

async function modelWithPins(imports: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pinned-ranges-" });
  await Deno.mkdir(join(dir, "code"));
  await Deno.writeTextFile(join(dir, "code", "deno.json"), JSON.stringify({ imports }));
  return dir;
}

Deno.test("a range pin is met by the version this kmlf gives, and unmet by one outside it", async () => {
  // This process maps zod exactly: npm:zod@4.6.7 (kmlf's deno.json).
  for (const range of ["@^4.1.0", "@~4.6.0", "@4.x", "@>=4.0.0 <5", "@4", "@4.6.7", "@*", "", "@^4/v4"]) {
    const dir = await modelWithPins({ zod: `npm:zod${range}` });
    try {
      assert.deepEqual(await unmetPins(dir), [], range);
      assert.deepEqual(await pinnedVersionNotes(dir), [], range);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  const dir = await modelWithPins({ zod: "npm:zod@^3.22.0", "zod/": "npm:/zod@^3.22.0/" });
  try {
    assert.deepEqual(await unmetPins(dir), ["zod"]);
    assert.deepEqual(await pinnedVersionNotes(dir), [
      "zod: the model was logged with npm:zod@^3.22.0, this kmlf gives it zod 4.6.7",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("npm ranges as npm reads them", () => {
  const cases: [string, string, boolean][] = [
    ["4.6.7", "^4.1.0", true],
    ["5.0.0", "^4.1.0", false],
    ["4.0.9", "^4.1.0", false],
    ["0.2.5", "^0.2.3", true],
    ["0.3.0", "^0.2.3", false],
    ["0.0.3", "^0.0.3", true],
    ["0.0.4", "^0.0.3", false],
    ["1.2.9", "~1.2.3", true],
    ["1.3.0", "~1.2.3", false],
    ["1.9.0", "~1", true],
    ["2.0.0", "~1", false],
    ["1.4.2", "1.2 - 1.4", true],
    ["1.5.0", "1.2 - 1.4", false],
    ["1.2.4-beta", "1.2.3 - 1.2.4-beta", true],
    ["2.1.0", "1.x || >=2.1.0 <3", true],
    ["2.4.0", "1.x || >=2.5.0", false],
    ["2.5.0", "1.x || >=2.5.0", true],
    ["2.5.0-rc.1", "1.x || >=2.5.0", false],
    ["1.9.0-beta.1", "^1.2.0", false],
    ["1.2.4-beta.2", ">=1.2.4-beta.1", true],
    ["1.2.5-beta.2", ">=1.2.4-beta.1", false],
    ["3.0.0", ">2", true],
    ["2.9.0", ">2", false],
    ["2.9.0", "<=2", true],
    ["9.9.9", "*", true],
    ["9.9.9", "", true],
    ["1.0.0-rc.1", "*", false],
    ["1.2.3+build.5", "1.2.3", true],
    ["1.2.3", "1.2.3+build.5", true],
    ["v1.2.3", "=v1.2.3", true],
    ["1.2.3", ">= 1.2.3 < 2", true],
  ];
  for (const [version, range, expected] of cases) {
    assert.equal(satisfiesRange(version, range), expected, `${version} in ${range}`);
  }
});

Deno.test("a range npm cannot read is met by no version, as a dist-tag is", () => {
  // kmlf's own reader took `x.1.2` and `1.x.3` for `*`, `^01.2.3` for `^1.2.3` and skipped the unreadable
  // half of `1.2.3 || latest`: npm (and Deno) refuse each, so a model pinning one is not met by this process.
  for (const range of ["latest", "x.1.2", "1.x.3", "^01.2.3", "1.2.3 || latest", ">*"]) {
    assert.equal(satisfiesRange("1.2.3", range), false, range);
  }
  assert.equal(exactVersion("v4.6.7"), "4.6.7");
  assert.equal(exactVersion("1.0.0-rc.1+b"), "1.0.0-rc.1");
  for (const text of ["^4.6.7", "4.6", "01.2.3", "4.6.7.1", "latest", ""]) {
    assert.equal(exactVersion(text), undefined, text);
  }
});

Deno.test("a pin npm cannot read is one this process does not meet", async () => {
  for (const range of ["4.6.7 || latest", "x.6.7", "^04.1.0"]) {
    const dir = await modelWithPins({ zod: `npm:zod@${range}` });
    try {
      assert.deepEqual(await unmetPins(dir), ["zod"], range);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("npm semver (vendored) loads only when a pin must be read as a range, not with its reader", async () => {
  for (const entry of ["lib/models/pinned_versions.ts", "lib/cli/models_command.ts"]) {
    const atStart = [...(await moduleGraph(entry)).static];
    assert.deepEqual(atStart.filter((m) => /\/(semver_range\.ts|_semver\.js)$|^semver$/.test(m)), [], entry);
  }
});

// The lock `deno add npm:zod@^4.1.0` writes (zod 4.6.7 is in Deno's cache: kmlf's own).
const LOCK = JSON.stringify(
  {
    version: "5",
    specifiers: { "npm:zod@^4.1.0": "4.6.7" },
    npm: {
      "zod@4.6.7": {
        integrity:
          "sha512-g8W2D2kU6a8untc053fX1uVBKzM7yqAxW/3zwk83+6RyF2+SKOuV+c0wBDhUwzV1PaGapmZH+rmcUzPf+3CGwg==",
      },
    },
    workspace: { dependencies: ["npm:zod@^4.1.0"] },
  },
  null,
  2,
);

// unmetPins and pinnedVersionNotes in a process whose configuration (a project's deno.json) maps zod to
// ^4.1.0, as a kmlf restarted inside that project.
async function inRangeProject(
  pins: Record<string, string>,
  options: { lock?: string; denoFlags?: string[] },
): Promise<{ unmet: string[]; notes: string[] }> {
  const project = await Deno.makeTempDir({ prefix: "kmlf-range-project-" });
  const model = await modelWithPins(pins);
  try {
    await Deno.writeTextFile(
      join(project, "deno.json"),
      JSON.stringify({ imports: { zod: "npm:zod@^4.1.0" } }),
    );
    if (options.lock) await Deno.writeTextFile(join(project, "deno.lock"), options.lock);
    const probe = join(project, "probe.ts");
    const lib = new URL("../../lib/models/pinned_versions.ts", import.meta.url).href;
    await Deno.writeTextFile(
      probe,
      `import { pinnedVersionNotes, unmetPins } from ${JSON.stringify(lib)};\n` +
        "console.log(JSON.stringify({ unmet: await unmetPins(Deno.args[0]), notes: await pinnedVersionNotes(Deno.args[0]) }));\n",
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        ...(options.denoFlags ?? []),
        "--config",
        join(project, "deno.json"),
        probe,
        model,
      ],
      env: { KMLF_PROJECT_RUNTIME: project },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(project, { recursive: true });
    await Deno.remove(model, { recursive: true });
  }
}

Deno.test("a process mapping a range gives the model the version its deno.lock resolves the range to", async () => {
  // The model pins the range the project maps: the same versions, whatever the lock says.
  assert.deepEqual(await inRangeProject({ zod: "npm:zod@^4.1.0" }, { denoFlags: ["--no-lock"] }), {
    unmet: [],
    notes: [],
  });
  assert.deepEqual(await inRangeProject({ zod: "npm:zod@^4.1.0" }, { lock: LOCK }), { unmet: [], notes: [] });
  // An exact pin: met when the lock resolves the range to it, whether Deno loaded the lock's packages at
  // start or has not resolved the range yet (it names the range until then).
  for (const denoFlags of [[], ["--no-lock"]]) {
    assert.deepEqual(
      await inRangeProject({ zod: "npm:zod@4.6.7" }, { lock: LOCK, denoFlags }),
      { unmet: [], notes: [] },
      denoFlags.join(" "),
    );
    const other = await inRangeProject({ zod: "npm:zod@4.5.0" }, { lock: LOCK, denoFlags });
    assert.deepEqual(other, {
      unmet: ["zod"],
      notes: ["zod: the model was logged with npm:zod@4.5.0, this kmlf gives it zod 4.6.7"],
    });
  }
  // No lock resolves the range: Deno may pick another version than the pin's, so the model gets its own.
  assert.deepEqual(await inRangeProject({ zod: "npm:zod@4.6.7" }, { denoFlags: ["--no-lock"] }), {
    unmet: ["zod"],
    notes: [],
  });
  // A range pin against the range's locked version.
  assert.deepEqual(await inRangeProject({ zod: "npm:zod@^3.22.0" }, { lock: LOCK }), {
    unmet: ["zod"],
    notes: ["zod: the model was logged with npm:zod@^3.22.0, this kmlf gives it zod 4.6.7"],
  });
});
