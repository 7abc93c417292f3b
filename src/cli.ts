#!/usr/bin/env node
/** The `specgate` executable: the only place that reads process.argv/env and exits. */
import { runCli } from "./cli/program.js";

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
