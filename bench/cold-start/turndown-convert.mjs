// The peer of `specgate convert` for the cold-start benchmark: a whole process that reads an HTML
// file, converts it with turndown + turndown-plugin-gfm (the usual JavaScript choice) and writes
// the Markdown to stdout, as a script someone would write for the job.
import { readFileSync } from "node:fs";
import TurndownService from "turndown";
import { gfm } from "turndown-plugin-gfm";

const service = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", codeBlockStyle: "fenced" });
service.use(gfm);
process.stdout.write(service.turndown(readFileSync(process.argv[2], "utf8")));
