/**
 * The Confluence pages this server has served (through confluence_fetch or a confluence://
 * resource), newest last: what completions offer for `page_id` and `space_key`.
 *
 * Why not the cache itself: the cache has no listing (its L1 is keyed by the cache, and listing L2
 * would be a Redis SCAN of every key on each keystroke), and its page records would have to be
 * decoded for their titles. A small list kept beside the MCP server answers in microseconds; it is
 * per process and forgets on restart, which is what completion hints can afford.
 */
export interface SeenPage {
  id: string;
  title: string;
  spaceKey: string;
}

export class SeenPages {
  readonly #pages = new Map<string, SeenPage>();
  readonly #max: number;

  constructor(max = 1000) {
    this.#max = max;
  }

  record(page: SeenPage): void {
    this.#pages.delete(page.id);
    this.#pages.set(page.id, { id: page.id, title: page.title, spaceKey: page.spaceKey });
    if (this.#pages.size > this.#max) this.#pages.delete(this.#pages.keys().next().value!);
  }

  /** Most recently seen first. */
  list(): SeenPage[] {
    return [...this.#pages.values()].reverse();
  }
}
