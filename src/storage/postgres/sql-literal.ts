/**
 * @module
 * Values written into SQL text, for the few statements sent as one simple query (settings and
 * a statement together, where bind parameters cannot be used). A string becomes a quoted
 * literal that means the same whatever `standard_conforming_strings` says; a number must be a
 * safe integer. Anything else is refused rather than written.
 */

/** `text` as a SQL string literal: quotes doubled, and backslashes doubled in an `E'...'` literal. */
export function textLiteral(text: string): string {
  if (text.includes('\0')) throw new TypeError('A SQL literal cannot hold a NUL character')
  const quoted = `'${text.replaceAll("'", "''")}'`
  return text.includes('\\') ? `E${quoted.replaceAll('\\', '\\\\')}` : quoted
}

/** `value` as a SQL integer literal; anything but a safe integer throws. */
export function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`Expected a safe integer for SQL, got ${String(value)}`)
  return String(value)
}
