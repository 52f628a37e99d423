import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { type DevProcess, makeTempFolder, runBin, startDev, until } from './run-bin.js'

// `hookflow executions` and `hookflow migrate` on what a `hookflow dev` ran, in SQLite and in
// Postgres. The `flaky` workflow fails until a file named `fixed` exists beside its node
// module, so a retry after the fix resolves.

const NODES_MJS = `
import { existsSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
const fixed = fileURLToPath(new URL('./fixed', import.meta.url))
const released = fileURLToPath(new URL('./release', import.meta.url))
export const hold = { type: 'acme.hold', run: async ({ signal }) => {
  writeFileSync(fileURLToPath(new URL('./holding', import.meta.url)), '')
  while (!existsSync(released) && !signal.aborted) await new Promise((resolve) => setTimeout(resolve, 50))
  return { held: true }
} }
export const after = { type: 'acme.after', run: async () => {
  writeFileSync(fileURLToPath(new URL('./after-ran', import.meta.url)), '')
  return { after: true }
} }
export const charge = { type: 'acme.charge', run: async () => {
  if (!existsSync(fixed)) throw new Error('payment service down')
  return { charged: true }
} }
`

const FLOWS = [
  { key: 'ok', sync: true, trigger: { type: 'webhook', id: 'ok' }, nodes: [
    { key: 'check', type: 'condition', config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.n}}', 1] }] } } },
      branches: { true: [{ key: 'yes', type: 'response', config: { statusCode: 200, body: 'one' } }], false: [{ key: 'no', type: 'response', config: { statusCode: 200, body: 'other' } }] } },
  ] },
  { key: 'flaky', trigger: { type: 'webhook', id: 'flaky' }, nodes: [{ key: 'charge', type: 'acme.charge' }, { key: 'done', type: 'end' }] },
  { key: 'parked', trigger: { type: 'webhook', id: 'parked' }, nodes: [{ key: 'wait', type: 'delay', config: { duration: 1, unit: 'h' } }] },
  { key: 'slow', trigger: { type: 'webhook', id: 'slow' }, nodes: [{ key: 'hold', type: 'acme.hold' }, { key: 'after', type: 'acme.after' }] },
]

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

interface Ran {
  ok: string[]
  flaky: string
  parked: string
}

/** Starts `hookflow dev` on the store args, sends one delivery to each workflow (two to `ok`). */
function devWithHistory(storeArgs: () => string[]): { dev: () => DevProcess; folder: () => string; ran: () => Ran } {
  let dev: DevProcess
  let folder: ReturnType<typeof makeTempFolder>
  let ran: Ran
  beforeAll(async () => {
    folder = makeTempFolder('executions')
    writeFileSync(join(folder.path, 'nodes.mjs'), NODES_MJS)
    writeFileSync(join(folder.path, 'flows.json'), JSON.stringify(FLOWS))
    dev = startDev(['dev', 'flows.json', '--nodes', 'nodes.mjs', '--port', '0', ...storeArgs()], { cwd: folder.path })
    await dev.next((event) => event.event === 'listening')
    const url = (key: string): string => dev.events.find((event) => event.event === 'workflow' && event.key === key)!.url as string
    const id = (response: Response): string => response.headers.get('x-execution-id')!
    const first = id(await post(url('ok'), { n: 1 }))
    const second = id(await post(url('ok'), { n: 2 }))
    const flaky = id(await post(url('flaky'), {}))
    const parked = id(await post(url('parked'), {}))
    ran = { ok: [second, first], flaky, parked }
    await dev.next((event) => event.event === 'delivery' && event.executionId === flaky)
  })
  afterAll(async () => {
    await dev.kill()
    folder.remove()
  })
  return { dev: () => dev, folder: () => folder.path, ran: () => ran }
}

async function json(args: string[], cwd: string): Promise<any> {
  const { code, stdout, stderr } = await runBin([...args, '--json'], { cwd })
  expect(stderr).toBe('')
  expect(code).toBe(0)
  return JSON.parse(stdout)
}

