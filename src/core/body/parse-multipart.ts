/**
 * @module
 * `multipart/form-data` bodies (RFC 7578), parsed from the bytes already read: each field
 * becomes a string, each file `{ filename, contentType, size }` (plus `content`, base64, only
 * when the trigger asks with `request.files.includeContent`), so file bytes stay out of the
 * stored execution by default. A name that appears twice gives an array. Names are kept flat
 * (`a[b]` is the key `a[b]`), and a name holding a `__proto__` segment or `constructor[prototype]`
 * is refused (400), as in form and JSON bodies; `constructor` alone is a name like any other.
 *
 * ```ts
 * parseMultipart(bytes, 'x', { maxFiles: 10 })
 * // { name: 'Ada', avatar: { filename: 'a.png', contentType: 'image/png', size: 1234 } }
 * ```
 */
import { badRequest } from '../http-errors.js'
import { HookflowError } from '../../errors/hookflow-error.js'
import { forbiddenKeyIn, URL_ENCODED_LIMITS } from '../url-encoded.js'
import { toBase64 } from '../../http/base64.js'
import { parseParameters } from './media-type.js'

export interface MultipartLimits {
  /** Most files in one body. Default 10. */
  maxFiles?: number
  /** Largest file in bytes. Default: the body limit alone. */
  maxFileSize?: number
  /** Most bytes of all files together. Default: the body limit alone. */
  maxTotalSize?: number
  /** Keep each file's bytes in `$context.body` as base64 `content`. Default false. */
  includeContent?: boolean
}

export const DEFAULT_MAX_FILES = 10

/**
 * A file of a multipart body as `$context.body` holds it (its bytes in base64 `content` with `includeContent`).
 *
 * @example
 * ```ts
 * import { defineNode, type MultipartFile } from 'hookflow'
 *
 * const fileName = defineNode({
 *   type: 'file-name',
 *   run: ({ execution }) => ((execution.context.body as { upload: MultipartFile }).upload).filename,
 * })
 * ```
 */
