/// <reference lib="dom" />
/**
 * The model registry pages in real headless Chromium: registering a logged model from a run's page,
 * the Models page (search, latest versions, aliases), a model's page (versions with stage, alias chips,
 * source run links, description and tags) and a version's page (aliases, stage, description, tags).
 * Every change made through the UI is checked in the store. Screenshots go to tests/artifacts/screenshots/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { chromium, type Page } from "npm:playwright-core@1.65.1";
import { REPO } from "../cli_harness.ts";
import { localPathOfUri, SqliteStore } from "../../lib/tracking/mod.ts";
import { serveFixture } from "./ui_fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = join(REPO, "tests/artifacts/screenshots");
const XSS_MODEL = `<img src=x onerror="document.body.dataset.pwned='1'">`;

async function shot(page: Page, name: string) {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A store with three runs: two that logged a model in `model/` and one that logged none. */
async function registryFixture() {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-registry-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
  const experimentId = await store.createExperiment("iris");
  const runs: string[] = [];
  for (const [name, withModel] of [["train-a", true], ["train-b", true], ["eda", false]] as const) {
    const run = await store.createRun({ experimentId, runName: name });
    const root = localPathOfUri(run.info.artifactUri)!;
    await Deno.mkdir(join(root, withModel ? "model" : "plots"), { recursive: true });
    if (withModel) {
      await Deno.writeTextFile(join(root, "model", "MLmodel"), "artifact_path: model\nflavors: {}\n");
    } else await Deno.writeTextFile(join(root, "plots", "hist.txt"), "…");
    await store.updateRun(run.info.runId, { status: "FINISHED", endTime: Date.now() });
    runs.push(run.info.runId);
  }
  return { dir, store, experimentId, runs };
}

