import { describe, expect, it } from 'vitest'
import { createEngine, type WorkflowDefinition } from '../../src/index.js'
import { definitionProblems } from '../engine/helpers.js'
import { expectErrorBody, expectNoExecution, idPath, request, settledExecution, setup } from '../helpers/webhook.js'

function accepting(contentTypes: string[] | undefined, extra: Record<string, unknown> = {}): WorkflowDefinition {
  return {
    key: 'in',
    trigger: { type: 'webhook', id: 'in', request: { ...(contentTypes ? { contentTypes } : {}), ...extra } },
    nodes: [],
  } as WorkflowDefinition
}

const path = idPath('in')

function send(body: BodyInit, headers: Record<string, string> = {}): Request {
  return request(path, { method: 'POST', headers, body })
}

function form(fields: Record<string, string | Blob>, files: Array<[string, Blob, string]> = []): FormData {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.append(name, value)
  for (const [name, blob, filename] of files) data.append(name, blob, filename)
  return data
}

describe('request.contentTypes: which bodies a trigger accepts', () => {
  it('accepts JSON only by default and answers 415 to a form body, naming what it takes', async () => {
    const { engine, trigger } = setup([accepting(undefined)])
    const response = await trigger.fetch(send('a=1', { 'content-type': 'application/x-www-form-urlencoded' }))
    expect(response.status).toBe(415)
    expect((await expectErrorBody(response, 'unsupported_media_type')).message).toMatch(/application\/json/)
    await expectNoExecution(engine)
  })

  it('names the request.contentTypes setting in its 415', async () => {
    const { trigger } = setup([accepting(undefined)])
    const response = await trigger.fetch(send('hello', { 'content-type': 'text/plain' }))
    expect((await expectErrorBody(response, 'unsupported_media_type')).message).toMatch(/trigger\.request\.contentTypes/)
  })

  it('answers 415 to a type the trigger does not list even when it lists others', async () => {
    const { engine, trigger } = setup([accepting(['form', 'text'])])
    const response = await trigger.fetch(send('{}', { 'content-type': 'application/json' }))
    expect(response.status).toBe(415)
    expect((await expectErrorBody(response)).message).toMatch(/application\/x-www-form-urlencoded or text\/\*/)
    await expectNoExecution(engine)
  })

  it('refuses an unknown kind at register with the path of the entry', () => {
    const problems = definitionProblems(createEngine(), accepting(['json', 'xml']))
    expect(problems.map((p) => p.path)).toContain('/trigger/request/contentTypes/1')
  })

  it('refuses an empty contentTypes list at register', () => {
    const problems = definitionProblems(createEngine(), accepting([]))
    expect(problems.map((p) => p.path)).toContain('/trigger/request/contentTypes')
  })
})

describe('form-urlencoded bodies', () => {
  it('parses fields with qs into $context.body', async () => {
    const { engine, trigger } = setup([accepting(['form'])])
    const response = await trigger.fetch(send('name=Ada+L&tags[]=a&tags[]=b&o[k]=v', { 'content-type': 'application/x-www-form-urlencoded' }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ name: 'Ada L', tags: ['a', 'b'], o: { k: 'v' } })
  })

  it('takes a URLSearchParams body as a browser would send it', async () => {
    const { engine, trigger } = setup([accepting(['form'])])
    const response = await trigger.fetch(send(new URLSearchParams({ amount: '12.50', note: 'a&b=c' })))
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ amount: '12.50', note: 'a&b=c' })
  })

  it('keeps constructor and prototype keys as data', async () => {
    const { engine, trigger } = setup([accepting(['form'])])
    const response = await trigger.fetch(send('constructor=Red+Bull&a[prototype]=1&a[constructor][name]=x', { 'content-type': 'application/x-www-form-urlencoded' }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ constructor: 'Red Bull', a: { prototype: '1', constructor: { name: 'x' } } })
  })

  it.each(['__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'a[constructor][prototype][polluted]=1', '%5F%5Fproto%5F%5F[polluted]=1'])(
    'refuses the form key in %s with 400',
    async (body) => {
      const { engine, trigger } = setup([accepting(['form'])])
      const response = await trigger.fetch(send(body, { 'content-type': 'application/x-www-form-urlencoded' }))
      expect(response.status).toBe(400)
      await expectErrorBody(response, 'forbidden_form_key')
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      await expectNoExecution(engine)
    },
  )

  it('refuses more than 100 parameters with 400 instead of dropping the rest', async () => {
    const { engine, trigger } = setup([accepting(['form'])])
    const body = Array.from({ length: 101 }, (_, i) => `p${i}=1`).join('&')
    const response = await trigger.fetch(send(body, { 'content-type': 'application/x-www-form-urlencoded' }))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'too_many_form_parameters')
    await expectNoExecution(engine)
  })

  it('answers 415 to a form body in a charset other than UTF-8', async () => {
    const { trigger } = setup([accepting(['form'])])
    const response = await trigger.fetch(send('a=1', { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }))
    expect(response.status).toBe(415)
  })
})