export interface MultipartFile {
  /** The file name the client sent. */
  filename: string
  /** The part's `Content-Type`, or null. */
  contentType: string | null
  /** Bytes received. */
  size: number
  /** The bytes, base64 encoded; only with `files.includeContent`. */
  content?: string
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
const CR = 13
const LF = 10
const DASH = 45

const invalid = (why: string): HookflowError => badRequest('invalid_multipart', `Malformed multipart body: ${why}`)
const tooLarge = (code: string, message: string): HookflowError => new HookflowError(code, message, { status: 413 })

export function parseMultipart(bytes: Uint8Array, boundary: string, limits: MultipartLimits = {}): Record<string, unknown> {
  const delimiter = encoder.encode(`\r\n--${boundary}`)
  const out: Record<string, unknown> = {}
  let files = 0
  let fileBytes = 0
  let parts = 0
  // The first delimiter may open the body without the CRLF before it.
  let cursor = startsWith(bytes, delimiter, 2, 0) ? delimiter.byteLength - 2 : afterNext(bytes, delimiter, 0)
  for (;;) {
    if (cursor < 0) throw invalid('no closing boundary')
    if (bytes[cursor] === DASH && bytes[cursor + 1] === DASH) return out
    while (bytes[cursor] === 32 || bytes[cursor] === 9) cursor++
    if (bytes[cursor] !== CR || bytes[cursor + 1] !== LF) throw invalid('a boundary is not followed by CRLF')
    const headerStart = cursor + 2
    const end = indexOf(bytes, delimiter, headerStart)
    if (end < 0) throw invalid('no closing boundary')
    // A part without headers has its blank line right after the boundary line.
    const blank = bytes[headerStart] === CR && bytes[headerStart + 1] === LF
    const headersEnd = blank ? headerStart : indexOf(bytes, HEADERS_END, headerStart)
    if (headersEnd < 0 || headersEnd + (blank ? 2 : 4) > end) throw invalid('part headers do not end')
    const contentStart = headersEnd + (blank ? 2 : 4)
    if (++parts > URL_ENCODED_LIMITS.parameters) {
      throw badRequest('too_many_form_parameters', `Form has more than ${URL_ENCODED_LIMITS.parameters} parameters`)
    }
    const headers = blank ? '' : decodeText(bytes.subarray(headerStart, headersEnd))
    const part = readPartHeaders(headers)
    const content = bytes.subarray(contentStart, end)
    let value: unknown
    if (part.filename === undefined) {
      value = decodeText(content)
    } else {
      files++
      fileBytes += content.byteLength
      checkFileLimits(limits, files, content.byteLength, fileBytes)
      const file: MultipartFile = { filename: part.filename, contentType: part.contentType, size: content.byteLength }
      if (limits.includeContent === true) file.content = toBase64(content)
      value = file
    }
    add(out, part.name, value)
    cursor = end + delimiter.byteLength
  }
}

const HEADERS_END = new Uint8Array([CR, LF, CR, LF])

function checkFileLimits(limits: MultipartLimits, files: number, size: number, total: number): void {
  const maxFiles = limits.maxFiles ?? DEFAULT_MAX_FILES
  if (files > maxFiles) throw tooLarge('too_many_files', `Request has more than ${maxFiles} files`)
  if (limits.maxFileSize !== undefined && size > limits.maxFileSize) {
    throw tooLarge('file_too_large', `A file is larger than ${limits.maxFileSize} bytes`)
  }
  if (limits.maxTotalSize !== undefined && total > limits.maxTotalSize) {
    throw tooLarge('files_too_large', `Files are larger than ${limits.maxTotalSize} bytes together`)
  }
}

interface PartHeaders {
  name: string
  filename: string | undefined
  contentType: string | null
}

function readPartHeaders(text: string): PartHeaders {
  let disposition: string | undefined
  let contentType: string | null = null
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw invalid('a part header has no name')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'content-disposition') disposition ??= value
    else if (name === 'content-type') contentType ??= value
  }
  if (disposition === undefined) throw invalid('a part has no Content-Disposition')
  const semicolon = disposition.indexOf(';')
  if ((semicolon < 0 ? disposition : disposition.slice(0, semicolon)).trim().toLowerCase() !== 'form-data') {
    throw invalid('a part is not form-data')
  }
  const params = parseParameters(semicolon < 0 ? '' : disposition.slice(semicolon + 1))
  const name = params.get('name')
  if (name === undefined) throw invalid('a part has no name')
  const forbidden = forbiddenKeyIn(name)
  if (forbidden !== undefined) throw badRequest('forbidden_form_key', `Form key "${forbidden}" is not allowed`)
  const extended = params.get('filename*')
  const filename = extended === undefined ? params.get('filename') : (decodeExtended(extended) ?? params.get('filename'))
  return { name, filename, contentType }
}

// RFC 8187 `UTF-8''%e2%82%ac.txt`; other charsets are not decoded (the plain `filename` is used).
function decodeExtended(value: string): string | undefined {
  const match = /^utf-8'[^']*'(.*)$/i.exec(value)
  if (!match) return undefined
  try {
    return decodeURIComponent(match[1]!)
  } catch {
    return undefined
  }
}

function add(out: Record<string, unknown>, name: string, value: unknown): void {
  if (!Object.hasOwn(out, name)) {
    out[name] = value
    return
  }
  const current = out[name]
  if (Array.isArray(current)) current.push(value)
  else out[name] = [current, value]
}

function decodeText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch {
    throw badRequest('invalid_encoding', 'A multipart field is not valid UTF-8')
  }
}

function startsWith(bytes: Uint8Array, pattern: Uint8Array, from: number, at: number): boolean {
  if (at + pattern.byteLength - from > bytes.byteLength) return false
  for (let i = from; i < pattern.byteLength; i++) if (bytes[at + i - from] !== pattern[i]) return false
  return true
}

function indexOf(bytes: Uint8Array, pattern: Uint8Array, from: number): number {
  const first = pattern[0]!
  for (let at = bytes.indexOf(first, from); at >= 0; at = bytes.indexOf(first, at + 1)) {
    if (startsWith(bytes, pattern, 0, at)) return at
  }
  return -1
}

function afterNext(bytes: Uint8Array, pattern: Uint8Array, from: number): number {
  const at = indexOf(bytes, pattern, from)
  return at < 0 ? -1 : at + pattern.byteLength
}
