/**
 * The GitHub Actions formatter: diagnostics as workflow commands (`::error file=…,line=…,title=…::
 * message`), escaped as @actions/core does. By default the most severe come first and the list is
 * capped (GitHub shows only so many per step) with a closing notice saying how many were left
 * out; a producer that prints its own summary lines can keep its order and skip the cap.
 */
import { fullText, type Diagnostic } from "../diagnostic.js";

export type AnnotationLevel = "error" | "warning" | "notice";

/** One workflow command, as GitHub reads it. */
export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** GitHub shows at most 10 annotations of each kind per step and 50 per job. */
export const DEFAULT_MAX_ANNOTATIONS = 50;

const RANK: Readonly<Record<AnnotationLevel, number>> = { error: 0, warning: 1, notice: 2 };

export interface AnnotationOptions {
  /** At most this many (default 50); `Infinity` for all. */
  max?: number;
  /** Text of the closing notice when some were left out. */
  overflow?: (omitted: number) => string;
  /** `severity` (default): errors, then warnings, then notices, stable within a level; `given`: as listed. */
  order?: "severity" | "given";
}

/** Diagnostics as annotation lines (each ending in `\n`): the message, then the help on its own line. */
export function formatGithub(diagnostics: readonly Diagnostic[], options: AnnotationOptions = {}): string {
  return formatAnnotations(diagnostics.map(toAnnotation), options);
}

export function toAnnotation(d: Diagnostic): Annotation {
  const a: Annotation = {
    level: d.severity === "info" || d.severity === "none" ? "notice" : d.severity,
    message: fullText(d),
  };
  if (d.title) a.title = d.title;
  if (d.file) a.file = d.file;
  if (d.line) a.line = d.line;
  if (d.column) a.column = d.column;
  return a;
}

/** The annotation lines (each ending in `\n`), most severe first unless `order: "given"`. */
export function formatAnnotations(annotations: readonly Annotation[], options: AnnotationOptions = {}): string {
  const max = options.max ?? DEFAULT_MAX_ANNOTATIONS;
  const ordered = annotations.map((a, i) => ({ a, i }));
  if (options.order !== "given") ordered.sort((x, y) => RANK[x.a.level] - RANK[y.a.level] || x.i - y.i);
  const lines = ordered.slice(0, max).map(({ a }) => formatAnnotation(a));
  const omitted = ordered.length - lines.length;
  if (omitted > 0) {
    const text = options.overflow?.(omitted) ?? `${omitted} more findings are not shown as annotations.`;
    lines.push(`::notice::${escapeData(text)}`);
  }
  return lines.map((l) => `${l}\n`).join("");
}

export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file) props.push(`file=${escapeProperty(a.file)}`);
  if (a.file && a.line) props.push(`line=${a.line}`);
  if (a.file && a.line && a.column) props.push(`col=${a.column}`);
  if (a.title) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length ? ` ${props.join(",")}` : ""}::${escapeData(a.message)}`;
}

/** Escaping of the message part, as @actions/core does it. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of `key=value` properties: also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
