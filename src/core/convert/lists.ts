/**
 * Lists: `-` bullets, `1.` ordered items (html-to-md-conversion.yaml: numbering is the renderer's
 * job; an explicit `start` other than 1 numbers the items from it), `- [x]`/`- [ ]` task items.
 * Continuation lines are indented to the item's content column, so nesting works at any depth.
 */
import { indentRest, startsWithBareMarker } from "./container.js";

export class ListBuilder {
  private readonly items: string[] = [];
  private readonly start: number;

  constructor(
    readonly ordered: boolean,
    start: string | undefined,
    readonly task: boolean,
  ) {
    const n = start === undefined ? 1 : Number.parseInt(start, 10);
    this.start = Number.isFinite(n) && n >= 0 && n < 1e9 ? n : 1;
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** Adds an item; `checked` applies to task lists (undefined = not a task item). */
  addItem(content: string, checked?: boolean): void {
    let marker: string;
    let width: number;
    if (checked !== undefined || this.task) {
      marker = checked ? "- [x]" : "- [ ]";
      width = 2;
    } else if (this.ordered) {
      marker = this.start === 1 ? "1." : `${this.start + this.items.length}.`;
      width = marker.length + 1;
    } else {
      marker = "-";
      width = 2;
    }
    if (content === "") {
      // An empty bullet or number could read as a setext underline after a paragraph: only
      // an empty task (its checkbox is content) is kept.
      if (checked !== undefined || this.task) this.items.push(marker);
      return;
    }
    // Text that would read as a task checkbox in a plain item is escaped.
    const body = checked === undefined && !this.task && /^\[[ xX]\]/.test(content) ? `\\${content}` : content;
    // `- ---` would be one thematic break, not an item holding one: the rule goes on the next line.
    if (marker === "-" && /^---(?:\n|$)/.test(body)) {
      this.items.push(`-\n${" ".repeat(width)}${indentRest(body, width)}`);
      return;
    }
    this.items.push(`${marker} ${indentRest(body, width)}`);
  }

  /**
   * A list written directly inside a list (`<ul><li>a</li><ul>…</ul></ul>`, common in older
   * Confluence pages) belongs to the item before it.
   */
  appendToLast(block: string): void {
    const last = this.items.length - 1;
    if (last < 0) {
      this.addItem(block);
      return;
    }
    const item = this.items[last]!;
    const width = /^\d+\. /.test(item) ? item.indexOf(" ") + 1 : 2;
    // A list starting with a bare marker line must not sit right under the item's text line.
    const gap = startsWithBareMarker(block) ? "\n\n" : "\n";
    this.items[last] = `${item}${gap}${" ".repeat(width)}${indentRest(block, width)}`;
  }

  render(): string {
    return this.items.join("\n");
  }
}
