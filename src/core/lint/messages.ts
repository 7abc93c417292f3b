/**
 * Language of messages, and the template's labels that fixes insert. The messages themselves and
 * the built-in suggestions live with their codes, in the rule modules (rules/<code>.ts).
 */

export type Lang = "ko" | "en";

/** Labels and placeholders of the rule detail sub-items, as the template writes them. */
export const DETAIL_LABELS: Record<
  Lang,
  Record<"scope" | "rationale" | "reference", { label: string; placeholder: string }>
> = {
  ko: {
    scope: { label: "적용 범위", placeholder: "[규칙이 적용되는 범위]" },
    rationale: { label: "근거", placeholder: "[규칙이 필요한 이유]" },
    reference: { label: "참조", placeholder: "[관련 기술 스펙이나 문서]" },
  },
  en: {
    scope: { label: "Scope", placeholder: "[where the rule applies]" },
    rationale: { label: "Rationale", placeholder: "[why the rule is needed]" },
    reference: { label: "Reference", placeholder: "[related technical spec or documents]" },
  },
};
