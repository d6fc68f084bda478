/**
 * Aborts every request a client (and the clients of other environments sharing its session) has in flight, for
 * callers that cannot thread an AbortSignal through the layers above the client (e.g. an interactive SQL shell's
 * Ctrl-C while the TypeORM driver runs a statement). Requests started after `cancelAll()` are not affected.
 */
export class CancelScope {
  #controller = new AbortController();

  /** The signal of the requests now in flight; a request combines it with its own `signal` option. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  cancelAll(): void {
    const current = this.#controller;
    this.#controller = new AbortController();
    current.abort();
  }
}