describe('hookflow executions on SQLite', () => {
  const shared = devWithHistory(() => ['--db', 'runs.db'])
  const db = ['--db', 'runs.db']

  it('lists what dev ran, newest first, as a table', async () => {
    const { code, stdout } = await runBin(['executions', 'list', ...db], { cwd: shared.folder() })
    expect(code).toBe(0)
    const [header, ...rows] = stdout.trim().split('\n')
    expect(header).toMatch(/^id\s+workflow\s+status\s+created\s+duration\s+attempts$/)
    const { ok, flaky, parked } = shared.ran()
    expect(rows.map((row) => row.split(/\s{2,}/).slice(0, 3))).toEqual([
      [parked, 'parked', 'queued'],
      [flaky, 'flaky', 'error'],
      [ok[0], 'ok', 'resolved'],
      [ok[1], 'ok', 'resolved'],
    ])
  })

  it('lists as JSON, filtered by workflow, status and limit', async () => {
    const cwd = shared.folder()
    const all = await json(['executions', 'list', ...db], cwd)
    expect(all.map((record: { workflowKey: string }) => record.workflowKey)).toEqual(['parked', 'flaky', 'ok', 'ok'])
    expect(all[1]).toMatchObject({ id: shared.ran().flaky, status: 'error', sync: false, attempts: 1 })
    expect(all[1].jobs).toBeUndefined()
    expect((await json(['executions', 'list', ...db, '--workflow', 'ok'], cwd)).map((record: { id: string }) => record.id)).toEqual(shared.ran().ok)
    const filtered = await json(['executions', 'list', ...db, '--status', 'error,queued', '--limit', '1'], cwd)
    expect(filtered.map((record: { workflowKey: string }) => record.workflowKey)).toEqual(['parked'])
  })

  it('shows one execution with its jobs in order, results and branches', async () => {
    const { code, stdout } = await runBin(['executions', 'show', shared.ran().ok[1]!, ...db], { cwd: shared.folder() })
    expect(code).toBe(0)
    expect(stdout).toMatch(/^execution \S+\nworkflow +ok\nmode +sync\nstatus +resolved\n/)
    expect(stdout).toContain('context    {"headers":{},"query":{},"body":{"n":1},"params":{},"method":"POST"}')
    expect(stdout).toContain('response   200 "one"')
    expect(stdout).toMatch(/jobs \(2\)\n +0 {2}check \(condition\) {2}resolved {2}\d+ ms\n +branch: true\n +result: true\n +1 {2}yes \(response\) {2}resolved/)
  })

  it('shows a failed job\'s error, and the record with its jobs as JSON', async () => {
    const { stdout } = await runBin(['executions', 'show', shared.ran().flaky, ...db], { cwd: shared.folder() })
    expect(stdout).toMatch(/status +error\n/)
    expect(stdout).toMatch(/0 {2}charge \(acme\.charge\) {2}error {2}\d+ ms\n +error: payment service down/)
    const record = await json(['executions', 'show', shared.ran().flaky, ...db], shared.folder())
    expect(record).toMatchObject({ id: shared.ran().flaky, workflowKey: 'flaky', status: 'error' })
    expect(record.jobs).toEqual([expect.objectContaining({ index: 0, nodeKey: 'charge', status: 'error', error: expect.objectContaining({ message: 'payment service down' }) })])
  })

  it('retries a failed execution: the running dev picks it up and it resolves', async () => {
    const dev = shared.dev()
    writeFileSync(join(shared.folder(), 'fixed'), '')
    const seen = dev.events.length
    const retried = await json(['executions', 'retry', shared.ran().flaky, ...db], shared.folder())
    expect(retried).toMatchObject({ id: shared.ran().flaky, status: 'queued' })
    const line = await dev.next((event) => event.event === 'delivery' && event.executionId === shared.ran().flaky, { after: seen })
    expect(line).toMatchObject({ workflow: 'flaky', status: 'resolved' })
    expect(line.statusCode).toBeUndefined()
    const record = await json(['executions', 'show', shared.ran().flaky, ...db], shared.folder())
    expect(record).toMatchObject({ status: 'resolved', attempts: 2 })
    expect(record.jobs.map((job: { nodeKey: string; status: string }) => [job.nodeKey, job.status])).toEqual([['charge', 'resolved'], ['done', 'resolved']])
  })

  it('cancels a parked execution, and refuses to cancel it twice', async () => {
    const { code, stdout } = await runBin(['executions', 'cancel', shared.ran().parked, ...db], { cwd: shared.folder() })
    expect(code).toBe(0)
    expect(stdout).toBe(`Execution ${shared.ran().parked} (parked) is aborted (canceled).\n`)
    expect(await json(['executions', 'show', shared.ran().parked, ...db], shared.folder())).toMatchObject({ status: 'aborted', reason: 'canceled' })
    const again = await runBin(['executions', 'cancel', shared.ran().parked, ...db], { cwd: shared.folder() })
    expect([again.code, again.stderr]).toEqual([1, `hookflow executions: execution ${shared.ran().parked} is already aborted\n`])
  })

  it('cancels an execution running in another process, which stops it without storing more', async () => {
    const dev = shared.dev()
    const url = dev.events.find((event) => event.event === 'workflow' && event.key === 'slow')!.url as string
    const id = (await post(url, {})).headers.get('x-execution-id')!
    await until(() => existsSync(join(shared.folder(), 'holding')))
    const { code, stdout } = await runBin(['executions', 'cancel', id, ...db], { cwd: shared.folder() })
    expect([code, stdout]).toEqual([0, `Execution ${id} (slow) is aborted (canceled).\n`])
    writeFileSync(join(shared.folder(), 'release'), '')
    // The hold node polls every 50 ms; without the cancel, the next node would have run within
    // about 100 ms of the release. A second is a wide margin for a busy machine.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(existsSync(join(shared.folder(), 'after-ran'))).toBe(false)
    const record = await json(['executions', 'show', id, ...db], shared.folder())
    expect(record).toMatchObject({ status: 'aborted', reason: 'canceled' })
    expect(record.jobs).toEqual([])
  })

  it('refuses to retry an execution that resolved, saying which ones can be', async () => {
    const { code, stderr } = await runBin(['executions', 'retry', shared.ran().ok[0]!, ...db], { cwd: shared.folder() })
    expect(code).toBe(1)
    expect(stderr).toBe(`hookflow executions: execution ${shared.ran().ok[0]} is resolved; only failed, error or aborted ones can be retried\n`)
  })

  it('exits 1 for an unknown id or a missing database, and 2 for an unknown status', async () => {
    const cwd = shared.folder()
    const unknown = await runBin(['executions', 'show', 'nope', ...db], { cwd })
    expect([unknown.code, unknown.stderr]).toEqual([1, 'hookflow executions: no execution nope in SQLite runs.db\n'])
    const missing = await runBin(['executions', 'list', '--db', 'other.db'], { cwd })
    expect([missing.code, missing.stderr]).toEqual([1, 'hookflow executions: no SQLite database at other.db (give --db <file> or --pg <url>)\n'])
    const status = await runBin(['executions', 'list', ...db, '--status', 'done'], { cwd })
    expect(status.code).toBe(2)
    expect(status.stderr).toContain('--status "done" is not a status')
  })
})

