/**
 * @module
 * Texts kept as UTF-8 bytes in shared slabs, outside the JavaScript heap. The memory store
 * keeps thousands of finished executions; as strings they were copied twice by the young-
 * generation GC and then marked on every full one, which cost a quarter of a delivery's time.
 * As bytes in an ArrayBuffer the collector moves only a small view per text. Slabs are filled
 * in order and dropped with their last view, so texts that die in order (a bounded history)
 * free their slabs in order too.
 *
 * ```ts
 * const slab = new TextSlab()
 * const bytes = slab.keep('{"ok":true}')
 * slab.read(bytes) // '{"ok":true}'
 * ```
 */

const SLAB_BYTES = 256 * 1024
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class TextSlab {
  #slab = new Uint8Array(SLAB_BYTES)
  #used = 0

  /** The text's UTF-8 bytes, in the current slab when they fit (a text of its own otherwise). */
  keep(text: string): Uint8Array {
    // At most 3 bytes per UTF-16 code unit: checked before writing, so a text never splits.
    const most = text.length * 3
    if (most > SLAB_BYTES / 8) return encoder.encode(text)
    if (this.#used + most > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES)
      this.#used = 0
    }
    const start = this.#used
    const { written } = encoder.encodeInto(text, this.#slab.subarray(start))
    this.#used = start + written
    return this.#slab.subarray(start, this.#used)
  }

  read(bytes: Uint8Array): string {
    return decoder.decode(bytes)
  }
}
