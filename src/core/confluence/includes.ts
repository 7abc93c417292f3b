/**
 * Expands the `include` and `excerpt-include` macros of a page: each names another page (by
 * title and space, or id); that page is loaded through the same client and cache, converted in
 * its own context (its links resolve as on that page), and written in the macro's place between
 * include markers, so rules extracted from it carry that page as their source.
 * `excerpt-include` takes only the target's `excerpt` macro body.
 *
 * Included pages may include others, down to {@link MAX_INCLUDE_DEPTH} levels below the page
 * fetched. A page that includes itself, directly or through others, a target that does not exist
 * or that the account may not read, and a target without an excerpt each leave the placeholder
 * `(included from: …)` and a warning; the rest of the page is still returned. Failures that
 * concern the whole call (credentials, cancellation, deadline) are thrown.
 */
import { createHash } from "node:crypto";
import { toSpecGateError } from "../../errors.js";
import type { IncludedContent, IncludeRef } from "../convert/index.js";
import { withHeading } from "./page-store.js";
import type { PageRecord } from "./types.js";

/** Levels of inclusion followed below the fetched page (an include inside an include inside an include). */
export const MAX_INCLUDE_DEPTH = 3;

/** Included pages loaded for one document at most; further include macros stay placeholders. */
export const MAX_INCLUDED_PAGES = 50;

export type IncludeWarningCode =
  | "include_limit"
  | "include_missing"
  | "include_forbidden"
  | "include_cycle"
  | "include_too_deep"
  | "include_no_excerpt"
  | "include_failed";

export interface IncludeWarning {
  code: IncludeWarningCode;
  message: string;
  /** The page the macro names, as it names it (`KEY:Title`, `Title`, or `id 123`). */
  subject: string;
}

/** A page whose content (or excerpt) was written into the document. */
export interface IncludedPage {
  id: string;
  title: string;
  url: string;
  version: number;
  /** `include` (the whole page) or `excerpt-include` (its excerpt). */
  macro: IncludeRef["macro"];
  /** Id of the page whose macro included it. */
  included_by: string;
}

export interface IncludePorts {
  /** The page `ref` names; a ref without a space key means the space of `from`. Throws SpecGateError. */
  load(ref: IncludeRef, from: PageRecord): Promise<PageRecord>;
  /** The page's Markdown (`# title` first, includes as placeholders) and the includes it holds. */
  converted(record: PageRecord): Promise<{ markdown: string; includes: IncludeRef[] }>;
  /** A part of the page's storage → Markdown, with `includes` answering its include macros. */
  convert(
    record: PageRecord,
    storage: string,
    includes: (ref: IncludeRef) => IncludedContent | undefined,
  ): Promise<string>;
  /**
   * The Markdown of `record` with its includes expanded, as `render` makes it, stored under
   * `fingerprint` (which names every page of the tree at its version): optional caching.
   */
  memo?(record: PageRecord, fingerprint: string, render: () => Promise<string>): Promise<string>;
}

export interface Expansion {
  /** The page's Markdown, `# title` first, includes expanded. */
  markdown: string;
  included: IncludedPage[];
  warnings: IncludeWarning[];
}

