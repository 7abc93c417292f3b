/**
 * The Drift Radar: the gate's PR comment — headline score and decision with
 * thresholds, a table per area, one card per violation (rule and priority, `file:line` linked
 * when the repository and commit are known, the problem, the fix from the rule), the score after
 * fixing the mandatory violations, and what was not scored.
 *
 * It starts with {@link RADAR_MARKER} so later runs find and update the same comment, and it is
 * never longer than {@link MAX_RADAR_CHARS}: cards are added while they fit, the rest is counted.
 * Every text from findings or rules goes through the escaping helpers of report/formatters/markdown.ts.
 */
import { codeSpan, fencedCode, inline, langOfFile, link, table } from "../report/formatters/markdown.js";
import { radarText } from "./radar-text.js";
import type { GateResult, GateViolation, RadarLang } from "./types.js";

export const RADAR_MARKER = "<!-- specgate:drift-radar -->";
/** GitHub refuses comments over 65,536 characters; stay clear of it. */
export const MAX_RADAR_CHARS = 65_000;
const MAX_CARDS = 50;
const MAX_AREA_ROWS = 30;
const MAX_UNMAPPED_ROWS = 20;

export interface RadarOptions {
  lang?: RadarLang;
  /** Hard limit on the length (default 65,000). */
  maxChars?: number;
  /** Violation cards at most (default 50). */
  maxCards?: number;
}

export function renderRadar(result: Omit<GateResult, "radar_markdown">, options: RadarOptions = {}): string {
  const t = radarText(options.lang ?? "en");
  const maxChars = options.maxChars ?? MAX_RADAR_CHARS;
  const maxCards = options.maxCards ?? MAX_CARDS;
  const { thresholds: th } = result;
  const head: string[] = [RADAR_MARKER, `## ${t.title}`, "", `### ${t.overall}`, ""];
  head.push(
    `**Drift Score: ${fmt(result.drift_score)}/100** · **${t.decisionLabel[result.decision]}** (${t.thresholds(th.fail, th.warn)})`,
    "",
  );
  head.push(t.verdict[result.decision], "");
  if (result.quality_gate) {
    const q = result.quality_gate;
    head.push(
      table(
        [t.gate, t.result, t.decision],
        ["l", "r", "l"],
        [
          [t.drift, `${fmt(result.drift_score)}/100`, t.decisionLabel[result.drift_decision]],
          [t.quality, `${q.score}/100 (${q.grade})`, t.decisionLabel[q.decision]],
        ],
      ),
      "",
    );
    if (q.decision !== "PASS" && q.top?.length) {
      head.push(`**${t.qualityTop(q.document ? inline(q.document, 120) : undefined)}**`, "");
      for (const p of q.top)
        head.push(
          `- ${t.card.line} ${p.line}: ${codeSpan(p.code, 60)}${p.rule_id ? ` (${inline(p.rule_id, 40)})` : ""} — ${inline(p.message, 300)}`,
        );
      head.push("");
    }
  }

  head.push(`### ${t.areasTitle}`, "");
  const areaRows = result.areas
    .slice(0, MAX_AREA_ROWS)
    .map((a) => [
      inline(t.areaNames[a.area] ?? a.area, 40),
      `${fmt(a.score)}/100`,
      a.score >= th.warn && a.score > 0 ? t.status.risk : a.score > 0 ? t.status.attention : t.status.clean,
      String(a.count),
      a.top.length ? a.top.map((x) => `${inline(x.rule_id, 40)} ×${x.count}`).join(", ") : "-",
    ]);
  head.push(table(t.areaHeader, ["l", "r", "l", "r", "l"], areaRows), "");
  if (result.areas.length > MAX_AREA_ROWS) head.push(t.moreAreas(result.areas.length - MAX_AREA_ROWS), "");

  const tail = nextSteps(result, t);
  const headText = head.join("\n");
  const tailText = tail.join("\n");

  const total = result.stats.violations;
  const cardsHeader = `### ${t.violationsTitle(total)}\n\n`;
  const cards: string[] = [];
  // Leave room for the "… and N more" line whatever the count.
  let budget = maxChars - headText.length - tailText.length - cardsHeader.length - 300;
  for (const [i, v] of result.violations.entries()) {
    if (i >= maxCards) break;
    const card = renderCard(v, i + 1, t);
    if (card.length + 2 > budget) break;
    cards.push(card);
    budget -= card.length + 2;
  }
  let middle = cardsHeader;
  if (total === 0) middle += `${t.noViolations}\n`;
  else middle += cards.join("\n\n") + "\n";
  if (total > cards.length) middle += `\n${t.moreViolations(total - cards.length)}\n`;

  const out = `${headText}\n${middle}\n${tailText}\n`;
  return out.length <= maxChars ? out : `${out.slice(0, out.lastIndexOf("\n", maxChars - 2))}\n`;
}

