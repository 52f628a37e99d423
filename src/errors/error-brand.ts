/**
 * @module
 * A realm-safe brand for one error class. A dual ESM/CJS package can be loaded twice in one
 * process, so `instanceof` fails across the copies; a registry symbol is the same in both. Each
 * subclass of HookflowError gets its own, so `StorageUnavailableError.is(error)` is true for that
 * class (and its subclasses) only, not for every hookflow error.
 */

export interface ErrorBrand {
  /** Marks an error as one of the class; called in the class's constructor. */
  mark(error: Error): void
  /** True when `value` was marked by this brand, in any copy of the package. */
  has(value: unknown): boolean
}

export function errorBrand(name: string): ErrorBrand {
  const symbol = Symbol.for(`hookflow.error.${name}`)
  return {
    mark: (error) => Object.defineProperty(error, symbol, { value: true }),
    has: (value) => typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[symbol] === true,
  }
}
