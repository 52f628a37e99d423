import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBin, tempFolder } from './run-bin.js'

const NESTED = {
  id: 'evt_1',
  data: { object: { amount: 2500, customer: { name: 'Ada' } } },
  items: [{ sku: 'x', name: 'Pen' }],
}

function sampleFolder(): string {
  const cwd = tempFolder('paths')
  writeFileSync(join(cwd, 'event.json'), JSON.stringify(NESTED))
  return cwd
}

describe('hookflow paths', () => {
  it('prints every path of a nested sample with an alias, a type and the sample value', async () => {
    const { code, stdout } = await runBin(['paths', 'event.json'], { cwd: sampleFolder() })
    expect(code).toBe(0)
    const rows = stdout.split('\n')
    expect(rows[0]).toMatch(/^path\s+alias\s+type\s+sample$/)
    expect(rows.slice(1, 11).map((row) => row.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['id', 'id', 'string'],
      ['data', 'data', 'object'],
      ['data.object', 'object', 'object'],
      ['data.object.amount', 'amount', 'number'],
      ['data.object.customer', 'customer', 'object'],
      ['data.object.customer.name', 'customerName', 'string'],
      ['items', 'items', 'array'],
      ['items[0]', 'items0', 'object'],
      ['items[0].sku', 'sku', 'string'],
      ['items[0].name', 'items0Name', 'string'],
    ])
    expect(stdout).toMatch(/data\.object\.amount\s+amount\s+number\s+2500/)
    const pasted = JSON.parse(stdout.slice(stdout.indexOf('trigger.request, to paste into the definition:\n') + 47))
    expect(pasted.body).toHaveLength(10)
    expect(pasted.body[3]).toEqual({ key: 'data.object.amount', alias: 'amount' })
  })

  it('prints the trigger.request body entries to paste with --json', async () => {
    const { code, stdout } = await runBin(['paths', 'event.json', '--json'], { cwd: sampleFolder() })
    expect(code).toBe(0)
    const request = JSON.parse(stdout)
    expect(Object.keys(request)).toEqual(['body'])
    expect(request.body).toContainEqual({ key: 'data.object.amount', alias: 'amount' })
    expect(request.body).toHaveLength(10)
  })

  it('reads the sample from stdin with -', async () => {
    const { code, stdout } = await runBin(['paths', '-', '--json'], { input: '{"a":1,"b":{"c":2}}' })
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ body: [{ key: 'a', alias: 'a' }, { key: 'b', alias: 'b' }, { key: 'b.c', alias: 'c' }] })
  })

  it('lists the query paths of a URL as trigger.request query entries', async () => {
    const url = 'http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query[0][a]=1&page=2'
    const { code, stdout } = await runBin(['paths', url, '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      query: [
        { key: 'query', alias: 'query' },
        { key: 'query[0]', alias: 'query0' },
        { key: 'query[0].a', alias: 'a' },
        { key: 'page', alias: 'page' },
      ],
    })
  })

  it('exits 1 naming the problem for a sample that is not JSON', async () => {
    const cwd = tempFolder('paths')
    writeFileSync(join(cwd, 'bad.json'), '{"a":')
    const { code, stderr } = await runBin(['paths', 'bad.json'], { cwd })
    expect(code).toBe(1)
    expect(stderr).toMatch(/^hookflow paths: bad\.json is not valid JSON \(.+\)\n$/)
  })
})
