/**
 * Responses not yet finished, counted so that shutdown can wait for them: POSTs to /mcp get to
 * write their answer (a result, or E_CANCELLED once the drain bound passes), and the rest theirs,
 * before the connections are closed.
 */
import type { ServerResponse } from "node:http";

export class OpenResponses {
  private posts = 0;
  private all = 0;
  private answered: (() => void) | undefined;

  /** Counts `res` until it closes; `onClose` runs then too. */
  track(res: ServerResponse, post: boolean, onClose?: () => void): void {
    this.all++;
    if (post) this.posts++;
    res.once("close", () => {
      this.all--;
      if (post) this.posts--;
      onClose?.();
      this.answered?.();
    });
  }

  /** Resolves once every /mcp POST has been answered, or after `ms`. */
  postsAnswered(ms: number): Promise<void> {
    return this.settle(() => this.posts === 0, ms);
  }

  /** Resolves once every response has been answered, or after `ms`. */
  allAnswered(ms: number): Promise<void> {
    return this.settle(() => this.all === 0, ms);
  }

  /** Resolves once `done()` holds (checked as responses finish), or after `ms`. */
  private settle(done: () => boolean, ms: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.answered = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.answered = () => done() && finish();
    });
  }
}
