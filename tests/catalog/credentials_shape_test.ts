/** Catalog `credentials:` that are neither a credentials.yml name nor a mapping: errors that show no secret. */
import assert from "node:assert/strict";
import { Catalog } from "../../lib/catalog/mod.ts";
import type { DatasetError } from "../../lib/errors.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";

const CREDS_FILE = "/project/conf/local/credentials.yml";
const SECRET = "hunter2-SECRET";

function build(credentialsYaml: string, value: string) {
  return Catalog.fromConfig(
    catalogConfig(`t:\n  type: json\n  filepath: x.json\n  credentials: ${value}\n`),
    { projectRoot: "/p", credentials: catalogConfig(credentialsYaml, CREDS_FILE) },
  );
}

for (
  const [value, kind] of [["42", "a number"], ["[a, b]", "a list"], ["true", "a boolean"]] as const
) {
  Deno.test(`inline credentials that are ${kind} are refused at the catalog key, with the fix`, async () => {
    await assert.rejects(() => build("db: {password: p}\n", value), (e: DatasetError) => {
      assert.equal(e.code, "catalog/bad-credentials");
      assert.equal(e.message, `"credentials" of catalog entry "t" is ${kind}`);
      assert.deepEqual(e.source, { file: CATALOG_FILE, line: 4, column: 16, keyPath: "t.credentials" });
      assert.match(
        e.hint!,
        /name an entry of conf\/local\/credentials\.yml.*or write the settings as a mapping/,
      );
      return true;
    });
  });
}

for (const block of [`"${SECRET}"`, `[${SECRET}]`, "12345"]) {
  Deno.test(`a credentials.yml block that is not a mapping (${block}) points at credentials.yml and never shows it`, async () => {
    await assert.rejects(() => build(`other: {a: b}\ndb: ${block}\n`, "db"), (e: DatasetError) => {
      assert.equal(e.code, "catalog/bad-credentials");
      assert.match(
        e.message,
        /^Credentials "db" used by catalog entry "t" are a (string|list|number), not a mapping$/,
      );
      assert.equal(e.source?.file, CREDS_FILE);
      assert.equal(e.source?.line, 2);
      assert.match(e.hint!, /"db: \{username: \.\.\., password: \.\.\.\}"/);
      const shown = `${e.message}\n${e.hint}\n${JSON.stringify(e.source)}`;
      assert.ok(!shown.includes(SECRET) && !shown.includes("12345"), shown);
      return true;
    });
  });
}

Deno.test("null credentials and mapping credentials (inline or by name) are accepted", async () => {
  for (const value of ["null", "{password: p}", "db"]) {
    const c = await build("db: {password: p}\n", value);
    assert.ok(c.has("t"));
  }
});
