/** The embedded web UI: routes, content types, security headers, and the embedded copy in sync. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { serveUi } from "../../lib/server/ui/ui_routes.ts";
import { UI_ASSETS } from "../../lib/server/ui/ui_assets.ts";
import { renderUiAssetsModule, UI_ASSETS_MODULE, UI_SOURCE_DIR } from "../../tools/embed_ui.ts";
import { REPO } from "../cli_harness.ts";

const at = (path: string) => serveUi(new URL(path, "http://127.0.0.1:5000"));

Deno.test("the embedded UI assets match lib/server/ui/src (run `deno task embed-ui` after editing them)", async () => {
  assert.equal(await Deno.readTextFile(join(REPO, UI_ASSETS_MODULE)), await renderUiAssetsModule(REPO));
});

Deno.test("GET / and /index.html serve the page with a content security policy", async () => {
  for (const path of ["/", "/index.html"]) {
    const response = at(path);
    assert.ok(response, path);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    const html = await response.text();
    assert.match(html, /<script type="module" src="static-files\/app\.js"><\/script>/);
    assert.match(html, /static-files\/app\.css/);
  }
});

Deno.test("assets are served from /static-files/ with their content types", async () => {
  const cases: [string, string][] = [
    ["app.js", "text/javascript; charset=utf-8"],
    ["app.css", "text/css; charset=utf-8"],
    ["favicon.svg", "image/svg+xml"],
  ];
  for (const [name, type] of cases) {
    const response = at(`/static-files/${name}`);
    assert.ok(response, name);
    assert.equal(response.headers.get("content-type"), type);
    assert.equal(await response.text(), UI_ASSETS[name]);
  }
});

Deno.test("paths that are not the UI's are left to the caller (undefined)", () => {
  for (
    const path of [
      "/static-files/missing.js",
      "/static-files/",
      "/static-files/../deno.json",
      "/static-files/%2e%2e/deno.json",
      "/static-files/sub/app.js",
      "/static-files/index.html",
      "/static-files/constructor",
      "/static-files/__proto__",
      "/api/2.0/mlflow/experiments/search",
      "/health",
      "/app.js",
    ]
  ) {
    assert.equal(at(path), undefined, path);
  }
});

Deno.test("every file index.html links and every module a script imports is embedded", () => {
  const html = UI_ASSETS["index.html"];
  const linked = [...html.matchAll(/(?:src|href)="static-files\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(linked.includes("app.js") && linked.includes("app.css"));
  for (const name of linked) assert.ok(Object.hasOwn(UI_ASSETS, name), `index.html links ${name}`);
  for (const [name, text] of Object.entries(UI_ASSETS)) {
    if (!name.endsWith(".js")) continue;
    for (const m of text.matchAll(/from "\.\/([^"]+)"/g)) {
      assert.ok(Object.hasOwn(UI_ASSETS, m[1]), `${name} imports ./${m[1]}, which is not embedded`);
    }
  }
});

Deno.test("the script is one bundle of every UI module: it imports nothing, and index.html loads it alone", async () => {
  const script = UI_ASSETS["app.js"];
  assert.doesNotMatch(script, /^\s*(?:import|export)\b/m, "a bundle: no import or export statement left");
  const scripts = Object.keys(UI_ASSETS).filter((n) => n.endsWith(".js"));
  assert.deepEqual(scripts, ["app.js"]);
  for await (const entry of Deno.readDir(join(REPO, UI_SOURCE_DIR))) {
    if (!entry.name.endsWith(".js")) continue;
    assert.ok(script.includes(`// ${UI_SOURCE_DIR}/${entry.name}\n`), `${entry.name} is in the bundle`);
  }
  assert.doesNotMatch(UI_ASSETS["index.html"], /modulepreload/);
});

Deno.test("the UI never parses strings as HTML (user text goes through textContent)", async () => {
  for await (const entry of Deno.readDir(join(REPO, UI_SOURCE_DIR))) {
    if (!entry.name.endsWith(".js")) continue;
    const text = await Deno.readTextFile(join(REPO, UI_SOURCE_DIR, entry.name));
    for (
      const sink of [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
      ]
    ) {
      assert.ok(!text.includes(sink), `${entry.name} uses ${sink}`);
    }
  }
});

Deno.test("the UI loads nothing from other hosts (works offline)", () => {
  for (const [name, text] of Object.entries(UI_ASSETS)) {
    if (name.endsWith(".svg")) continue;
    assert.doesNotMatch(text, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//, name);
    assert.doesNotMatch(text, /(?:import|fetch)\s*\(?\s*["'`]https?:/, name);
    assert.doesNotMatch(text, /@import\s+url\(["']?https?:/, name);
  }
});
