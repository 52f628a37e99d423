/**
 * @module
 * Which content types a trigger accepts: JSON (`application/json`, any `+json` type) in
 * UTF-8, the only charset it decodes.
 */

export function isJsonContentType(header: string): boolean {
  const [essence = '', ...params] = header.split(';')
  const type = essence.trim().toLowerCase()
  if (type !== 'application/json' && !(type.includes('/') && type.endsWith('+json'))) return false
  for (const param of params) {
    const [name = '', value = ''] = param.split('=')
    if (name.trim().toLowerCase() !== 'charset') continue
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase()
    if (charset !== 'utf-8' && charset !== 'utf8') return false
  }
  return true
}
