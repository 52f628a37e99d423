/**
 * @module
 * An abort that makes an `AbortSignal` only when node code asks for one. Creating a signal
 * costs a few microseconds on Node 20 (it is a transferable object); most executions run
 * built-in nodes that never look at it, so the engine keeps plain callbacks until then.
 */

export class LazyAbort {
  #controller: AbortController | undefined
  #listeners: Array<(reason: unknown) => void> = []
  #aborted = false
  #reason: unknown

  get aborted(): boolean {
    return this.#aborted
  }

  get reason(): unknown {
    return this.#reason
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
    const listeners = this.#listeners
    this.#listeners = []
    for (const listener of listeners) listener(reason)
  }

  /** Calls `listener` once on abort (at once if aborted already); returns the unsubscribe. */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason)
      return () => undefined
    }
    this.#listeners.push(listener)
    return () => {
      const index = this.#listeners.indexOf(listener)
      if (index >= 0) this.#listeners.splice(index, 1)
    }
  }
}
