/**
 * Telling HTML from Markdown by how the content starts: its own module so that the tools that
 * need only this (to price a call, to pick a format) do not load the extractor with the server.
 */

/** Markup that only HTML starts with; Markdown documents start with text, `#`, `-` or `|`. */
const HTML_START =
  /^\s*(?:<\?xml|<!doctype|<html|<body|<(?:p|h[1-6]|div|table|ul|ol|section|article|span|br|ac:[a-z-]+|ri:[a-z-]+)[\s>/])/i;

/** Whether `content` is HTML/XHTML rather than Markdown (format `auto`). */
export function looksLikeHtml(content: string): boolean {
  return HTML_START.test(content.slice(0, 2048));
}
