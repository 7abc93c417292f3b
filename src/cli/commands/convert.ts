import type { Command } from "commander";
import { convertHtml } from "../../core/convert/index.js";
import { httpUrl } from "../arguments.js";
import { readInput, write, type CliIO } from "../io.js";

export function registerConvert(program: Command, io: CliIO): void {
  program
    .command("convert")
    .description("Convert Confluence storage XHTML or HTML to Markdown (stdout).")
    .argument("[file]", "HTML/XHTML file, or - for standard input", "-")
    .option("--base-url <url>", "wiki base URL to make page and attachment links absolute", httpUrl)
    .option("--space-key <key>", "space of the page: page links without a space point there")
    .option("--page-id <id>", "id of the page: attachment links and images resolve against it")
    .option("--jira-base-url <url>", "Jira server URL: jira macros become links to …/browse/KEY", httpUrl)
    .option("--json", "print the full result (markdown, warnings, stats) as JSON")
    .action(
      async (
        file: string,
        opts: { baseUrl?: string; spaceKey?: string; pageId?: string; jiraBaseUrl?: string; json?: boolean },
      ) => {
        const html = await readInput(file, io);
        const result = await convertHtml(html, {
          baseUrl: opts.baseUrl,
          spaceKey: opts.spaceKey,
          pageId: opts.pageId,
          jiraBaseUrl: opts.jiraBaseUrl,
        });
        if (opts.json) await write(io.stdout, `${JSON.stringify(result, null, 2)}\n`);
        else await write(io.stdout, result.markdown);
        for (const w of result.warnings) io.stderr.write(`warning: ${w.code}: ${w.message}\n`);
      },
    );
}
