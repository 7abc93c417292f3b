// Module hooks (node:module register) that append the URL of every module Node loads through the
// ESM loader — SpecGate's own, and each package's entry — to the file named by MODULE_TRACE_FILE.
import { appendFileSync } from "node:fs";

const file = process.env.MODULE_TRACE_FILE;

export async function load(url, context, next) {
  if (file) appendFileSync(file, `${url}\n`);
  return next(url, context);
}
