/**
 * What a call changed outside its result, told to whoever listens: the MCP server turns it into
 * resource notifications (`notifications/resources/updated`), and anything else may listen too.
 * One emitter per runtime; tools emit through `ctx.events`.
 *
 * A listener runs synchronously inside the call that emitted; one that throws is logged by the
 * emitter's owner (`onError`) and never fails the call or the other listeners.
 */

/** Files a tool wrote under the workspace (paths relative to it, `/`-separated). */
export interface WorkspaceWritten {
  readonly type: "workspace-written";
  readonly paths: readonly string[];
}

export type ToolEvent = WorkspaceWritten;

export type ToolEventListener = (event: ToolEvent) => void;

export class ToolEvents {
  readonly #listeners = new Set<ToolEventListener>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  /** Adds a listener; the returned function removes it. */
  on(listener: ToolEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: ToolEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