describe('multipart/form-data bodies', () => {
  it('keeps fields as strings and files as { filename, contentType, size } without their bytes', async () => {
    const { engine, trigger } = setup([accepting(['multipart'])])
    const avatar = new Blob([new Uint8Array(300).fill(7)], { type: 'image/png' })
    const response = await trigger.fetch(send(form({ name: 'Ada', note: 'naïve' }, [['avatar', avatar, 'ada.png']])))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({
      name: 'Ada',
      note: 'naïve',
      avatar: { filename: 'ada.png', contentType: 'image/png', size: 300 },
    })
  })

  it('keeps file bytes as base64 content only when request.files.includeContent asks', async () => {
    const { engine, trigger } = setup([accepting(['multipart'], { files: { includeContent: true } })])
    const response = await trigger.fetch(send(form({}, [['doc', new Blob(['hello'], { type: 'text/plain' }), 'a.txt']])))
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ doc: { filename: 'a.txt', contentType: 'text/plain', size: 5, content: btoa('hello') } })
  })

  it('gives repeated names as arrays', async () => {
    const { engine, trigger } = setup([accepting(['multipart'])])
    const data = new FormData()
    data.append('tag', 'a')
    data.append('tag', 'b')
    const execution = await settledExecution(engine, await trigger.fetch(send(data)))
    expect(execution.context.body).toEqual({ tag: ['a', 'b'] })
  })

  it('answers 413 past maxFileSize, maxFiles and maxTotalSize, creating nothing', async () => {
    const { engine, trigger } = setup([accepting(['multipart'], { files: { maxFiles: 2, maxFileSize: 100, maxTotalSize: 150 } })])
    const blob = (size: number): Blob => new Blob([new Uint8Array(size)])
    const cases: Array<[string, Array<[string, Blob, string]>]> = [
      ['file_too_large', [['f', blob(101), 'a']]],
      ['too_many_files', [['f', blob(1), 'a'], ['f', blob(1), 'b'], ['f', blob(1), 'c']]],
      ['files_too_large', [['f', blob(100), 'a'], ['g', blob(51), 'b']]],
    ]
    for (const [code, files] of cases) {
      const response = await trigger.fetch(send(form({}, files)))
      expect(response.status, code).toBe(413)
      await expectErrorBody(response, code)
    }
    await expectNoExecution(engine)
  })

  it('keeps the field names constructor and a[prototype] as data', async () => {
    const { engine, trigger } = setup([accepting(['multipart'])])
    const execution = await settledExecution(engine, await trigger.fetch(send(form({ constructor: 'Red Bull', 'a[prototype]': 'x' }))))
    expect(execution.context.body).toEqual({ constructor: 'Red Bull', 'a[prototype]': 'x' })
  })

  it.each(['__proto__', 'a[__proto__]', 'constructor[prototype]'])('refuses the field name %s with 400', async (name) => {
    const { engine, trigger } = setup([accepting(['multipart'])])
    const response = await trigger.fetch(send(form({ [name]: 'x' })))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'forbidden_form_key')
    await expectNoExecution(engine)
  })

  it('answers 400 to a body that never closes its boundary', async () => {
    const { engine, trigger } = setup([accepting(['multipart'])])
    const body = '--b\r\ncontent-disposition: form-data; name="a"\r\n\r\nvalue'
    const response = await trigger.fetch(send(body, { 'content-type': 'multipart/form-data; boundary=b' }))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'invalid_multipart')
    await expectNoExecution(engine)
  })

  it('reads an RFC 8187 filename* and a preamble before the first boundary', async () => {
    const { engine, trigger } = setup([accepting(['multipart'])])
    const body =
      'ignored preamble\r\n--xyz\r\n' +
      `content-disposition: form-data; name="f"; filename="euro.txt"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\n` +
      'abc\r\n--xyz--\r\n'
    const execution = await settledExecution(engine, await trigger.fetch(send(body, { 'content-type': 'multipart/form-data; boundary="xyz"' })))
    expect(execution.context.body).toEqual({ f: { filename: '€.txt', contentType: null, size: 3 } })
  })

  it('answers 415 to multipart without a boundary', async () => {
    const { trigger } = setup([accepting(['multipart'])])
    const response = await trigger.fetch(send('x', { 'content-type': 'multipart/form-data' }))
    expect(response.status).toBe(415)
  })
})

