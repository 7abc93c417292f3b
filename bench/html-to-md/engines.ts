/**
 * The engines compared by bench/html-to-md.ts. Each is `(html) => markdown`, set up once (warm).
 *
 * - `specgate`: this repository's streaming converter (src/core/convert).
 * - `turndown-gfm`: turndown 7 + turndown-plugin-gfm on the whole page, the usual JavaScript
 *   converter (DOM-based; on raw storage format it cuts CDATA code at the first `>`).
 * - `turndown-chunked`: the other design considered: a streaming split at top-level block
 *   boundaries with a CDATA pre-pass, each chunk converted by turndown + gfm. No macro rules at
 *   all, so it is a lower bound on what that design would cost.
 * - `mdream`: mdream's WASM build (the package's own `mdream/wasm` entry, loaded with `initSync`):
 *   its native build needs Node ≥ 22, the WASM one runs on Node 20.
 * - `htmlparser2`: htmlparser2's Tokenizer with empty callbacks, the floor any streaming pass pays
 *   (SpecGate builds its open/close events on this Tokenizer, see src/core/convert/tree.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Parser, Tokenizer } from "htmlparser2";
import TurndownService from "turndown";
// @ts-expect-error: turndown-plugin-gfm ships no types
import { gfm } from "turndown-plugin-gfm";
import { convertHtml } from "../../src/core/convert/index.js";

export type Engine = (html: string) => string | Promise<string>;
export const ENGINES = ["specgate", "turndown-gfm", "turndown-chunked", "mdream", "htmlparser2"] as const;
export type EngineName = (typeof ENGINES)[number];

function turndown(): TurndownService {
  const service = new TurndownService({
    headingStyle: "atx",
    bulletListMarker: "-",
    codeBlockStyle: "fenced",
    emDelimiter: "*",
    strongDelimiter: "**",
  });
  service.use(gfm);
  return service;
}

async function mdream(): Promise<Engine> {
  // Installed by `npm run bench:peers` (not a dependency: its optional native builds break `npm ci`).
  const specifier = "mdream/wasm";
  const wasm = (await import(specifier)) as unknown as {
    initSync(m: { module: Buffer }): void;
    htmlToMarkdown(html: string, options: object): string;
  };
  const require = createRequire(import.meta.url);
  wasm.initSync({ module: readFileSync(require.resolve("mdream/wasm/mdream_edge_bg.wasm")) });
  return (html) => wasm.htmlToMarkdown(html, {});
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Splits at top-level element ends every ~64 KB and feeds turndown chunk by chunk. */
function turndownChunked(): Engine {
  const service = turndown();
  return (html) => {
    // CDATA pre-pass: code bodies become escaped <pre><code> so an HTML parser keeps them whole.
    const prepared = html.replace(
      /<ac:plain-text-body><!\[CDATA\[([\s\S]*?)\]\]><\/ac:plain-text-body>/g,
      (_m, body: string) => `<pre><code>${escapeHtml(body)}</code></pre>`,
    );
    const cuts: number[] = [];
    let depth = 0;
    let last = 0;
    const parser = new Parser(
      {
        onopentag: () => void depth++,
        onclosetag: () => {
          depth--;
          if (depth === 0 && parser.endIndex + 1 - last >= 64 * 1024) cuts.push((last = parser.endIndex + 1));
        },
      },
      { recognizeSelfClosing: true },
    );
    parser.end(prepared);
    const out: string[] = [];
    let from = 0;
    for (const cut of [...cuts, prepared.length]) {
      out.push(service.turndown(prepared.slice(from, cut)));
      from = cut;
    }
    return out.join("\n\n");
  };
}

export async function engine(name: EngineName): Promise<Engine> {
  switch (name) {
    case "specgate":
      return async (html) => (await convertHtml(html)).markdown;
    case "turndown-gfm": {
      const service = turndown();
      return (html) => service.turndown(html);
    }
    case "turndown-chunked":
      return turndownChunked();
    case "mdream":
      return mdream();
    case "htmlparser2":
      return (html) => {
        const none = () => undefined;
        const callbacks = {
          onattribdata: none,
          onattribentity: none,
          onattribend: none,
          onattribname: none,
          oncdata: none,
          onclosetag: none,
          oncomment: none,
          ondeclaration: none,
          onend: none,
          onopentagend: none,
          onopentagname: none,
          onprocessinginstruction: none,
          onselfclosingtag: none,
          ontext: none,
          ontextentity: none,
        };
        const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, callbacks);
        tokenizer.write(html);
        tokenizer.end();
        return "";
      };
  }
}