const postgres = await postgresService()

describe.skipIf(!postgres)('hookflow executions and migrate on Postgres', () => {
  const schema = testSchema('cli')
  const pg = (): string[] => ['--pg', postgres!.url, '--schema', schema]
  const shared = devWithHistory(() => pg())

  it('lists and shows what dev ran', async () => {
    const cwd = shared.folder()
    const listed = await json(['executions', 'list', ...pg()], cwd)
    expect(listed.map((record: { id: string }) => record.id)).toEqual([shared.ran().parked, shared.ran().flaky, ...shared.ran().ok])
    const { code, stdout } = await runBin(['executions', 'show', shared.ran().flaky, ...pg()], { cwd })
    expect(code).toBe(0)
    expect(stdout).toContain('error: payment service down')
  })

  it('retries through the store: the dev listening on Postgres runs it', async () => {
    const dev = shared.dev()
    writeFileSync(join(shared.folder(), 'fixed'), '')
    const seen = dev.events.length
    await json(['executions', 'retry', shared.ran().flaky, ...pg()], shared.folder())
    const line = await dev.next((event) => event.event === 'delivery' && event.executionId === shared.ran().flaky, { after: seen })
    expect(line.status).toBe('resolved')
  })

  it('migrates a new schema once; a second run finds nothing to do', async () => {
    const fresh = testSchema('cli_migrate')
    const first = await json(['migrate', '--pg', postgres!.url, '--schema', fresh], shared.folder())
    expect(first.schema).toBe(fresh)
    expect(first.applied.length).toBeGreaterThan(0)
    expect(first.applied).toEqual([...first.applied].sort((a: number, b: number) => a - b))
    expect(first.version).toBe(first.applied.at(-1))
    const again = await runBin(['migrate', '--pg', postgres!.url, '--schema', fresh])
    expect([again.code, again.stdout]).toEqual([0, `Postgres schema ${fresh} is up to date (version ${first.version}).\n`])
  })

  it('exits 1 on a schema that was never migrated, saying to migrate', async () => {
    const { code, stderr } = await runBin(['executions', 'list', '--pg', postgres!.url, '--schema', testSchema('cli_empty')])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^hookflow executions: Postgres schema hookflow_test_cli_empty_\w+: .*has no hookflow tables.*\(run: hookflow migrate --pg <url>\)\n$/)
  })
})

describe('hookflow migrate', () => {
  it('exits 2 without --pg', async () => {
    const { code, stderr } = await runBin(['migrate'])
    expect(code).toBe(2)
    expect(stderr.split('\n')[0]).toBe('hookflow migrate: needs --pg <url>')
  })
})