Deno.test({
  name: "the model registry pages in headless Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    if (!(await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false))) {
      throw new Error(
        `Cannot run the browser tests: ${CHROMIUM} is missing; install it with \`apt-get install -y chromium\``,
      );
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const f = await registryFixture();
    const { url: base, server } = serveFixture(f.store);
    const r = f.store.registry;
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("dialog", (d) => void d.accept());
      const runHash = (id: string) => `#/experiments/${f.experimentId}/runs/${id}`;

      await t.step("the Models page is reachable from the top bar and says how to start", async () => {
        await page.goto(`${base}/`);
        await page.getByTestId("nav-models").click();
        await page.getByTestId("models-count").filter({ hasText: "No registered models yet" }).waitFor();
      });

      await t.step(
        "a run's logged model is registered as a new model, then as its next version",
        async () => {
          for (const [i, runId] of f.runs.slice(0, 2).entries()) {
            await page.goto(`${base}/${runHash(runId)}`);
            await page.getByTestId("register-model").click();
            await page.getByTestId("register-path").locator("option[value=model]").waitFor({
              state: "attached",
            });
            assert.equal(await page.getByTestId("register-path").locator("option").count(), 1);
            await page.getByTestId("register-name").fill("iris");
            await page.getByTestId("register-submit").click();
            await page.getByTestId("registered-version").filter({ hasText: `iris version ${i + 1}` })
              .waitFor();
            if (i === 0) await shot(page, "registry-01-register-from-run");
          }
          const v2 = await r.getModelVersion("iris", "2");
          assert.equal(v2.runId, f.runs[1]);
          const run = await f.store.getRun(f.runs[1]);
          assert.equal(v2.source, `${run.info.artifactUri}/model`);
        },
      );

      await t.step("a run without a logged model says so", async () => {
        await page.goto(`${base}/${runHash(f.runs[2])}`);
        await page.getByTestId("run-name").filter({ hasText: "eda" }).waitFor();
        await page.getByTestId("register-model").click();
        await page.getByTestId("no-logged-model").waitFor();
      });

      await t.step(
        "a version's page sets an alias, moves the stage and edits description and tags",
        async () => {
          await page.goto(`${base}/#/models/iris/versions/1`);
          await page.getByTestId("version-title").filter({ hasText: "iris · Version 1" }).waitFor();
          await page.getByTestId("source-run-link").filter({ hasText: "train-a" }).waitFor();
          await page.getByTestId("alias-input").fill("champion");
          await page.getByTestId("alias-add").click();
          await page.locator("[data-testid=alias-chip][data-alias=champion]").waitFor();
          await page.getByTestId("alias-input").fill("latest");
          await page.getByTestId("alias-add").click();
          await page.getByTestId("version-errors").filter({ hasText: "'latest' alias name" }).waitFor();
          await page.getByTestId("stage-select").selectOption("Production");
          await page.getByTestId("stage-apply").click();
          await page.getByTestId("version-stage").filter({ hasText: "Production" }).waitFor();
          // The next success clears the failure: a stale message would say the stage move failed.
          assert.equal(await page.getByTestId("version-errors").textContent(), "");
          await page.getByTestId("description-edit").click();
          await page.getByTestId("description-input").fill("first **good** one");
          await page.getByTestId("description-save").click();
          await page.getByTestId("description-text").filter({ hasText: "first good one" }).waitFor();
          // Markdown, as MLflow's UI shows it.
          assert.equal(await page.locator("[data-testid=description-text] strong").textContent(), "good");
          await page.getByTestId("tag-key").fill("validated");
          await page.getByTestId("tag-value").fill("yes");
          await page.getByTestId("tag-add").click();
          await page.getByTestId("tag-row").filter({ hasText: "validated" }).waitFor();
          await shot(page, "registry-02-version-page");
          const v1 = await r.getModelVersion("iris", "1");
          assert.deepEqual(v1.aliases, ["champion"]);
          assert.equal(v1.currentStage, "Production");
          assert.equal(v1.description, "first **good** one");
          assert.deepEqual(v1.tags, { validated: "yes" });
        },
      );

      await t.step(
        "the model's page lists versions with stage, alias chips and source runs; edits stick",
        async () => {
          await page.goto(`${base}/#/models/iris`);
          await page.getByTestId("version-row").nth(1).waitFor();
          const rows = page.getByTestId("version-row");
          assert.deepEqual(
            await rows.evaluateAll((rs) => rs.map((x) => (x as HTMLElement).dataset.version)),
            ["2", "1"],
          );
          const v1 = rows.nth(1);
          assert.equal(await v1.getByTestId("version-stage").textContent(), "Production");
          assert.equal(await v1.getByTestId("alias-chip").getAttribute("data-alias"), "champion");
          await v1.getByTestId("source-run-link").filter({ hasText: "train-a" }).waitFor();
          await page.getByTestId("description-edit").click();
          await page.getByTestId("description-input").fill("Iris classifiers");
          await page.getByTestId("description-save").click();
          await page.getByTestId("description-text").filter({ hasText: "Iris classifiers" }).waitFor();
          await page.getByTestId("tag-key").fill("bad key!");
          await page.getByTestId("tag-add").click();
          await page.getByTestId("model-errors").filter({ hasText: "Invalid value" }).waitFor();
          await page.getByTestId("tag-key").fill("team");
          await page.getByTestId("tag-value").fill("ml");
          await page.getByTestId("tag-add").click();
          await page.getByTestId("tag-row").filter({ hasText: "team" }).waitFor();
          assert.equal(await page.getByTestId("model-errors").textContent(), "");
          await shot(page, "registry-03-model-page");
          const model = await r.getRegisteredModel("iris");
          assert.equal(model.description, "Iris classifiers");
          assert.deepEqual(model.tags, { team: "ml" });
          await page.getByTestId("tag-remove").click();
          await page.getByTestId("tag-row").waitFor({ state: "detached" });
          assert.deepEqual((await r.getRegisteredModel("iris")).tags, {});
        },
      );

      await t.step(
        "moving the alias to version 2 shows on the model's page; its chip removes it",
        async () => {
          await page.goto(`${base}/#/models/iris/versions/2`);
          await page.getByTestId("alias-input").fill("champion");
          await page.getByTestId("alias-add").click();
          await page.locator("[data-testid=alias-chip][data-alias=champion]").waitFor();
          assert.equal((await r.getModelVersionByAlias("iris", "champion")).version, "2");
          await page.goto(`${base}/#/models/iris`);
          const chip = page.getByTestId("model-overview").getByTestId("alias-chip");
          await chip.filter({ hasText: "v2" }).waitFor();
          await chip.getByTestId("alias-remove").click();
          await chip.waitFor({ state: "detached" });
          assert.deepEqual((await r.getRegisteredModel("iris")).aliases, {});
          await r.setRegisteredModelAlias("iris", "champion", "2");
        },
      );

      await t.step(
        "the Models page searches by name and shows latest versions, stages and aliases",
        async () => {
          await r.createRegisteredModel("wine");
          await r.createRegisteredModel(XSS_MODEL);
          await page.goto(`${base}/#/models`);
          await page.getByTestId("model-row").nth(2).waitFor();
          const iris = page.locator("[data-testid=model-row][data-name=iris]");
          assert.equal(await iris.getByTestId("latest-version").textContent(), "v2");
          assert.match(await iris.textContent() ?? "", /Production/);
          assert.equal(await iris.getByTestId("alias-chip").getAttribute("data-alias"), "champion");
          assert.ok(
            (await page.getByTestId("model-link").allTextContents()).includes(XSS_MODEL),
            "names are text",
          );
          assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
          await shot(page, "registry-04-models-page");
          await page.getByTestId("models-search").fill("IRI");
          await page.waitForFunction(() => document.querySelectorAll("[data-testid=model-row]").length === 1);
          assert.match(page.url(), /#\/models\?q=IRI$/);
          await page.getByTestId("models-search").fill("zzz");
          await page.getByTestId("models-count").filter({ hasText: "No model matches." }).waitFor();
          // % and _ are what the user typed, not LIKE wildcards matching every model.
          for (const text of ["_", "%"]) {
            await page.getByTestId("models-search").fill(text);
            await page.waitForURL(`**/#/models?q=${encodeURIComponent(text)}`);
            await page.getByTestId("models-count").filter({ hasText: "No model matches." }).waitFor();
          }
          await page.goto(`${base}/#/models?q=win`);
          await page.waitForFunction(() => document.querySelectorAll("[data-testid=model-row]").length === 1);
          await page.getByTestId("model-link").click();
          await page.getByTestId("model-name").filter({ hasText: "wine" }).waitFor();
        },
      );

      await t.step("an unknown model shows the server's error", async () => {
        await page.goto(`${base}/#/models/nope`);
        await page.getByTestId("page-error").filter({ hasText: "Registered Model with name=nope not found" })
          .waitFor();
      });

      await t.step("deleting a model from its page takes it out of the registry", async () => {
        await page.goto(`${base}/#/models/wine`);
        await page.getByTestId("delete-model").click();
        await page.waitForFunction(() => location.hash === "#/models");
        await assert.rejects(r.getRegisteredModel("wine"), /not found/);
      });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await f.store.close();
      await Deno.remove(f.dir, { recursive: true });
    }
  },
});
