/**
 * lib/path.ts against Node's own `path.posix` and `url` on generated paths: every function, every
 * combination of separators, dots, hidden names and characters URLs escape.
 */
import assert from "node:assert/strict";
import nodePath from "node:path";
import nodeUrl from "node:url";
import { fileURLToPath, pathToFileURL, posix } from "../lib/path.ts";
import { seededRandom } from "./seeded_random.ts";

const PARTS = [
  "",
  "/",
  "//",
  ".",
  "..",
  "...",
  "a",
  "b.c",
  ".d",
  "e.",
  "f..g",
  " h",
  "i#?%",
  "ä",
  "x\\y",
  "\t",
];

// Generated from a seed, so a failure names a path that reproduces.
function paths(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const out = ["", "/", "//", "///", ".", "..", "./", "../", "/..", "a/..", "a/../", "//a", "/a//b", "a//"];
  while (out.length < count) {
    const n = 1 + Math.floor(random() * 5);
    let p = "";
    for (let i = 0; i < n; i++) {
      p += PARTS[Math.floor(random() * PARTS.length)];
      if (random() < 0.6) p += "/";
    }
    out.push(p);
  }
  return out;
}

const SAMPLE = paths(3000, 7);

Deno.test("single-path functions agree with node:path.posix", () => {
  for (const p of SAMPLE) {
    for (const fn of ["normalize", "dirname", "basename", "extname", "isAbsolute"] as const) {
      assert.deepEqual(posix[fn](p), nodePath.posix[fn](p), `${fn}(${JSON.stringify(p)})`);
    }
  }
});

Deno.test("join, resolve and relative agree with node:path.posix", () => {
  const others = paths(300, 11);
  for (let i = 0; i < SAMPLE.length; i++) {
    const a = SAMPLE[i];
    const b = others[i % others.length];
    const c = SAMPLE[(i * 7) % SAMPLE.length];
    assert.equal(posix.join(a, b, c), nodePath.posix.join(a, b, c), `join(${[a, b, c].join(" | ")})`);
    assert.equal(posix.resolve(a, b), nodePath.posix.resolve(a, b), `resolve(${a} | ${b})`);
    assert.equal(posix.relative(a, b), nodePath.posix.relative(a, b), `relative(${a} | ${b})`);
  }
  assert.equal(posix.join(), nodePath.posix.join());
  assert.equal(posix.resolve(), nodePath.posix.resolve());
});

Deno.test("file URLs agree with node:url", () => {
  for (const p of SAMPLE) {
    assert.equal(pathToFileURL(p).href, nodeUrl.pathToFileURL(p).href, `pathToFileURL(${JSON.stringify(p)})`);
    const href = nodeUrl.pathToFileURL(p).href;
    assert.equal(fileURLToPath(href), nodeUrl.fileURLToPath(href), `fileURLToPath(${href})`);
    assert.equal(fileURLToPath(new URL(href)), nodeUrl.fileURLToPath(new URL(href)));
  }
  for (const bad of ["https://example.com/a", "file://host/a", "file:///a%2Fb", "file:///a%2fb"]) {
    assert.throws(() => nodeUrl.fileURLToPath(bad), TypeError);
    assert.throws(() => fileURLToPath(bad), TypeError, bad);
  }
  assert.equal(fileURLToPath("file://localhost/tmp/x"), "/tmp/x");
});
