/**
 * The template's sections, in template order (2. design rules, 3. technical spec, 4.
 * implementation guide, 5. change history). A module of its own so that the rule modules can
 * name sections without loading the ruleset schema (which is built from the rule registry).
 */
export const SECTION_KEYS = [
  "design_rules_section",
  "technical_spec_section",
  "implementation_guide_section",
  "change_history_section",
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];
