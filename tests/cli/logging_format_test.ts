/** Python's `%`-style log formats and `time.strftime` datefmt, as kmlf's log handlers write them. */
import assert from "node:assert/strict";
import { formatLine } from "../../lib/cli/logging/handlers.ts";
import {
  compilePercentFormat,
  formatRecord,
  type RecordFields,
} from "../../lib/cli/logging/percent_format.ts";
import { strftime, unknownDirective } from "../../lib/cli/logging/strftime.ts";
import { checkLoggingConfig } from "../../lib/cli/logging/dict_config.ts";
import type { KmlfError } from "../../lib/errors.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";

const format = (text: string, datefmt?: string) => ({ format: compilePercentFormat(text).format!, datefmt });
// 2024-03-05 07:08:09.042 in the process's time zone.
const created = new Date(2024, 2, 5, 7, 8, 9, 42).getTime();
const record = {
  logger: "kedro.io.data_catalog",
  level: 20,
  message: "Loading data from iris (CSVDataset)...",
  created,
};

Deno.test("Kedro's format gives Python's default asctime, with milliseconds after a comma", () => {
  assert.equal(
    formatLine(record, format("%(asctime)s - %(name)s - %(levelname)s - %(message)s")),
    "2024-03-05 07:08:09,042 - kedro.io.data_catalog - INFO - Loading data from iris (CSVDataset)...",
  );
});

Deno.test("widths, flags and numeric conversions format as Python's % operator does", () => {
  assert.equal(
    formatLine(record, format("[%(levelname)-8s|%(levelno)5d|%(msecs)03d]")),
    "[INFO    |   20|042]",
  );
  assert.equal(
    formatLine(record, format("%(filename)s:%(lineno)d %(module)s %(levelname).1s")),
    "data_catalog.py:0 data_catalog I",
  );
  assert.equal(formatLine(record, format("%(created).3f %(msecs)s")), `${(created / 1000).toFixed(3)} 42.0`);
  assert.equal(formatLine(record, format("%(name)r 100%%")), "'kedro.io.data_catalog' 100%");
});

Deno.test("%g, the # alternate forms and %a give what Python's % operator gives", () => {
  const at = (text: string, fields: RecordFields) => formatRecord(compilePercentFormat(text).format!, fields);
  // Each expected text is Python's `text % fields`.
  assert.equal(
    at("%(created)g|%(levelno)#o|%(levelno)#x|%(levelno)#X", { created: 1700000000.123, levelno: 20 }),
    "1.7e+09|0o24|0x14|0X14",
  );
  assert.equal(at("%(msecs)g %(msecs).2g %(msecs)#g", { msecs: 1.5 }), "1.5 1.5 1.50000");
  assert.equal(at("%(created)g %(msecs)g", { created: 0.123, msecs: 100000 }), "0.123 100000");
  assert.equal(at("%(created).2G %(msecs)g", { created: 1e-5, msecs: 1234567 }), "1E-05 1.23457e+06");
  assert.equal(at("%(message)a", { message: "héllo 🌸 'x'" }), `"h\\xe9llo \\U0001f338 'x'"`);
  // Widths and precisions count characters, as Python's len(): "%(message)-4s|%(name)3.2s|" % …
  assert.equal(at("%(message)-4s|%(name)3.2s|", { message: "🌸é", name: "🌸🌸🌸" }), "🌸é  | 🌸🌸|");
});

Deno.test("datefmt takes strftime codes and drops the milliseconds, as Python's formatTime does", () => {
  assert.equal(
    formatLine(record, format("%(asctime)s %(message)s", "%d/%b/%Y %I:%M %p %j")),
    "05/Mar/2024 07:08 AM 065 Loading data from iris (CSVDataset)...",
  );
  assert.equal(strftime("%A %B %y %H%%", new Date(2024, 11, 31, 23, 0)), "Tuesday December 24 23%");
  // glibc's codes, which Python's time.strftime passes on under Linux (Python 3.11's answer for this date).
  const date = new Date(2024, 2, 5, 7, 8, 9);
  assert.equal(
    strftime("%C|%D|%e|%g|%G|%h|%k|%l|%n|%P|%r|%t|%V|%F|%c", date),
    "20|03/05/24| 5|24|2024|Mar| 7| 7|\n|am|07:08:09 AM|\t|10|2024-03-05|Tue Mar  5 07:08:09 2024",
  );
  assert.equal(strftime("%s", date), String(date.getTime() / 1000));
  assert.equal(strftime("%G-W%V-%u", new Date(2021, 0, 3)), "2020-W53-7");
  assert.equal(unknownDirective("%Y-%m-%d %Q"), "%Q");
  assert.equal(unknownDirective("%Y %"), "%");
  assert.equal(unknownDirective("%Y%%%m"), undefined);
});

Deno.test("a key no LogRecord has, text under a numeric conversion, or no key at all is refused", () => {
  assert.equal(compilePercentFormat("%(nope)s").problem, 'unknown record attribute "nope"');
  assert.match(compilePercentFormat("%(name)d").problem!, /needs a number, but name is text/);
  assert.match(compilePercentFormat("just text").problem!, /names no record attribute/);
  assert.match(compilePercentFormat("%(message)").problem!, /has no conversion/);
  assert.match(compilePercentFormat("%s").problem!, /neither "%%" nor/);
});

Deno.test("a datefmt with glibc's codes is taken; %f, which time.strftime lacks, is refused with the msecs fix", () => {
  const config = (datefmt: string) =>
    parseYaml(
      `version: 1\nformatters:\n  f:\n    format: "%(asctime)s %(message)s"\n    datefmt: "${datefmt}"\n`,
      "/p/logging.yml",
    );
  assert.ok(checkLoggingConfig(config("%e %k:%M %P"), "/p").formatters.has("f"));
  assert.throws(
    () => checkLoggingConfig(config("%H:%M:%S.%f"), "/p"),
    (e: KmlfError) =>
      e.code === "logging/bad-format" && e.source?.line === 5 && /%\(msecs\)03d/.test(e.hint ?? ""),
  );
});
