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

interface Cell {
  text: string;
  colspan: number;
  rowspan: number;
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

  addCell(text: string, colspan: string | undefined, rowspan: string | undefined): void {
    if (this.row === null) this.startRow();
    this.row!.push({ text, colspan: span(colspan, MAX_COLSPAN), rowspan: span(rowspan, MAX_ROWSPAN) });
  }

  /**
   * The pipe table: the first row is the header (Confluence puts its `th` row first; a table
   * without one gets its first row promoted), spans expanded into empty cells so every row has
   * the same number of cells. Inside another table's cell, rows become lines `a | b`, whose pipes
   * the outer table escapes: pipes are escaped exactly once, by the outermost table (`\\|` is
   * read differently by different GFM parsers).
   */
  render(nested: boolean): string {
    const grid = expand(this.rows, !nested);
    if (grid.length === 0) return "";
    const width = Math.min(MAX_COLUMNS, Math.max(1, ...grid.map((r) => r.length)));
    if (nested) return grid.map((r) => r.slice(0, width).join(" | ").trim()).filter((l) => l !== "").join("\n");
    const line = (cells: string[]) => {
      let s = "|";
      for (let i = 0; i < width; i++) {
        const c = cells[i] ?? "";
        s += c === "" ? " |" : ` ${c} |`;
      }
      return s;
    };
    const out = [line(grid[0]!), `|${" --- |".repeat(width)}`];
    for (let i = 1; i < grid.length; i++) out.push(line(grid[i]!));
    return out.join("\n");
  }
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
function expand(rows: Cell[][], escape: boolean): string[][] {
  const grid: string[][] = [];
  let carry: number[] = [];
  for (const row of rows) {
    const out: string[] = [];
    let col = 0;
    const next = carry.map((n) => Math.max(0, n - 1));
    for (const cell of row) {
      while ((carry[col] ?? 0) > 0) out[col++] = "";
      for (let k = 0; k < cell.colspan && col + k < MAX_COLUMNS; k++) {
        out[col + k] = k === 0 ? (escape ? escapePipes(cell.text) : cell.text) : "";
        if (cell.rowspan > 1) next[col + k] = cell.rowspan - 1;
      }
      col += cell.colspan;
    }
    for (let c = col; c < carry.length; c++) if ((carry[c] ?? 0) > 0) out[c] = "";
    for (let c = 0; c < out.length; c++) if (out[c] === undefined) out[c] = "";
    carry = next;
    grid.push(out);
  }
  return grid;
}
