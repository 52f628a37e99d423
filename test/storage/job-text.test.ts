import { describe, expect, it } from 'vitest'
import { jobText } from '../../src/storage/job-text.js'
import { withJsonText } from '../../src/engine/json-text.js'
import type { JobRecord } from '../../src/engine/execution.js'

const job = (extra: Partial<JobRecord> = {}): JobRecord => ({
  index: 3,
  nodeKey: 'check "quoted"\u2028',
  type: 'condition',
  status: 'resolved',
  result: { nested: [1, 'two', null, { three: true }], date: new Date(0) },
  error: null,
  startedAt: 1_795_864_139_259,
  finishedAt: 1_795_864_139_260,
  ...extra,
})

describe('jobText', () => {
  it.each([
    ['a plain job', job()],
    ['every flow field and attempts', job({ flow: { branch: 'true', end: 'failed', assign: 'earlier', inline: { a: 2, 'b"c': 1 } }, attempts: 2 })],
    ['an empty flow', job({ flow: {} })],
    ['an undefined result, left out as JSON leaves it out', job({ result: undefined })],
    ['an error', job({ status: 'error', result: null, error: { message: 'boom\n', name: 'TypeError', code: 'E_X' } })],
    ['times JSON has no number for', job({ startedAt: Number.NaN, finishedAt: Number.POSITIVE_INFINITY })],
    ['a string result with escapes', job({ result: '</script>\u0000"\\' })],
    ['a condition result and its branch', job({ result: true, flow: { branch: 'true' } })],
    ['a false result and a branch name with escapes', job({ result: false, flow: { branch: 'say "no"\u2028' } })],
    ['a null result', job({ result: null })],
    ['number results JSON writes as null or as digits', job({ result: [Number.NaN, -0, 1e21, 0.1 + 0.2, Number.NEGATIVE_INFINITY] })],
    ['a number result', job({ result: -0 })],
    ['a non-finite number result', job({ result: Number.NaN })],
  ])('reads back as JSON.stringify would give it: %s', (_name, record) => {
    const text = jobText(record)
    expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(record)))
  })

  it('writes the same text for the same branch as for a new one', () => {
    for (const branch of ['true', 'false', 'true', 'x"y']) {
      expect(JSON.parse(jobText(job({ flow: { branch } }))).flow).toEqual({ branch })
    }
  })

  it('writes a result that carries its text as that text, without serialising it', () => {
    const result = withJsonText({ statusCode: 200, headers: [], body: { ok: true } }, '{"statusCode":200,"headers":[],"body":{"ok":true}}')
    const text = jobText(job({ type: 'response', result }))
    expect(JSON.parse(text).result).toEqual({ statusCode: 200, headers: [], body: { ok: true } })
    // A carried text that differs from the value shows it is the text, not a serialisation, that was written.
    const marked = withJsonText({ a: 1 }, '{"a":"carried"}')
    expect(JSON.parse(jobText(job({ result: marked }))).result).toEqual({ a: 'carried' })
  })

  it('records a result that is not JSON as missing, with the reason as its error', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const result of [10n, cyclic]) {
      const read = JSON.parse(jobText(job({ result })))
      expect(read.result).toBeNull()
      expect(read.error.message).toMatch(/^The job result could not be stored as JSON: /)
    }
    // An error the job already had is kept.
    const read = JSON.parse(jobText(job({ result: 10n, status: 'error', error: { message: 'first' } })))
    expect(read.error).toEqual({ message: 'first' })
  })
})
