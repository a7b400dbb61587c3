/**
 * kmlf's CSV codec against the libraries it replaced on the dataset path (csv-parse, csv-stringify, still
 * shipped for project code): the same records for the same text, over hand-picked and generated inputs.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { CsvSyntaxError, parseCsv, stringifyCsv } from "../../lib/catalog/datasets/_csv.ts";

const reference = (
  text: string,
  o: { delimiter?: string; skipEmpty?: boolean; comment?: string; escape?: string } = {},
) =>
  parse(text, {
    delimiter: o.delimiter ?? ",",
    skip_empty_lines: o.skipEmpty ?? true,
    bom: true,
    relax_column_count: true,
    ...(o.comment ? { comment: o.comment } : {}),
    ...(o.escape ? { escape: o.escape } : {}),
  }) as string[][];

Deno.test("CSV text parses like csv-parse: quotes, doubled quotes, line breaks in fields, CRLF, BOM, empty lines", () => {
  const cases = [
    "a,b\n1,2\n",
    "a,b\r\n1,2\r\n",
    "\ufeffa,b\n1,2",
    'a,b\n"x, y","say ""hi"""\n',
    'a,b\n"line\nbreak",2\n"cr\r\nlf",3\n',
    "a,b\n\n1,2\n\n\n3,4\n",
    "a,,b\n,,\n",
    '"",x\n"",""\n',
    "single\n",
    "",
    "\n\n",
  ];
  for (const text of cases) {
    assert.deepEqual(parseCsv(text), reference(text), JSON.stringify(text));
    assert.deepEqual(
      parseCsv(text, { skipEmptyLines: false }),
      reference(text, { skipEmpty: false }),
      `kept empty lines: ${JSON.stringify(text)}`,
    );
  }
});

Deno.test("CSV delimiters of one or more characters, comments and a backslash escape read like csv-parse", () => {
  assert.deepEqual(parseCsv("a;b\n1;2\n", { delimiter: ";" }), reference("a;b\n1;2\n", { delimiter: ";" }));
  assert.deepEqual(parseCsv("a||b\n1||2\n", { delimiter: "||" }), [["a", "b"], ["1", "2"]]);
  const commented = "# header note\na,b\n1,2 # trailing\n#,x\n3,4\n";
  assert.deepEqual(parseCsv(commented, { comment: "#" }), reference(commented, { comment: "#" }));
  const escaped = 'a,b\n"x \\" y",2\n';
  assert.deepEqual(parseCsv(escaped, { escape: "\\" }), reference(escaped, { escape: "\\" }));
});

Deno.test("skipLines drops physical lines before parsing (they need not be records)", () => {
  assert.deepEqual(parseCsv('junk "unclosed\nmore\na,b\n1,2\n', { skipLines: 2 }), [["a", "b"], ["1", "2"]]);
  assert.deepEqual(parseCsv("x\r\ny\ra\n", { skipLines: 2 }), [["a"]]);
  assert.deepEqual(parseCsv("x\n", { skipLines: 5 }), []);
});

Deno.test("malformed CSV is a CsvSyntaxError naming the line", () => {
  assert.throws(
    () => parseCsv('a,b\n1,"open\n2,3\n'),
    (e: CsvSyntaxError) => e instanceof CsvSyntaxError && /never closed/.test(e.message) && e.line === 2,
  );
  assert.throws(
    () => parseCsv('a,b\n"x"y,2\n'),
    (e: CsvSyntaxError) =>
      e instanceof CsvSyntaxError && /after the closing quote/.test(e.message) && e.line === 2,
  );
  assert.throws(
    () => parseCsv('a,b\nx"y,2\n'),
    (e: CsvSyntaxError) =>
      e instanceof CsvSyntaxError && /inside the unquoted field/.test(e.message) && e.line === 2,
  );
});

Deno.test("records write like csv-stringify: minimal quoting, numbers, bigints, nulls, objects, header", () => {
  const rows = [
    [1, "x, y", 'q"uote', "line\nbreak", "cr\rx", null, undefined, "", 2n ** 70n, 1e21, { k: [1] }],
  ];
  const header = ["a", "b,c", 'd"', "e", "f", "g", "h", "i", "j", "k", "n"];
  assert.equal(stringifyCsv(rows, { header }), stringify(rows, { header: true, columns: header }));
  assert.equal(stringifyCsv([[1, 2]], { delimiter: "|" }), stringify([[1, 2]], { delimiter: "|" }));
  assert.equal(stringifyCsv([], { header: ["a"] }), "a\n");
  assert.equal(stringifyCsv([]), "");
});

Deno.test("numbers csv-stringify would write as text pandas misreads are written as pandas writes them", () => {
  // String(-0) is "0" and String(Infinity) "Infinity", which pandas reads as text; pandas writes these
  // ("-0.0": a column of "-0" pandas reads as the integer 0).
  assert.equal(stringifyCsv([[-0, NaN, Infinity, -Infinity, 0.5]]), "-0.0,NaN,inf,-inf,0.5\n");
});

Deno.test('a record of one empty field is written "" as Python\'s csv module does, so it stays a record', () => {
  const csv = stringifyCsv([[""], [null], ["x"]], { header: [""] });
  assert.equal(csv, '""\n""\n""\nx\n');
  assert.deepEqual(parseCsv(csv), [[""], [""], [""], ["x"]], "a reader that skips empty lines keeps them");
});

Deno.test("generated grids round-trip and parse exactly as csv-parse reads them", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ["a", "b", "1", " ", ",", ";", '"', "\n", "\r\n", "é", "#", "\\"];
  const text = () =>
    Array.from({ length: Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)])
      .join("");
  for (let round = 0; round < 300; round++) {
    const width = 1 + Math.floor(random() * 4);
    const grid = Array.from(
      { length: 1 + Math.floor(random() * 5) },
      () => Array.from({ length: width }, text),
    );
    for (const delimiter of [",", ";"]) {
      const csv = stringifyCsv(grid, { delimiter });
      // Unlike csv-stringify, a record of one empty field is written "" (an empty line is no record).
      const lone = (line: string[]) => line.length === 1 && line[0] === "";
      if (!grid.some(lone)) {
        assert.equal(csv, stringify(grid, { delimiter }), `stringify ${JSON.stringify(grid)}`);
      }
      const ours = parseCsv(csv, { delimiter, skipEmptyLines: false });
      assert.deepEqual(ours, reference(csv, { delimiter, skipEmpty: false }), `parse ${JSON.stringify(csv)}`);
      assert.deepEqual(ours, grid, `round trip ${JSON.stringify(grid)}`);
    }
  }
});
