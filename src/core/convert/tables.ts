/**
 * Tables → GFM pipe tables. Cells arrive already rendered (one line each, see
 * `Container.finish`); the table is buffered until it closes, because spans and the column count
 * are only known then. A table is the one structure held whole, and it is held as the Markdown
 * strings of its cells, never as a DOM.
 */

/** Spans beyond these are treated as these: a hostile `colspan="100000"` must not allocate millions of cells. */
const MAX_COLSPAN = 64;
const MAX_ROWSPAN = 65_534;
const MAX_COLUMNS = 256;

export type Alignment = "left" | "center" | "right";

interface Cell {
  text: string;
  colspan: number;
  rowspan: number;
  align: Alignment | undefined;
}

export class TableBuilder {
  private readonly rows: Cell[][] = [];
  private row: Cell[] | null = null;

  startRow(): void {
    this.row = [];
    this.rows.push(this.row);
  }

  endRow(): void {
    this.row = null;
  }

  addCell(text: string, colspan: string | undefined, rowspan: string | undefined, align?: Alignment): void {
    if (this.row === null) this.startRow();
    this.row!.push({ text, colspan: span(colspan, MAX_COLSPAN), rowspan: span(rowspan, MAX_ROWSPAN), align });
  }

  /**
   * The pipe table: the first row is the header (Confluence puts its `th` row first; a table
   * without one gets its first row promoted), spans expanded into empty cells so every row has
   * the same number of cells. Inside another table's cell, rows become lines `a | b`, whose pipes
   * the outer table escapes: pipes are escaped exactly once, by the outermost table (`\\|` is
   * read differently by different GFM parsers). A column is aligned (`:---:`, `---:`, `:---`) as
   * its header cell is, or else as all its aligned body cells agree.
   */
  render(nested: boolean): string {
    const { grid, aligns: cellAligns } = expand(this.rows, !nested);
    if (grid.length === 0) return "";
    const width = Math.min(MAX_COLUMNS, Math.max(1, ...grid.map((r) => r.length)));
    if (nested)
      return grid
        .map((r) => r.slice(0, width).join(" | ").trim())
        .filter((l) => l !== "")
        .join("\n");
    const line = (cells: string[]) => {
      let s = "|";
      for (let i = 0; i < width; i++) {
        const c = cells[i] ?? "";
        s += c === "" ? " |" : ` ${c} |`;
      }
      return s;
    };
    const aligns = columnAlignments(cellAligns, width);
    let delimiter = "|";
    for (let i = 0; i < width; i++) delimiter += ` ${DELIMITERS[aligns[i] ?? "none"]} |`;
    const out = [line(grid[0]!), delimiter];
    for (let i = 1; i < grid.length; i++) out.push(line(grid[i]!));
    return out.join("\n");
  }
}

const DELIMITERS: Readonly<Record<Alignment | "none", string>> = {
  none: "---",
  left: ":---",
  center: ":---:",
  right: "---:",
};

/** A cell's say in its column's alignment: its own, "none" when it sets none, undefined when empty. */
type Vote = Alignment | "none" | undefined;

/**
 * Per column: the header cell's alignment, else the alignment every written body cell shares
 * (empty cells do not vote; one written without an alignment keeps the column plain).
 */
function columnAlignments(aligns: Vote[][], width: number): (Alignment | undefined)[] {
  const out: (Alignment | undefined)[] = [];
  for (let c = 0; c < width; c++) {
    const head = aligns[0]?.[c];
    if (head !== undefined && head !== "none") {
      out.push(head);
      continue;
    }
    let body: Vote | null;
    for (let r = 1; r < aligns.length; r++) {
      const a = aligns[r]![c];
      if (a !== undefined) body = body === undefined || body === a ? a : null;
    }
    out.push(body === undefined || body === null || body === "none" ? undefined : body);
  }
  return out;
}

function span(value: string | undefined, max: number): number {
  const n = value === undefined ? 1 : Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
}

/** A cell's content never contains a line break; its pipes must not end the cell. */
function escapePipes(text: string): string {
  return text.includes("|") ? text.replace(/\|/g, "\\|") : text;
}

/** Places cells on a grid: a rowspan occupies the cells below, a colspan the cells to the right. */
function expand(rows: Cell[][], escape: boolean): { grid: string[][]; aligns: Vote[][] } {
  const grid: string[][] = [];
  const aligns: Vote[][] = [];
  let carry: number[] = [];
  for (const row of rows) {
    const out: string[] = [];
    const align: Vote[] = [];
    let col = 0;
    const next = carry.map((n) => Math.max(0, n - 1));
    for (const cell of row) {
      while ((carry[col] ?? 0) > 0) out[col++] = "";
      for (let k = 0; k < cell.colspan && col + k < MAX_COLUMNS; k++) {
        out[col + k] = k === 0 ? (escape ? escapePipes(cell.text) : cell.text) : "";
        // An empty cell has no say in its column's alignment; a written one without any says "none".
        align[col + k] = k === 0 && cell.text !== "" ? (cell.align ?? "none") : undefined;
        if (cell.rowspan > 1) next[col + k] = cell.rowspan - 1;
      }
      col += cell.colspan;
    }
    for (let c = col; c < carry.length; c++) if ((carry[c] ?? 0) > 0) out[c] = "";
    for (let c = 0; c < out.length; c++) if (out[c] === undefined) out[c] = "";
    carry = next;
    grid.push(out);
    aligns.push(align);
  }
  return { grid, aligns };
}
