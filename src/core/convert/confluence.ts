/**
 * Confluence storage-format elements (`ac:*`, `ri:*`) → frames of the streaming pass: macros,
 * links, images, emoticons, task lists, layouts and the Cloud ADF extensions.
 */
import { atEnclosingStart, insideSameEmphasis } from "./container.js";
import { emoticon } from "./emoticons.js";
import { plainText } from "./escape.js";
import { imageMarkup, openAlertContainer, openItem, openList, quoteBlock } from "./html.js";
import { readResource, resourceText, resourceUrl } from "./links.js";
import { addRef, diagramMarkup, refLinks } from "./macro-refs.js";
import {
  adfPanelAlert,
  codeMacroBlock,
  includePlaceholder,
  jiraMarkup,
  macroRole,
  statusText,
  type MacroRole,
} from "./macros.js";
import { closeMath } from "./math.js";
import { includeRefOf, writeIncluded } from "./includes.js";
import type { Frame, LinkState, MacroState, StreamConverter } from "./stream.js";
import { trimEndChars, trimLineEnds, trimStartChars } from "../text.js";

/** `ac:*` elements with no text of their own for the reader. */
const SKIPPED = new Set([
  "ac:task-id",
  "ac:task-uuid",
  "ac:placeholder",
  "ac:adf-mark",
  "ac:adf-fragment-mark",
  "ac:adf-fragment-mark-detail",
]);

/** `ac:*` wrappers that only structure the page: a block boundary, content kept. */
const LAYOUT = new Set(["ac:layout", "ac:layout-section", "ac:layout-cell"]);

/** `ac:*` wrappers transparent to text. */
const TRANSPARENT = new Set(["ac:link-body", "ac:task-body", "ac:inline-comment-marker", "ac:adf-content"]);

export function openConfluence(conv: StreamConverter, name: string, a: Record<string, string>): Frame {
  switch (name) {
    case "ac:structured-macro":
    case "ac:macro":
      return openMacro(conv, a["ac:name"] ?? "");
    case "ac:parameter":
    case "ac:default-parameter": {
      const macro = conv.macros[conv.macros.length - 1];
      if (macro === undefined) return conv.startSkip();
      const key = name === "ac:parameter" ? (a["ac:name"] ?? "") : "";
      const onElement = (n: string, attrs: Record<string, string>) =>
        void (n.startsWith("ri:") && addRef(macro.refs, n, attrs));
      return conv.startRaw({ pre: false, resources: true, onElement }, (text) => macro.params.set(key, text));
    }
    case "ac:rich-text-body": {
      const macro = conv.macros[conv.macros.length - 1];
      if (macro !== undefined && !macro.bodyOpened) {
        macro.bodyOpened = true;
        if (macro.role.kind === "expand") expandTitle(conv, macro);
      }
      return conv.block();
    }
    case "ac:plain-text-body": {
      const macro = conv.macros[conv.macros.length - 1];
      if (macro === undefined) return conv.startSkip();
      return conv.startRaw({ pre: false, resources: false }, (text) => {
        macro.body = (macro.body ?? "") + text;
      });
    }
    case "ac:link":
      return openLink(conv, a["ac:anchor"]);
    case "ac:plain-text-link-body":
      return conv.startRaw({ pre: false, resources: false }, (text) =>
        conv.cur.inline.text(text, conv.codeDepth > 0, true),
      );
    case "ac:image":
      return openImage(conv, a["ac:alt"] ?? a["ac:title"]);
    case "ac:caption": {
      // A block image's caption is a line of its own under the picture.
      const image = conv.links[conv.links.length - 1];
      if (image?.kind !== "image" || !image.block) return conv.noop();
      emitImage(conv, image);
      return conv.block();
    }
    case "ac:emoticon":
      conv.cur.inline.markup(emoticon(a));
      return conv.noop();
    case "ac:task-list":
      return openList(conv, false, undefined, true);
    case "ac:task":
      return openItem(conv, false);
    case "ac:task-status": {
      const item = conv.items[conv.items.length - 1];
      return conv.startRaw({ pre: false, resources: false }, (text) => {
        if (item !== undefined) item.checked = text.trim().toLowerCase() === "complete";
      });
    }
    case "ac:adf-extension":
      return openAdfExtension(conv);
    case "ac:adf-node":
      return openAdfNode(conv, a.type ?? "");
    case "ac:adf-attribute": {
      const adf = conv.adf[conv.adf.length - 1];
      if (adf === undefined) return conv.startSkip();
      return conv.startRaw({ pre: false, resources: false }, (text) => adf.attrs.set(a.key ?? "", text.trim()));
    }
    case "ac:adf-fallback": {
      const adf = conv.adf[conv.adf.length - 1];
      return adf?.handled ? conv.startSkip() : conv.block();
    }
    default:
      if (name.startsWith("ri:")) return openResource(conv, name, a);
      if (TRANSPARENT.has(name)) return conv.noop();
      if (LAYOUT.has(name)) return conv.block();
      if (SKIPPED.has(name)) return conv.startSkip();
      conv.warn("unknown_element", name, `<${name}> is not a known Confluence element; its text was kept.`);
      return conv.noop();
  }
}

