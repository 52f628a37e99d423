/**
 * @module
 * Texts kept as UTF-8 bytes in shared slabs, outside the JavaScript heap. The memory store
 * keeps thousands of finished executions; as strings they were copied twice by the young-
 * generation GC and then marked on every full one, which cost a quarter of a delivery's time.
 * As bytes in an ArrayBuffer the collector moves only a small view per text. Slabs are filled
 * in order and dropped with their last view, so texts that die in order (a bounded history)
 * free their slabs in order too; slabs are small (32 KiB), so texts kept out of order (a few
 * survivors of many deleted runs) pin little memory each.
 *
 * ```ts
 * const slab = new TextSlab()
 * const bytes = slab.keep('{"ok":true}')
 * slab.read(bytes) // '{"ok":true}'
 * ```
 */

const SLAB_BYTES = 32 * 1024
/** Longer texts get bytes of their own: a slab lives as long as its longest-kept text. */
const LARGE_TEXT = SLAB_BYTES / 4
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class TextSlab {
  #slab = new Uint8Array(SLAB_BYTES)
  #used = 0

  /** The text's UTF-8 bytes, in the current slab when they fit (a text of its own otherwise). */
  keep(text: string): Uint8Array {
    if (text.length > LARGE_TEXT) return encoder.encode(text)
    let start = this.#used
    let { read, written } = encoder.encodeInto(text, this.#slab.subarray(start))
    if (read < text.length) {
      // Did not fit in what is left: a new slab (at most 3 bytes per code unit, so it fits).
      this.#slab = new Uint8Array(SLAB_BYTES)
      start = 0
      ;({ read, written } = encoder.encodeInto(text, this.#slab))
    }
    this.#used = start + written
    return this.#slab.subarray(start, this.#used)
  }

  read(bytes: Uint8Array): string {
    return decoder.decode(bytes)
  }
}
