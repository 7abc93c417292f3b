/**
 * Korean modal endings, and when a sentence that ends in one describes rather than prescribes.
 *
 * Endings are read at the end of the sentence only, so reported or past speech ("…해야 한다고
 * 했다", "…해야 했다") is not a rule. All patterns are anchored on the last 48 characters and have
 * no nested quantifiers.
 *
 * "…할 수 있다" (MAY) and "…할 수 없다" (MUST NOT) also say what one can or cannot do. They state a
 * rule in a design document's plain register (…할 수 있다, …할 수 없음) or under a heading that
 * names rules; they describe in the polite register of manuals and product pages (…할 수
 * 있습니다, …할 수 없습니다), and always when they address the reader with the honorific
 * (…확인하실 수 있습니다). A polite one still states a rule when it is framed as one: a
 * restriction (관리자만 …할 수 있습니다, …에 한해), 반드시, 오직 — in its last clause. The polite
 * active "X는 …을 허용하지 않습니다" describes what X does, like 수 없습니다; the passive "…은 허용되지
 * 않습니다" states a rule. A MAY is also a description when
 * its verb is one of seeing or finding out (확인할/볼/조회할 수 있다) or when a condition ("…하면 ")
 * or a click ("버튼을 클릭하여 ") leads to it.
 */
import type { Priority } from "../spec/design-rule-spec.js";
import type { Modal } from "./modal.js";

/** Korean endings, most specific first (negations before the positive forms they contain). */
const KO_ENDINGS: readonly [RegExp, Priority][] = [
  [/(?:하지|지) ?않는 ?것이 ?(?:좋다|좋습니다|좋음|바람직하다|바람직합니다|바람직함)$/, "SHOULD NOT"],
  [/(?:하지|지) ?않(?:기를|는 ?것을) ?권장(?:한다|합니다|함|된다|됩니다|됨)$/, "SHOULD NOT"],
  [/권장(?:하지|되지) ?않(?:는다|습니다|음)$/, "SHOULD NOT"],
  [/지양(?:한다|합니다|함|해야 ?한다|해야 ?합니다|해야 ?함)?$/, "SHOULD NOT"],
  [/비권장(?:이다|입니다)?$/, "SHOULD NOT"],
  [/(?:서는|선|면) ?안 ?(?:된다|됩니다|됨|되며|돼요|돼|되다)$/, "MUST NOT"],
  [/지 ?않아야 ?(?:한다|합니다|함|된다|됩니다|됨)$/, "MUST NOT"],
  [/지 ?(?:마세요|마십시오|말 ?것|말아야 ?(?:한다|합니다|함))$/, "MUST NOT"],
  [/(?:허용되지|허용하지) ?않(?:는다|습니다|음)$/, "MUST NOT"],
  [/금지(?:한다|합니다|함|된다|됩니다|됨|이다|입니다)?$/, "MUST NOT"],
  [/수 ?없(?:다|습니다|음)$/, "MUST NOT"],
  [/권장(?:한다|합니다|함|된다|됩니다|됨|이다|입니다)?$/, "SHOULD"],
  [/것이 ?(?:좋다|좋습니다|좋음)$/, "SHOULD"],
  [/바람직(?:하다|합니다|함)$/, "SHOULD"],
  [/야 ?(?:한다|합니다|함|하며|된다|됩니다|됨)$/, "MUST"],
  [/수 ?(?:있다|있습니다|있음)$/, "MAY"],
  [/(?:해도|어도|아도|여도) ?(?:된다|됩니다|됨|무방하다|무방합니다)$/, "MAY"],
];

const KO_SEEING =
  /(?:확인할|볼|살펴볼|조회할|열람할|미리보기할|찾을|알|참고할|이용할|활용할|경험할|만나볼|다운로드 ?받을) ?수 ?(?:있다|있습니다|있음)$/;