function openMacro(conv: StreamConverter, name: string): Frame {
  const role = macroRole(name);
  if (role.kind === "drop") return conv.startSkip();
  const macro: MacroState = { name, role, params: new Map(), refs: [], body: null, bodyOpened: false };
  conv.macros.push(macro);
  const pop = () => void conv.macros.pop();
  switch (role.kind) {
    case "alert":
      return then(
        openAlertContainer(conv, role.alert, () => macro.params.get("title")),
        pop,
      );
    case "quote":
      return then(
        conv.tooDeep
          ? conv.block()
          : conv.container("quote", (c, parent) => parent.addBlock(quoteBlock(c.finish()), "quote")),
        pop,
      );
    case "code":
    case "markdown":
      return closing(() => {
        pop();
        const body = macro.body ?? "";
        if (role.kind === "markdown")
          conv.cur.addBlock(trimEndChars(trimStartChars(trimLineEnds(body), "\n"), "\n"), "code");
        else
          conv.cur.addBlock(
            codeMacroBlock(
              body,
              role.language ?? macro.params.get("language") ?? macro.params.get(""),
              macro.params.get("title"),
              conv.cur.inCell,
            ),
            "code",
          );
      });
    case "expand":
      return closing(() => {
        pop();
        if (!macro.bodyOpened) expandTitle(conv, macro);
      });
    case "status":
      return closing(() => {
        pop();
        emphasized(conv, statusText(macro.params, conv.linkDepth > 0));
      });
    case "jira":
      return closing(() => {
        pop();
        conv.cur.inline.markup(
          jiraMarkup(macro.params, conv.options.jiraBaseUrl, conv.linkDepth > 0, conv.cur.inCell),
          true,
        );
      });
    case "diagram":
      return closing(() => {
        pop();
        closeDiagram(conv, macro, role);
      });
    case "math":
      return closing(() => {
        pop();
        closeMath(conv, macro, role.display);
      });
    case "include":
      return closing(() => {
        pop();
        const ref = includeRefOf(macro.name, macro.params, macro.refs);
        const content = ref && conv.options.includes ? conv.options.includes(ref) : undefined;
        if (content !== undefined) return void writeIncluded(conv, content);
        conv.warn(
          "include_not_expanded",
          name,
          `The ${name} macro shows content of another page, which is not in this page: a placeholder names that page.`,
        );
        emphasized(conv, includePlaceholder(macro.params), "em");
      });
    case "body":
      return closing(pop);
    case "unknown": {
      const subject = name || "(unnamed)";
      conv.warn(
        "unknown_macro",
        subject,
        `Macro "${subject}" is not supported: its body was kept, and the pages, files and URLs its parameters name were kept as links; its other settings were not.`,
      );
      return closing(() => {
        pop();
        if (macro.body !== null && macro.body.trim() !== "")
          conv.cur.addBlock(codeMacroBlock(macro.body, undefined, undefined, conv.cur.inCell), "code");
        const links = refLinks(conv, macro);
        if (links.length === 0) return;
        conv.cur.inline.text(" ", false, false); // apart from a file link before it (`media-group` paragraphs hold several)
        conv.cur.inline.markup(links.join(" "), true);
      });
    }
  }
}

/** A diagram's source as fenced code when the macro has one; else a placeholder naming it (see diagramMarkup). */
function closeDiagram(conv: StreamConverter, macro: MacroState, role: Extract<MacroRole, { kind: "diagram" }>): void {
  const source = macro.body ?? "";
  if (source.trim() !== "") {
    conv.cur.addBlock(
      codeMacroBlock(source, role.language ?? macro.params.get("language"), macro.params.get("title"), conv.cur.inCell),
      "code",
    );
    return;
  }
  conv.warn(
    "diagram_not_converted",
    macro.name,
    `The ${macro.name} diagram cannot be converted to Markdown: a placeholder names it, with a link to its attachment when the page names one.`,
  );
  emphasized(conv, diagramMarkup(conv, macro), "em");
}

function expandTitle(conv: StreamConverter, macro: MacroState): void {
  const title = plainText(macro.params.get("title") ?? "");
  if (title !== "") conv.cur.addBlock(`**${title}**`, "para");
}

