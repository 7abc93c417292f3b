import MarkdownIt from "markdown-it";
import { convertHtml, type ConvertOptions, type ConvertResult } from "../../../src/core/convert/index.js";

/** The Markdown for `html`. */
export async function md(html: string, options?: ConvertOptions): Promise<string> {
  return (await convertHtml(html, options)).markdown;
}

export function convert(html: string, options?: ConvertOptions): Promise<ConvertResult> {
  return convertHtml(html, options);
}

const renderer = new MarkdownIt({ html: true });

/** Markdown rendered to HTML by markdown-it (CommonMark + GFM tables and strikethrough). */
export function render(markdown: string): string {
  return renderer.render(markdown);
}

/** Wraps a macro the way Confluence writes it. */
export function macro(name: string, params: Record<string, string> = {}, body = ""): string {
  const ps = Object.entries(params)
    .map(([k, v]) => `<ac:parameter ac:name="${k}">${v}</ac:parameter>`)
    .join("");
  return `<ac:structured-macro ac:name="${name}" ac:schema-version="1" ac:macro-id="m-${name}">${ps}${body}</ac:structured-macro>`;
}

export function rich(html: string): string {
  return `<ac:rich-text-body>${html}</ac:rich-text-body>`;
}

export function cdata(text: string): string {
  return `<ac:plain-text-body><![CDATA[${text}]]></ac:plain-text-body>`;
}