const KO_CONDITION = /[가-힣]면[ ,]|(?:클릭|눌러|누르)[가-힣]*[ ,]/;
/** The honorific -시- before 수 있다/없다: addressed to the reader (확인하실, 보실, 받으실 수 있습니다). */
const KO_HONORIFIC = /실 ?수 ?(?:있|없)(?:습니다|어요|다|음)$/;
/** 수 있다/없다 in the polite register (합니다체, 해요체). */
const KO_POLITE = /수 ?(?:있|없)(?:습니다|어요|지요|죠)$/;
/**
 * Framing that makes a polite 수 있다/없다 a rule: the particle 만 (관리자만, …에서만; not 하지만,
 * 뿐만, 다만, 만약, 만큼), 에 한해/한하여/한정, 반드시, 오직, 유일하게.
 */
const KO_NORMATIVE = /(?<=[가-힣])(?<![지뿐]|(?:^|\s)다)만(?:이|을|은)?\s|에 ?한(?:해|하여|정)|반드시|오직|유일하게/;
const KO_QUESTION = /(?:인가|는가|을까|할까|습니까|나요|까요|는지|을지)$/;
const KO_PAST =
  /(?:했다|였다|었다|았다|됐다|되었다|했습니다|였습니다|었습니다|았습니다|됐습니다|되었습니다|했음|였음|었음|았음)$/;

/** The Korean modal of a cleaned sentence, from its ending. */
export function koreanModal(clean: string): Modal | undefined {
  const tailStart = Math.max(0, clean.length - 48);
  const tail = clean.slice(tailStart);
  for (const [re, priority] of KO_ENDINGS) {
    const m = re.exec(tail);
    if (m) {
      const at = tailStart + m.index;
      const wordStart = clean.lastIndexOf(" ", at - 1) + 1;
      return { priority, keyword: clean.slice(wordStart), language: "ko", endingAt: at };
    }
  }
  return undefined;
}

export function koreanQuestion(clean: string): boolean {
  return KO_QUESTION.test(clean);
}

export function koreanPast(clean: string): boolean {
  return KO_PAST.test(clean);
}

/** "X는 …을 허용하지 않습니다": what a system does, in the active voice and the polite register (the passive 허용되지 않습니다 states a rule). */
const KO_POLITE_DOES_NOT_ALLOW = /허용하지 ?않습니다$/;
/** Where the last clause of a sentence starts: after its last comma or clause-joining ending (…고, …며, …지만, …므로, …도록 …). */
const CLAUSE_JOIN = /(?:,|[가-힣](?:고|며|지만|는데|어서|아서|라서|므로|니까|면서|도록))\s/g;

function lastClause(clean: string): string {
  let at = 0;
  CLAUSE_JOIN.lastIndex = 0;
  for (let m = CLAUSE_JOIN.exec(clean); m; m = CLAUSE_JOIN.exec(clean)) at = m.index + m[0].length;
  return clean.slice(at);
}

/** Whether a Korean sentence with this priority describes what one can (not) do rather than stating a rule. */
export function koreanDescription(clean: string, priority: Priority, rulesSection: boolean): boolean {
  if (priority === "MUST NOT" && KO_POLITE_DOES_NOT_ALLOW.test(clean))
    return !rulesSection && !KO_NORMATIVE.test(lastClause(clean));
  const ability =
    priority === "MAY" ? /수 ?있[가-힣]*$/.test(clean) : priority === "MUST NOT" && /수 ?없[가-힣]*$/.test(clean);
  if (!ability) return false;
  if (KO_HONORIFIC.test(clean)) return true;
  if (priority === "MAY" && (KO_SEEING.test(clean) || KO_CONDITION.test(clean))) return true;
  // The framing must be the last clause's own: in "…결과만 볼 수 있고 … 바꿀 수 없습니다" the 만 restricts the first clause.
  return KO_POLITE.test(clean) && !rulesSection && !KO_NORMATIVE.test(lastClause(clean));
}
