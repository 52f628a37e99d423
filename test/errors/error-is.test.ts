// Each error class's `is` tells its own errors from other hookflow errors, across copies of the
// package: the built ESM and CJS files are two copies in one process.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import * as esm from '../../dist/index.js'
import * as esmSqlite from '../../dist/storage/sqlite/index.js'
import * as esmPostgres from '../../dist/storage/postgres/index.js'

const require = createRequire(import.meta.url)
const cjs = require('../../dist/index.cjs') as typeof esm
const cjsSqlite = require('../../dist/storage/sqlite/index.cjs') as typeof esmSqlite
const cjsPostgres = require('../../dist/storage/postgres/index.cjs') as typeof esmPostgres

function samples(copy: typeof esm, sqlite: typeof esmSqlite, postgres: typeof esmPostgres) {
  return {
    StorageUnavailableError: new copy.StorageUnavailableError('the store is down', new Error('ECONNREFUSED')),
    WorkflowNotFoundError: new copy.WorkflowNotFoundError('no workflow "x"'),
    WorkflowDefinitionError: new copy.WorkflowDefinitionError([{ path: '/key', message: 'is required' }]),
    ExpressionError: new copy.ExpressionError('expression_syntax', 'unexpected token', 3),
    SqliteStoreError: new sqlite.SqliteStoreError('sqlite_closed', 'hookflow.db', 'the store is closed'),
    PostgresStoreError: new postgres.PostgresStoreError('postgres_closed', 'hookflow', 'the store is closed'),
    HookflowError: new copy.HookflowError('partner_missing', 'X-Partner is required', { status: 403 }),
  }
}

const classes = (copy: typeof esm, sqlite: typeof esmSqlite, postgres: typeof esmPostgres) => ({
  StorageUnavailableError: copy.StorageUnavailableError,
  WorkflowNotFoundError: copy.WorkflowNotFoundError,
  WorkflowDefinitionError: copy.WorkflowDefinitionError,
  ExpressionError: copy.ExpressionError,
  SqliteStoreError: sqlite.SqliteStoreError,
  PostgresStoreError: postgres.PostgresStoreError,
})

describe('error classes', () => {
  const errors = samples(esm, esmSqlite, esmPostgres)
  const fromCjs = samples(cjs, cjsSqlite, cjsPostgres)

  for (const [name, type] of Object.entries(classes(esm, esmSqlite, esmPostgres))) {
    it(`${name}.is is true for its own errors only, from either copy of the package`, () => {
      for (const [other, error] of Object.entries(errors)) expect(type.is(error), `${name}.is(${other})`).toBe(other === name)
      for (const [other, error] of Object.entries(fromCjs)) expect(type.is(error), `${name}.is(cjs ${other})`).toBe(other === name)
    })
  }

  it('HookflowError.is is true for every hookflow error and nothing else', () => {
    for (const error of [...Object.values(errors), ...Object.values(fromCjs)]) expect(esm.HookflowError.is(error)).toBe(true)
    expect(esm.HookflowError.is(new Error('plain'))).toBe(false)
    expect(esm.HookflowError.is({ code: 'workflow_not_found', status: 404 })).toBe(false)
  })
})
