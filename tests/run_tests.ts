/**
 * The test command: installs what the suite needs when it is missing (tests/prerequisites.ts), runs
 * every Deno test in the repository and ends with the plain line `N passed, M failed` that CI reads,
 * keeping deno test's exit code. Servers the test files share (one PostgreSQL for all of them:
 * tests/services/postgres_server.ts) are stopped when it ends, however it ends.
 */
import { ensurePrerequisites } from "./prerequisites.ts";
import { TEST_SERVICES_ENV, testServicesDir } from "./services/postgres_server.ts";
import { cleanupOnExit } from "./services/watchdog.ts";

await ensurePrerequisites();
const services = await testServicesDir();
await cleanupOnExit(services.cleanup);
const args = ["test", "--allow-all", "--permit-no-files", ...Deno.args];
const child = new Deno.Command(Deno.execPath(), {
  args,
  env: { [TEST_SERVICES_ENV]: services.dir },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const decoder = new TextDecoder();
let tail = "";
for await (const chunk of child.stdout) {
  const text = decoder.decode(chunk, { stream: true });
  await Deno.stdout.write(chunk);
  tail = (tail + text).slice(-4000);
}
const status = await child.status;
await services.stop();
// deno test ends with "ok | 12 passed (3 steps) | 0 failed (1s)" or "FAILED | 3 passed | 1 failed ...".
// deno-lint-ignore no-control-regex -- strips ANSI color codes
const clean = tail.replace(/\x1b\[[0-9;]*m/g, "");
const passed = Number(clean.match(/(\d+) passed/g)?.at(-1)?.match(/\d+/)?.[0] ?? 0);
const failed = Number(clean.match(/(\d+) failed/g)?.at(-1)?.match(/\d+/)?.[0] ?? (status.success ? 0 : 1));
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(status.code);
