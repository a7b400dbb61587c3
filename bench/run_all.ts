/** Runs every `bench/*_bench.ts` script in turn (each prints its own figures). */
const dir = new URL(".", import.meta.url).pathname;
const scripts = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith("_bench.ts")).sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n== ${script}`);
  const { code } = await new Deno.Command(Deno.execPath(), { args: ["run", "--allow-all", dir + script] })
    .spawn().status;
  if (code !== 0) failed++;
}
Deno.exit(failed === 0 ? 0 : 1);
