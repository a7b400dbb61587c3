import assert from "node:assert/strict";
import { currentUser, passwdUserName } from "../../lib/mlflow/experiment_setup.ts";

const PASSWD = [
  "# a comment: not a user",
  "root:x:0:0:root:/root:/bin/bash",
  "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
  "+::::::",
  "",
  "ada:x:1000:1000:Ada Lovelace,,,:/home/ada:/bin/zsh",
  "alias:x:1000:1000::/home/alias:/bin/sh",
  "broken-line",
].join("\n");

Deno.test("passwdUserName finds the first user with the id, as getpwuid does", () => {
  assert.equal(passwdUserName(PASSWD, 0), "root");
  assert.equal(passwdUserName(PASSWD, 1000), "ada");
  assert.equal(passwdUserName(PASSWD, 1), "daemon");
});

Deno.test("passwdUserName gives nothing for an unknown id, comments, NIS markers or an empty file", () => {
  assert.equal(passwdUserName(PASSWD, 4242), undefined);
  assert.equal(passwdUserName("", 0), undefined);
  assert.equal(passwdUserName("+::::::\n#x:x:7:7::/:/bin/sh", 7), undefined);
});

Deno.test("currentUser without LOGNAME/USER/LNAME/USERNAME names the process owner as node:os does", async () => {
  // A child process with none of the variables, like a container started without them.
  const module = new URL("../../lib/mlflow/experiment_setup.ts", import.meta.url).href;
  const code = `
    import { currentUser } from ${JSON.stringify(module)};
    import { userInfo } from "node:os";
    console.log(JSON.stringify([await currentUser(), userInfo().username]));
  `;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!["LOGNAME", "USER", "LNAME", "USERNAME"].includes(k)) env[k] = v;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const [ours, node] = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(ours, node);
  assert.notEqual(ours, "unknown");
});

Deno.test("currentUser takes LOGNAME first, like getpass.getuser", async () => {
  const saved = { LOGNAME: Deno.env.get("LOGNAME"), USER: Deno.env.get("USER") };
  try {
    Deno.env.set("LOGNAME", "from-logname");
    Deno.env.set("USER", "from-user");
    assert.equal(await currentUser(), "from-logname");
    Deno.env.delete("LOGNAME");
    assert.equal(await currentUser(), "from-user");
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
});
