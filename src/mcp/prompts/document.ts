/** The document a prompt works on: a Confluence page id, or the text given as `content`. */
import { invalidParams } from "../errors.js";
import { confluencePageUri } from "../resources.js";
import { fenced, json, type PromptArgs, type PromptArgumentDefinition, type PromptContext } from "./prompt.js";

export const DOCUMENT_ARGUMENTS: readonly PromptArgumentDefinition[] = [
  {
    name: "page_id",
    description: "A Confluence page id to fetch (needs Confluence configured). Give this or content",
    complete: "page_id",
  },
  {
    name: "content",
    description: "The document itself (Markdown, or Confluence storage XHTML / HTML). Give this or page_id",
    size: "document",
  },
];

export interface DocumentSource {
  /** The first step: how to get the document's Markdown. */
  step: string;
  /** What the later steps call it. */
  name: string;
  /** The document, appended to the message (content only). */
  attachment: string | undefined;
}

/** Exactly one of page_id and content; −32602 otherwise. */
export function documentSource(prompt: string, args: PromptArgs, ctx: PromptContext): DocumentSource {
  const { page_id: pageId, content } = args;
  if ((pageId === undefined) === (content === undefined))
    throw invalidParams(
      `prompt ${prompt} needs exactly one of page_id (a Confluence page id) or content (the document).`,
    );
  if (pageId !== undefined) {
    if (!/^[0-9]{1,20}$/.test(pageId)) throw invalidParams(`page_id of prompt ${prompt} must be a numeric page id.`);
    if (!ctx.confluence)
      throw invalidParams(
        `prompt ${prompt} got page_id, but Confluence is not configured on this server; give the document as content instead.`,
      );
    return {
      step:
        `Call \`confluence_fetch\` with ${json({ page_id: pageId })}. The document is \`documents[0].markdown\` ` +
        `(it starts with '# <title>'); the page is also the resource ${confluencePageUri("<space_key>", pageId)} ` +
        "(its space key is `documents[0].space_key`).",
      name: "the page's Markdown",
      attachment: undefined,
    };
  }
  return {
    step: "The document is given below, between the fences. Use it exactly as given (do not reformat it first).",
    name: "the document below",
    attachment: `Document:\n\n${fenced(content!)}`,
  };
}