/** `root`'s Markdown with its includes expanded (see the module comment). */
export async function expandIncludes(root: PageRecord, ports: IncludePorts): Promise<Expansion> {
  const included: IncludedPage[] = [];
  const warnings: IncludeWarning[] = [];
  const first = await ports.converted(root);
  if (first.includes.length === 0) return { markdown: first.markdown, included, warnings };
  let loads = 0;
  let skipped = 0;

  /** Resolves the tree under `record` (loads, warnings) and returns how to render it, and its fingerprint. */
  const expand = async (record: PageRecord, part: Part, depth: number, stack: readonly string[]): Promise<Resolved> => {
    let body: string;
    let refs: IncludeRef[];
    if ("body" in part) ({ body, includes: refs } = part);
    else {
      refs = [];
      body = await ports.convert(record, part.storage, (ref) => void refs.push(ref));
    }
    const own = [record.id, record.version, "tag" in part ? part.tag : "page"];
    const leaf: Resolved = { fingerprint: fingerprintOf(own), render: () => Promise.resolve(body) };
    if (refs.length === 0) return leaf;
    const unique = new Map(refs.map((r) => [refKey(r), r]));
    if (depth >= MAX_INCLUDE_DEPTH) {
      for (const ref of unique.values())
        warnings.push({
          code: "include_too_deep",
          subject: subjectOf(ref),
          message: `"${subjectOf(ref)}" is included ${depth + 1} levels deep (through ${stack.join(" → ")}); SpecGate follows includes ${MAX_INCLUDE_DEPTH} levels deep, so a placeholder names it.`,
        });
      return leaf;
    }
    const found = new Map<string, { child: Resolved; target: PageRecord }>();
    for (const [key, ref] of unique) {
      const subject = subjectOf(ref);
      if (loads >= MAX_INCLUDED_PAGES) {
        skipped++;
        continue;
      }
      loads++;
      let target: PageRecord;
      try {
        target = await ports.load(ref, record);
      } catch (error) {
        const e = toSpecGateError(error);
        if (e.code !== "E_NOT_FOUND" && e.code !== "E_FORBIDDEN" && e.code !== "E_UPSTREAM" && e.code !== "E_TOO_LARGE")
          throw e;
        warnings.push({
          code:
            e.code === "E_NOT_FOUND"
              ? "include_missing"
              : e.code === "E_FORBIDDEN"
                ? "include_forbidden"
                : "include_failed",
          subject,
          message: `Page ${record.id} includes "${subject}", which could not be read (${e.code}: ${e.message}); a placeholder names it.`,
        });
        continue;
      }
      if (stack.includes(target.id)) {
        warnings.push({
          code: "include_cycle",
          subject,
          message: `"${subject}" (${target.id}) includes itself through ${[...stack, target.id].join(" → ")}; it is expanded once, and a placeholder stands for the repeat.`,
        });
        continue;
      }
      let inner: Part;
      if (ref.macro === "excerpt-include") {
        const { excerptOf } = await import("../convert/index.js");
        const excerpt = excerptOf(target.storage, ref.excerptName);
        if (excerpt === undefined) {
          warnings.push({
            code: "include_no_excerpt",
            subject,
            message: `Page ${record.id} shows the excerpt${ref.excerptName ? ` "${ref.excerptName}"` : ""} of "${subject}" (${target.id}), which has no such excerpt macro; a placeholder names it.`,
          });
          continue;
        }
        inner = { storage: excerpt, tag: `excerpt:${ref.excerptName ?? ""}` };
      } else {
        const c = await ports.converted(target);
        inner = { body: withoutHeading(c.markdown, target.title), includes: c.includes };
      }
      const child = await expand(target, inner, depth + 1, [...stack, target.id]);
      included.push({
        id: target.id,
        title: target.title,
        url: target.url,
        version: target.version,
        macro: ref.macro,
        included_by: record.id,
      });
      found.set(key, { child, target });
    }
    if (found.size === 0) return leaf;
    const fingerprint = fingerprintOf([...own, ...[...found].map(([key, f]) => [key, f.child.fingerprint])]);
    const storage = "storage" in part ? part.storage : record.storage;
    const render = async (): Promise<string> => {
      const contents = new Map<string, IncludedContent>();
      for (const [key, { child, target }] of found)
        contents.set(key, { markdown: await child.render(), id: target.id, title: target.title, url: target.url });
      return ports.convert(record, storage, (ref) => contents.get(refKey(ref)));
    };
    return { fingerprint, render: () => (ports.memo ? ports.memo(record, fingerprint, render) : render()) };
  };

  const tree = await expand(root, { body: withoutHeading(first.markdown, root.title), includes: first.includes }, 0, [
    root.id,
  ]);
  if (skipped > 0)
    warnings.push({
      code: "include_limit",
      subject: root.title,
      message: `Page ${root.id} includes more than ${MAX_INCLUDED_PAGES} pages (counting includes of includes); ${skipped} more include macros were left as placeholders.`,
    });
  return { markdown: withHeading(root.title, await tree.render()), included, warnings };
}

/** A page's whole body (already converted, with its includes), or a part of its storage (an excerpt). */
type Part = { body: string; includes: IncludeRef[] } | { storage: string; tag: string };

/**
 * A resolved include tree: its fingerprint (every page in it, at its version, and which part of
 * it) and how to render it, so an unchanged tree is rendered once and then read from the cache.
 */
interface Resolved {
  fingerprint: string;
  render(): Promise<string>;
}

function fingerprintOf(material: unknown): string {
  return createHash("sha256").update(JSON.stringify(material)).digest("base64url");
}

function refKey(ref: IncludeRef): string {
  return JSON.stringify([ref.macro, ref.contentId ?? "", ref.spaceKey ?? "", ref.title ?? "", ref.excerptName ?? ""]);
}

function subjectOf(ref: IncludeRef): string {
  if (ref.title) return ref.spaceKey ? `${ref.spaceKey}:${ref.title}` : ref.title;
  return `id ${ref.contentId ?? "?"}`;
}

/** The body of Markdown written by withHeading. */
function withoutHeading(markdown: string, title: string): string {
  const heading = `# ${title}\n`;
  return markdown.startsWith(heading) ? markdown.slice(heading.length).trimStart() : markdown;
}
