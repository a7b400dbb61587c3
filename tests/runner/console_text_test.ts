/**
 * formatConsoleArgs against Deno's own console: the same calls printed by `console.log` and `console.dir`
 * in a child Deno (stdout piped, so without colors) give the same text.
 */
import assert from "node:assert/strict";
import { formatConsoleArgs, formatConsoleDir } from "../../lib/console_text.ts";

const CASES = `export const logs = [
  ["plain"], [], [""], ["a", "b", 3], [{ a: [1, { b: "x" }] }, "tail"],
  ["%s|%d|%i|%f|%o|%O|%c|%%|%x", "s", 1.5, 2.7, 3.1, { a: [1] }, { b: 2 }, "color: red", "extra", { c: 3 }],
  ["%s", { a: 1 }, "tail", 5n, null, undefined, Symbol("s"), [1, "a"], "a\\nb"],
  ["%d %i %f", 5n, "x", "y"], ["%d", 5n, "%s"], ["solo %s"], ["100%"], ["100%", 1], ["%%%s%", "z"],
  ["%o", "quoted"], [new Map([[1, { x: new Set([2]) }]]), new Uint8Array(3), -0, 1e21, NaN],
  [new Error("boom").message, true, () => 1, class A {}], [{ deep: { er: { than: { four: { levels: 1 } } } } }],
  ["%s %s", "only one"], [Array.from({ length: 120 }, (_, i) => i)], [new Date(0)],
  // %j is JSON (a cycle is [Circular]; undefined, a function or a symbol stay %j); %d %i %f parse strings.
  ["%j|%j|%j", { a: [1, undefined] }, "s", null], ["%j %j %j %s", undefined, () => 1, Symbol("q"), "next"],
  ["%j", { toJSON: () => undefined }], ["%j", cyclic()], ["%j", new Date(0)], ["%j"],
  ["%d|%i|%d|%d|%i", "42px", " 12", "0x1f", 12345678901234567890123n, [7, 8]],
  ["%f|%f|%f|%f|%d|%f", "1.5", " 1e-7x", 10n, [2.5], Symbol("d"), Symbol("f")],
];
function cyclic() {
  const value = { n: 1, inner: { self: {} } };
  value.inner.self = value;
  return value;
}
export const dirs = [["str"], [{ a: { b: { c: { d: 1 } } } }, { depth: 0 }], [[1, 2]]];
`;

Deno.test("formatConsoleArgs and formatConsoleDir print what Deno's console.log and console.dir print", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-console-" });
  try {
    const module = `${dir}/cases.ts`;
    await Deno.writeTextFile(module, CASES);
    const script = `import { logs, dirs } from ${JSON.stringify(`file://${module}`)};
for (const c of logs) { console.log(...c); console.log("\\u0000"); }
for (const [v, o] of dirs) { console.dir(v, o); console.log("\\u0000"); }`;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", script],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assert.ok(child.success, new TextDecoder().decode(child.stderr));
    const printed = new TextDecoder().decode(child.stdout).split("\n\u0000\n");
    const { logs, dirs } = await import(`file://${module}`);
    const ours = [
      ...logs.map((c: unknown[]) => formatConsoleArgs(c)),
      ...dirs.map(([v, o]: [unknown, Deno.InspectOptions]) => formatConsoleDir(v, o)),
    ];
    assert.equal(printed.length, ours.length + 1); // the last separator ends the output
    ours.forEach((text, i) => assert.equal(text, printed[i], `case ${i}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
