import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevEvent, type DevProcess, devForTest, makeTempFolder, runBin, startDev, tempFolder, until } from './run-bin.js'

// Each `hookflow dev` costs a process start and an engine (about a second on a busy machine),
// so the tests that only deliver share one, and the tests that edit files share another, each
// on files of its own.

const PAY = {
  key: 'pay',
  sync: true,
  trigger: { type: 'webhook', id: 'pay' },
  nodes: [{
    key: 'big', type: 'condition',
    config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } } },
    branches: {
      true: [{ key: 'ok', type: 'response', config: { statusCode: 200 as number, body: { ok: true as unknown, id: '{{$context.body.id}}' } } }],
      false: [{ key: 'no', type: 'response', config: { statusCode: 400, body: { ok: false } } }],
    },
  }],
}

const ORDERS_MJS = `export default [
  { key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [{ key: 'done', type: 'end' }] },
  { key: 'ping', sync: true, trigger: { type: 'webhook', id: 'ping', methods: ['GET'] },
    nodes: [{ key: 'r', type: 'response', config: { statusCode: 200, body: 'pong' } }] },
]
`

const TYPED_TS = `const body: string = 'typed'
export default { key: 'typed', sync: true, trigger: { type: 'webhook', id: 'typed' },
  nodes: [{ key: 'r', type: 'response', config: { statusCode: 201, body } }] }
`

const NODES_MJS = `
export const score = { type: 'acme.score', run: async ({ config }) => ({ score: config.amount > 1000 ? 7 : 1 }) }
export default [{ type: 'acme.down', run: async () => { throw new Error('score service down') } }]
`

const SCORED = [
  { key: 'scored', sync: true, trigger: { type: 'webhook', id: 'scored' }, nodes: [
    { key: 'score', type: 'acme.score', config: { amount: '{{$context.body.amount}}' } },
    { key: 'r', type: 'response', config: { statusCode: 200, body: '{{$jobsMapByNodeKey.score}}' } },
  ] },
  { key: 'down', trigger: { type: 'webhook', id: 'down' }, nodes: [{ key: 'call', type: 'acme.down' }] },
  { key: 'once', trigger: { type: 'webhook', id: 'once', idempotency: { key: 'Idempotency-Key' } }, nodes: [{ key: 'done', type: 'end' }] },
]

function write(folder: string, name: string, content: unknown): void {
  writeFileSync(join(folder, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2))
}

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const urlOf = (events: DevEvent[], key: string): string => events.findLast((event) => event.event === 'workflow' && event.key === key)!.url as string

/** One `hookflow dev --json` for a describe block, stopped after it. */
function sharedDev(files: Record<string, unknown>, extraArgs: string[] = []): { dev: () => DevProcess; folder: () => string } {
  let dev: DevProcess
  let folder: ReturnType<typeof makeTempFolder>
  beforeAll(async () => {
    folder = makeTempFolder('dev')
    for (const [name, content] of Object.entries(files)) write(folder.path, name, content)
    dev = startDev(['dev', folder.path, '--port', '0', '--memory', ...extraArgs], { cwd: folder.path })
    await dev.next((event) => event.event === 'listening')
  })
  afterAll(async () => {
    await dev.kill()
    folder.remove()
  })
  return { dev: () => dev, folder: () => folder.path }
}