/** Appends already-escaped text wrapped in emphasis (flanking rules applied). */
function emphasized(conv: StreamConverter, md: string, kind: "strong" | "em" = "strong"): void {
  if (md === "") return;
  const inline = conv.cur.inline;
  const mark = inline.mark();
  inline.markup(md);
  const open = conv.cur.openInline;
  const same = insideSameEmphasis(open, "*");
  inline.emphasis(mark, kind, same, same && atEnclosingStart(open, inline, mark));
}

function closing(close: () => void): Frame {
  return { close };
}

function then(frame: Frame, after: () => void): Frame {
  return {
    close(conv) {
      after();
      frame.close(conv);
    },
  };
}

// ---- links and images ----

/** A link inside a link (never valid, but seen) keeps only its text: Markdown links cannot nest. */
function openLink(conv: StreamConverter, anchor: string | undefined): Frame {
  const state: LinkState = { kind: "link", resource: null, anchor, emitted: false };
  const nested = conv.linkDepth > 0;
  conv.links.push(state);
  conv.linkDepth++;
  return conv.inline(
    (inline, mark) => {
      const r = state.resource;
      if (r?.kind === "user") {
        inline.replace(mark, (core) =>
          core === "" ? `@${plainText(r.user ?? "user")}` : core.startsWith("@") ? core : `@${core}`,
        );
        return;
      }
      let url = r ? resourceUrl(r, conv.options) : null;
      if (state.anchor) url = `${url ?? ""}#${encodeURIComponent(state.anchor)}`;
      const fallback = linkLabel(r ? resourceText(r) : (state.anchor ?? ""));
      if (url === null || nested) {
        // A URL refused as unsafe keeps its text without a warning about spaces.
        if (r !== null && r.kind !== "url" && !nested)
          conv.warn(
            "unresolved_link",
            r.kind,
            "A page link names no space and no space_key was given: its text was kept without a URL.",
          );
        inline.replace(mark, (core) => core || fallback);
      } else inline.link(mark, url, fallback);
    },
    () => {
      conv.linkDepth--;
      conv.links.pop();
    },
  );
}

function linkLabel(text: string): string {
  return plainText(text, true);
}

/**
 * An image outside any paragraph (how the Cloud editor stores a picture with its caption) is a
 * block: a paragraph of its own, its caption on the next one, so two pictures in a row never run
 * together. An image inside a paragraph stays inline.
 */
function openImage(conv: StreamConverter, alt: string | undefined): Frame {
  const block = conv.phrasing === 0 && conv.linkDepth === 0 && conv.codeDepth === 0;
  const state: LinkState = { kind: "image", resource: null, alt, emitted: false, block };
  if (block) conv.cur.flushInline();
  conv.links.push(state);
  return closing(() => {
    conv.links.pop();
    emitImage(conv, state);
    if (block) conv.cur.flushInline();
  });
}

function emitImage(conv: StreamConverter, state: LinkState): void {
  if (state.emitted || state.resource === null) return;
  state.emitted = true;
  if (conv.codeDepth > 0) return; // an image cannot show inside a code span
  const r = state.resource;
  conv.cur.inline.markup(imageMarkup(state.alt ?? resourceText(r), resourceUrl(r, conv.options, "image")));
}

/** `ri:*` sets the target of the innermost `ac:link`/`ac:image`; an image is written once its target is complete. */
function openResource(conv: StreamConverter, name: string, a: Record<string, string>): Frame {
  const state = conv.links[conv.links.length - 1];
  if (state === undefined) return conv.noop();
  state.resource = readResource(name, a, state.resource);
  if (state.kind !== "image" || name === "ri:page") return conv.noop();
  return closing(() => emitImage(conv, state));
}

// ---- Cloud ADF extensions ----

function openAdfExtension(conv: StreamConverter): Frame {
  conv.adf.push({ handled: false, depth: 0, attrs: new Map() });
  return closing(() => void conv.adf.pop());
}

/** A top-level ADF panel becomes an alert; any other ADF node is rendered from its HTML fallback. */
function openAdfNode(conv: StreamConverter, type: string): Frame {
  const adf = conv.adf[conv.adf.length - 1];
  if (adf === undefined) return conv.block();
  adf.depth++;
  const leave = () => void adf.depth--;
  if (adf.depth > 1) return then(conv.block(), leave);
  if (type === "panel") {
    adf.handled = true;
    return then(
      openAlertContainer(
        conv,
        () => adfPanelAlert(adf.attrs.get("panel-type")),
        () => adf.attrs.get("panel-title"),
      ),
      leave,
    );
  }
  conv.warn(
    "adf_fallback",
    type || "(untyped)",
    `ADF node "${type}" is not converted directly; its HTML fallback was used.`,
  );
  return then(conv.startSkip(), leave);
}