function renderCard(v: GateViolation, n: number, t: ReturnType<typeof radarText>): string {
  const where = v.file ? `${v.file}${v.line ? `:${v.line}` : ""}` : undefined;
  const location = where ? (v.url ? link(codeSpan(where), v.url) : codeSpan(where)) : t.card.noLocation;
  const w = v.weights;
  const lines = [
    `#### ${n}. ${inline(v.rule_id, 40)} (${v.priority}) — ${inline(v.title, 120)}`,
    `- **${t.card.file}**: ${location}`,
    `- **${t.card.problem}**: ${inline(v.message, 600)}`,
    `- **${t.card.fix}**: ${inline(v.fix, 600)}`,
    `- **${t.card.points}**: ${w.violation_points} × ${w.rule_weight} × ${w.area_weight} = ${fmtPoints(v.points)}`,
  ];
  if (v.code_example) {
    lines.push(
      "",
      `<details><summary>${t.card.example}</summary>`,
      "",
      fencedCode(v.code_example, langOfFile(v.file)),
      "",
      "</details>",
    );
  }
  return lines.join("\n");
}

function nextSteps(result: Omit<GateResult, "radar_markdown">, t: ReturnType<typeof radarText>): string[] {
  const out = [`### ${t.improveTitle}`, ""];
  const a = result.after_fix;
  out.push(
    a.fixed > 0
      ? `- ${t.afterFix(a.fixed, fmt(a.drift_score), t.decisionLabel[a.decision])}`
      : `- ${t.nothingMandatory}`,
  );
  const hot = result.areas.filter((x) => x.count > 0).sort((x, y) => y.score - x.score || (x.area < y.area ? -1 : 1));
  if (hot.length > 1)
    out.push(
      `- ${t.order(
        hot
          .slice(0, 5)
          .map((x) => inline(t.areaNames[x.area] ?? x.area, 40))
          .join(" → "),
      )}`,
    );
  const s = result.stats;
  out.push(`- ${t.notScored(s.suppressed, s.unmapped, s.not_failures)}`, "");
  if (s.unmapped_rules.length > 0) {
    const rows = s.unmapped_rules
      .slice(0, MAX_UNMAPPED_ROWS)
      .map((u) => [inline(u.producer_rule_id, 120) || "-", String(u.count), inline(u.reason, 200)]);
    out.push(
      `<details><summary>${t.unmappedTitle} (${s.unmapped})</summary>`,
      "",
      table(t.unmappedHeader, ["l", "r", "l"], rows),
      "",
    );
    if (s.unmapped_rules.length > MAX_UNMAPPED_ROWS)
      out.push(t.moreUnmapped(s.unmapped_rules.length - MAX_UNMAPPED_ROWS), "");
    out.push("</details>", "");
  }
  out.push(`<sub>${t.footer}</sub>`);
  return out;
}

/** A score with one decimal, as the formula defines it. */
function fmt(score: number): string {
  return score.toFixed(1);
}

/** A violation's points: as many decimals as it has (at most six), no float noise. */
function fmtPoints(points: number): string {
  return String(Math.round(points * 1e6) / 1e6);
}