describe('hookflow dev serving a folder', () => {
  const shared = sharedDev({ 'pay.json': PAY, 'orders.mjs': ORDERS_MJS, 'typed.ts': TYPED_TS, 'nodes.mjs': NODES_MJS, 'scored.json': SCORED }, ['--nodes', 'nodes.mjs'])

  it('prints every workflow of .json, .mjs and .ts files with its URL, bound to 127.0.0.1', () => {
    const { events } = shared.dev()
    const listening = events.find((event) => event.event === 'listening')!
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const workflows = events.filter((event) => event.event === 'workflow')
    expect(workflows.map((event) => [event.key, event.mode, event.file]).sort()).toEqual([
      ['down', 'async', 'scored.json'],
      ['once', 'async', 'scored.json'],
      ['orders', 'async', 'orders.mjs'],
      ['pay', 'sync', 'pay.json'],
      ['ping', 'sync', 'orders.mjs'],
      ['scored', 'sync', 'scored.json'],
      ['typed', 'sync', 'typed.ts'],
    ])
    expect(urlOf(events, 'pay')).toBe(`${listening.url}/api/webhook:trigger/pay`)
    expect(urlOf(events, 'orders')).toBe(`${listening.url}/api/webhook:trigger/orders/:orderId`)
    expect(events.filter((event) => event.event === 'problem')).toEqual([])
  })

  it('answers real deliveries at the printed URLs', async () => {
    const { events } = shared.dev()
    const paid = await post(urlOf(events, 'pay'), { id: 'p1', amount: 2500 })
    expect([paid.status, await paid.json()]).toEqual([200, { ok: true, id: 'p1' }])
    const typed = await post(urlOf(events, 'typed'), {})
    expect([typed.status, await typed.text()]).toEqual([201, 'typed'])
    const pong = await fetch(urlOf(events, 'ping'))
    expect([pong.status, await pong.text()]).toEqual([200, 'pong'])
    const order = await post(urlOf(events, 'orders').replace(':orderId', 'o-7'), { sku: 'x' })
    expect([order.status, await order.text()]).toEqual([200, 'ok'])
  })

  it('prints one line per delivery: time, workflow, status code, execution status, duration and execution id', async () => {
    const dev = shared.dev()
    const small = await post(urlOf(dev.events, 'pay'), { id: 'p2', amount: 10 })
    const line = await dev.next((event) => event.event === 'delivery' && event.executionId === small.headers.get('x-execution-id'))
    expect(line).toMatchObject({ workflow: 'pay', statusCode: 400, status: 'resolved', method: 'POST', path: '/api/webhook:trigger/pay' })
    expect(line.durationMs).toBeGreaterThanOrEqual(0)
    expect(Math.abs(Date.parse(line.time) - Date.now())).toBeLessThan(60_000)
  })

  it('prints an async delivery\'s line once its execution has finished', async () => {
    const dev = shared.dev()
    const order = await post(urlOf(dev.events, 'orders').replace(':orderId', 'o-8'), {})
    const line = await dev.next((event) => event.event === 'delivery' && event.executionId === order.headers.get('x-execution-id'))
    expect(line).toMatchObject({ workflow: 'orders', statusCode: 200, status: 'resolved' })
  })

  it('runs custom node types from --nodes', async () => {
    const scored = await post(urlOf(shared.dev().events, 'scored'), { amount: 2500 })
    expect(await scored.json()).toEqual({ score: 7 })
  })

  it('says in the delivery line which node failed and why', async () => {
    const dev = shared.dev()
    const response = await post(urlOf(dev.events, 'down'), {})
    const line = await dev.next((event) => event.event === 'delivery' && event.executionId === response.headers.get('x-execution-id'))
    expect(line).toMatchObject({ workflow: 'down', statusCode: 200, status: 'error', error: 'at node "call": score service down' })
  })

  it('prints a line for a replayed delivery too, with the execution it found', async () => {
    const dev = shared.dev()
    const send = () => fetch(urlOf(dev.events, 'once'), { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: '{}' })
    const id = (await send()).headers.get('x-execution-id')!
    await dev.next((event) => event.event === 'delivery' && event.executionId === id)
    const seen = dev.events.length
    expect((await send()).headers.get('x-execution-id')).toBe(id)
    const replay = await dev.next((event) => event.event === 'delivery' && event.executionId === id, { after: seen })
    expect(replay).toMatchObject({ workflow: 'once', statusCode: 200, status: 'resolved' })
  })

  it('prints a line for a refused delivery, naming the workflow', async () => {
    const dev = shared.dev()
    const response = await fetch(urlOf(dev.events, 'pay'), { method: 'GET' })
    expect(response.status).toBe(405)
    const line = await dev.next((event) => event.event === 'delivery' && event.statusCode === 405)
    expect(line).toMatchObject({ workflow: 'pay', method: 'GET' })
    expect(line.executionId).toBeUndefined()
  })

  it('answers a path outside the trigger with a JSON 404, and prints a line for it', async () => {
    const dev = shared.dev()
    const listening = dev.events.find((event) => event.event === 'listening')!
    const response = await fetch(`${listening.url}/elsewhere`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
    const line = await dev.next((event) => event.event === 'delivery' && event.path === '/elsewhere')
    expect(line).toMatchObject({ statusCode: 404, method: 'GET' })
    expect(line.workflow).toBeUndefined()
  })

  it('serves the inspector on its loopback address and prints its URL, listing the workflows and the runs it served', async () => {
    const dev = shared.dev()
    const listening = dev.events.find((event) => event.event === 'listening')!
    expect(listening.inspector).toBe(`${listening.url}/hookflow/`)
    const page = await fetch(String(listening.inspector))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    const paid = await post(urlOf(dev.events, 'pay'), { id: 'p9', amount: 2500 })
    const workflows = (await (await fetch(`${listening.url}/hookflow/api/workflows`)).json()) as { items: Array<{ key: string }> }
    expect(workflows.items.map((item) => item.key)).toContain('pay')
    const shown = await fetch(`${listening.url}/hookflow/api/executions/${paid.headers.get('x-execution-id')}`)
    expect(shown.status).toBe(200)
    expect(await shown.json()).toMatchObject({ workflowKey: 'pay', status: 'resolved' })
  })
})

describe('hookflow dev while files change', () => {
  const shared = sharedDev({ 'edit.json': { ...PAY, key: 'edit', trigger: { type: 'webhook', id: 'edit' } } })
  const folder = (): string => shared.folder()

  it('registers an edited file again without a restart', async () => {
    const dev = shared.dev()
    const seen = dev.events.length
    const edited = structuredClone({ ...PAY, key: 'edit', trigger: { type: 'webhook', id: 'edit' } })
    edited.nodes[0]!.branches.true[0]!.config.body = { ok: 'edited', id: '{{$context.body.id}}' }
    write(folder(), 'edit.json', edited)
    const reloaded = (event: DevEvent): boolean => event.event === 'workflow' && event.key === 'edit'
    // Once in four full suite runs (two test files at once, on two cores) no change event came
    // from the kernel within 15 s. An editor saving a second time is what a developer would do;
    // the test does the same once, so it still fails when edits are not picked up at all.
    const again = await dev.next(reloaded, { after: seen, timeoutMs: 5_000 }).catch(() => {
      write(folder(), 'edit.json', edited)
      return dev.next(reloaded, { after: seen })
    })
    const response = await post(again.url, { id: 'p4', amount: 2500 })
    expect(await response.json()).toEqual({ ok: 'edited', id: 'p4' })
  })

  it('reports a definition error with its JSON Pointer and keeps serving the last good version', async () => {
    const dev = shared.dev()
    write(folder(), 'keep.json', { ...PAY, key: 'keep', trigger: { type: 'webhook', id: 'keep' } })
    const first = await dev.next((event) => event.event === 'workflow' && event.key === 'keep')
    const seen = dev.events.length
    const broken = structuredClone({ ...PAY, key: 'keep', trigger: { type: 'webhook', id: 'keep' } })
    broken.nodes[0]!.branches.true[0]!.config.statusCode = 2000
    write(folder(), 'keep.json', broken)
    const problem = await dev.next((event) => event.event === 'problem' && event.file === 'keep.json', { after: seen })
    expect(problem.pointer).toBe('/nodes/0/branches/true/0/config/statusCode')
    await dev.next((event) => event.event === 'kept' && event.key === 'keep', { after: seen })
    const response = await post(first.url, { id: 'p5', amount: 2500 })
    expect([response.status, await response.json()]).toEqual([200, { ok: true, id: 'p5' }])
    expect(dev.child.exitCode).toBe(null)
  })

  it('points into the array for a problem in the second definition of a module', async () => {
    const dev = shared.dev()
    write(folder(), 'flows.mjs', ORDERS_MJS.replace("type: 'response'", "type: 'nope'"))
    const problem = await dev.next((event) => event.event === 'problem' && event.file === 'flows.mjs')
    expect(problem.pointer).toBe('/1/nodes/0/type')
    expect(problem.message).toContain('unknown node type "nope"')
  })

  it('registers a new file, and unregisters its workflows when it is deleted', async () => {
    const dev = shared.dev()
    write(folder(), 'later.json', { ...PAY, key: 'later', trigger: { type: 'webhook', id: 'later' } })
    const added = await dev.next((event) => event.event === 'workflow' && event.key === 'later')
    expect((await post(added.url, { amount: 2500 })).status).toBe(200)
    const seen = dev.events.length
    rmSync(join(folder(), 'later.json'))
    await dev.next((event) => event.event === 'unregistered' && event.key === 'later', { after: seen })
    expect((await post(added.url, { amount: 2500 })).status).toBe(404)
  })

  it('reads a CommonJS and a TypeScript file again when they change', async () => {
    const dev = shared.dev()
    const answer = (key: string, body: string) => `{ key: '${key}', sync: true, trigger: { type: 'webhook', id: '${key}' }, nodes: [{ key: 'r', type: 'response', config: { statusCode: 200, body: '${body}' } }] }`
    write(folder(), 'legacy.cjs', `module.exports = ${answer('legacy', 'v1')}\n`)
    write(folder(), 'typed.ts', `const body: string = 'v1'\nexport default ${answer('typed', 'v1').replace("'v1'", 'body')}\n`)
    const legacy = await dev.next((event) => event.event === 'workflow' && event.key === 'legacy')
    const typed = await dev.next((event) => event.event === 'workflow' && event.key === 'typed')
    expect(await (await post(legacy.url, {})).text()).toBe('v1')
    expect(await (await post(typed.url, {})).text()).toBe('v1')
    const seen = dev.events.length
    write(folder(), 'legacy.cjs', `module.exports = ${answer('legacy', 'v2')}\n`)
    write(folder(), 'typed.ts', `const body: string = 'v2'\nexport default ${answer('typed', 'v2').replace("'v2'", 'body')}\n`)
    await dev.next((event) => event.event === 'workflow' && event.key === 'legacy', { after: seen })
    await dev.next((event) => event.event === 'workflow' && event.key === 'typed', { after: seen })
    expect(await (await post(legacy.url, {})).text()).toBe('v2')
    expect(await (await post(typed.url, {})).text()).toBe('v2')
  })

  it('keeps a generated trigger id, and so the URL, when the file is edited', async () => {
    const dev = shared.dev()
    const definition = { key: 'anon', sync: true, trigger: { type: 'webhook' }, nodes: [{ key: 'r', type: 'response', config: { statusCode: 200, body: 'v1' } }] }
    write(folder(), 'anon.json', definition)
    const first = await dev.next((event) => event.event === 'workflow' && event.key === 'anon')
    expect(first.url).toMatch(/\/api\/webhook:trigger\/[A-Za-z0-9_-]{20,}$/)
    const seen = dev.events.length
    definition.nodes[0]!.config.body = 'v2'
    write(folder(), 'anon.json', definition)
    const again = await dev.next((event) => event.event === 'workflow' && event.key === 'anon', { after: seen })
    expect(again.url).toBe(first.url)
    expect(await (await post(first.url, {})).text()).toBe('v2')
  })
})

describe('hookflow dev starting and stopping', () => {
  it('prints the workflow URLs, definition problems and delivery lines as text without --json, and stops on SIGINT', async () => {
    const folder = tempFolder('dev')
    write(folder, 'pay.json', PAY)
    write(folder, 'bad.json', { ...PAY, key: 'bad', trigger: { type: 'webhook', id: 'bad' }, nodes: [{ key: 'x', type: 'nope' }] })
    const dev = devForTest(['dev', '.', '--port', '0', '--memory'], { cwd: folder, json: false })
    await dev.next((event) => /^Watching/.test(event.text))
    const printed = dev.events.map((event) => event.text as string)
    expect(printed[0]).toMatch(/^hookflow dev on http:\/\/127\.0\.0\.1:\d+ {2}\(memory/)
    await until(() => dev.stderr().includes('\n'))
    expect(dev.stderr()).toMatch(/^bad\.json at \/nodes\/0\/type: unknown node type "nope"/)
    const url = printed.map((line) => /^ {2}pay +sync +POST +(http:\S+)$/.exec(line)?.[1]).find(Boolean)!
    const response = await post(url, { id: 'p3', amount: 5000 })
    const id = response.headers.get('x-execution-id')!
    const line = await dev.next((event) => event.text.includes(id))
    expect(line.text).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d {2}pay +200 {2}resolved +\\d+ ms {2}${id}$`))
    expect(await dev.stop('SIGINT')).toBe(0)
    expect(dev.events.at(-1)!.text).toBe('hookflow dev stopped.')
  })

  it('keeps executions in hookflow.db by default, listens on the --host given, and closes cleanly on SIGTERM', async () => {
    const folder = tempFolder('dev')
    write(folder, 'pay.json', PAY)
    const dev = devForTest(['dev', 'pay.json', '--port', '0', '--host', '127.0.0.2'], { cwd: folder })
    const listening = await dev.next((event) => event.event === 'listening')
    expect(listening).toMatchObject({ store: 'SQLite hookflow.db', database: 'hookflow.db' })
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/)
    expect((await post(urlOf(dev.events, 'pay'), { amount: 2500 })).status).toBe(200)
    expect(existsSync(join(folder, 'hookflow.db'))).toBe(true)
    expect(await dev.stop('SIGTERM')).toBe(0)
    expect(dev.events.at(-1)).toEqual({ event: 'closed' })
  })

  it('exits 1 naming the port when it is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const folder = tempFolder('dev')
      write(folder, 'pay.json', PAY)
      const { code, stderr } = await runBin(['dev', folder, '--port', String(port), '--memory'], { cwd: folder })
      expect(code).toBe(1)
      expect(stderr).toBe(`hookflow dev: port ${port} on 127.0.0.1 is in use: stop what runs there, or pass --port\n`)
    } finally {
      blocker.close()
    }
  })

  it('exits 1 for a path that does not exist, and 2 for two stores at once', async () => {
    const cwd = tempFolder('dev')
    const missing = await runBin(['dev', 'nowhere/'], { cwd })
    expect([missing.code, missing.stderr]).toEqual([1, 'hookflow dev: no such file or folder: nowhere/\n'])
    const both = await runBin(['dev', '.', '--memory', '--db', 'x.db'], { cwd })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('choose one store')
  })
})