describe('text/* bodies', () => {
  it('gives the text as a string', async () => {
    const { engine, trigger } = setup([accepting(['text'])])
    const execution = await settledExecution(engine, await trigger.fetch(send('hello, world', { 'content-type': 'text/plain' })))
    expect(execution.context.body).toBe('hello, world')
  })

  it('decodes the charset the header names', async () => {
    const { engine, trigger } = setup([accepting(['text'])])
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]) // "café" in ISO-8859-1
    const execution = await settledExecution(engine, await trigger.fetch(send(latin1, { 'content-type': 'text/csv; charset=iso-8859-1' })))
    expect(execution.context.body).toBe('café')
  })

  it('answers 400 to bytes that are not valid UTF-8', async () => {
    const { engine, trigger } = setup([accepting(['text'])])
    const response = await trigger.fetch(send(new Uint8Array([0xff, 0xfe, 0x41]), { 'content-type': 'text/plain; charset=utf-8' }))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'invalid_encoding')
    await expectNoExecution(engine)
  })

  it('answers 415 to a charset the platform cannot decode', async () => {
    const { trigger } = setup([accepting(['text'])])
    const response = await trigger.fetch(send('x', { 'content-type': 'text/plain; charset=x-no-such' }))
    expect(response.status).toBe(415)
  })
})

describe('raw bodies', () => {
  it('keeps the bytes as base64 with their size and content type', async () => {
    const { engine, trigger } = setup([accepting(['raw'])])
    const bytes = new Uint8Array([0, 1, 2, 250, 255])
    const execution = await settledExecution(engine, await trigger.fetch(send(bytes, { 'content-type': 'application/octet-stream' })))
    expect(execution.context.body).toEqual({ contentType: 'application/octet-stream', size: 5, base64: 'AAEC+v8=' })
  })

  it('takes what the other listed kinds do not: JSON parsed, the rest raw', async () => {
    const { engine, trigger } = setup([accepting(['json', 'raw'])])
    const json = await settledExecution(engine, await trigger.fetch(send('{"a":1}', { 'content-type': 'application/json' })))
    expect(json.context.body).toEqual({ a: 1 })
    const xml = await settledExecution(engine, await trigger.fetch(send('<a/>', { 'content-type': 'application/xml' })))
    expect(xml.context.body).toEqual({ contentType: 'application/xml', size: 4, base64: btoa('<a/>') })
  })

  it('takes a body without Content-Type', async () => {
    const { engine, trigger } = setup([accepting(['raw'])])
    const execution = await settledExecution(engine, await trigger.fetch(request(path, { method: 'POST', body: new Uint8Array([1]) })))
    expect(execution.context.body).toMatchObject({ size: 1, base64: 'AQ==' })
  })
})
