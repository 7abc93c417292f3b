/**
 * Formulas: math macros (`mathinline`, `mathblock`, `latex` …, whose TeX is in a parameter or the
 * plain-text body), MathML as KaTeX and MathJax write it (the TeX annotation), and MathJax 2's
 * `<script type="math/tex">`, all written as GFM math (see mathMarkup in macros.ts).
 */
import { mathMarkup } from "./macros.js";
import type { Frame, MacroState, StreamConverter } from "./stream.js";

/** A formula as GFM math; a block formula inside a sentence, a cell or a link stays inline. */
export function emitMath(conv: StreamConverter, tex: string, display: "inline" | "block"): void {
  if (conv.codeDepth > 0) {
    conv.cur.inline.text(tex, true, conv.linkDepth > 0);
    return;
  }
  const block = display === "block" && conv.cur.inline.isEmpty && !conv.cur.inCell && conv.linkDepth === 0;
  const md = mathMarkup(tex, block ? "block" : "inline");
  if (block) conv.cur.addBlock(md, "para");
  else conv.cur.inline.markup(md);
}

/**
 * MathML (`<math>`, as KaTeX and MathJax write it): the TeX of its `application/x-tex`
 * annotation when it has one, else the text of its presentation markup.
 */
export function openMathML(conv: StreamConverter, display: boolean): Frame {
  let tex = "";
  let text = "";
  let inTex = false;
  let inAnnotation = false;
  return conv.startRaw(
    {
      pre: false,
      resources: false,
      onElement: (name, a) => {
        inAnnotation = name === "annotation" || name === "annotation-xml";
        inTex = name === "annotation" && /tex/i.test(a.encoding ?? "");
      },
      onText: (t) => {
        if (inTex) tex += t;
        else if (!inAnnotation) text += t;
      },
    },
    () => {
      if (tex.trim() !== "") emitMath(conv, tex, display ? "block" : "inline");
      else if (text.trim() !== "") conv.cur.inline.text(text, conv.codeDepth > 0, conv.linkDepth > 0);
    },
  );
}

/** The macro's formula: its plain-text body, else the parameter that holds it. */
export function closeMath(conv: StreamConverter, macro: MacroState, display: "inline" | "block"): void {
  let tex = macro.body ?? "";
  for (const key of ["body", "equation", "formula", "latex", "math", "content", ""]) {
    if (tex.trim() !== "") break;
    tex = macro.params.get(key) ?? "";
  }
  emitMath(conv, tex, display);
}
