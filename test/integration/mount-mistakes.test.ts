import { execFileSync } from 'node:child_process'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { createEngine, WebhookTrigger } from '../../src/index.js'
import { createListener, serveRequest } from '../../src/adapters/node/index.js'
import { handle } from '../../src/adapters/express/index.js'
import hookflowFastify from '../../src/adapters/fastify/index.js'
import { loadPeer } from '../../src/peers/load-peer.js'

// Mounts refuse, when created, what is not a trigger; missing optional peers name their install.

const engine = createEngine()
const trigger = new WebhookTrigger({ engine })
const notATrigger = (value: unknown): never => value as never

describe('mounts given something that is not a trigger', () => {
  it('createListener refuses an engine, naming it and the fix', () => {
    expect(() => createListener(notATrigger(engine))).toThrow(
      'createListener needs a fetch handler such as a WebhookTrigger, got an Engine; pass new WebhookTrigger({ engine })',
    )
  })

  it('createListener refuses undefined and a bare fetch function', () => {
    expect(() => createListener(notATrigger(undefined))).toThrow(/got undefined; pass new WebhookTrigger\(\{ engine \}\)/)
    expect(() => createListener(notATrigger(trigger.fetch))).toThrow(/got a function \(fetch\); pass the trigger itself, or \{ fetch \}/)
  })

  it('createListener still takes any object with fetch', () => {
    expect(typeof createListener({ fetch: trigger.fetch })).toBe('function')
  })

  it('serveRequest refuses an engine at once, before touching the request', () => {
    const req = new IncomingMessage(new Socket())
    const res = new ServerResponse(req)
    expect(() => serveRequest(notATrigger(engine), req, res)).toThrow(/^serveRequest needs a fetch handler such as a WebhookTrigger, got an Engine/)
    expect(res.headersSent).toBe(false)
  })

  it('the Express handle refuses an engine, and a fetch handler that cannot tell its paths', () => {
    expect(() => handle(notATrigger(engine))).toThrow('handle (hookflow/express) needs a WebhookTrigger, got an Engine; pass new WebhookTrigger({ engine })')
    expect(() => handle(notATrigger({ fetch: trigger.fetch }))).toThrow(/got a fetch handler without handles\(\)/)
  })

  it('the Fastify plugin refuses an engine when the app registers it', async () => {
    const app = Fastify()
    try {
      await expect(app.register(hookflowFastify, { trigger: notATrigger(engine) })).rejects.toThrow(
        'the hookflow Fastify plugin (option trigger) needs a WebhookTrigger, got an Engine; pass new WebhookTrigger({ engine })',
      )
    } finally {
      await app.close().catch(() => undefined)
    }
  })

  it('the Fastify plugin refuses a missing trigger option', async () => {
    const app = Fastify()
    try {
      await expect(app.register(hookflowFastify, notATrigger({}))).rejects.toThrow(/got undefined/)
    } finally {
      await app.close().catch(() => undefined)
    }
  })
})

// The built package in a Node.js process where the peer cannot be resolved (npm test builds first).
const root = new URL('../..', import.meta.url).pathname
const preload = new URL('./peers/hide-peers.cjs', import.meta.url).pathname

function withoutPeer(peer: string, script: string, type: 'module' | 'commonjs' = 'module'): string {
  return execFileSync(process.execPath, ['--require', preload, `--input-type=${type}`, '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HOOKFLOW_HIDE_PEERS: peer },
  }).trim()
}

const report = 'catch (error) { console.log(error.code + ": " + error.message) }'

describe('a missing optional peer', () => {
  it('better-sqlite3: importing hookflow/sqlite works, creating the store names the install command', () => {
    const out = withoutPeer('better-sqlite3', `import { createSqliteStore } from 'hookflow/sqlite'; try { createSqliteStore({ filename: ':memory:' }) } ${report}`)
    expect(out).toBe('peer_dependency_missing: createSqliteStore (hookflow/sqlite) needs the optional peer dependency "better-sqlite3", which is not installed: run npm install better-sqlite3@12')
  })

  it('pg: names npm install pg@8 (through require as well)', () => {
    const out = withoutPeer('pg', `const { createPostgresStore } = require('hookflow/postgres'); try { createPostgresStore({ connectionString: 'postgres://x' }) } ${report}`, 'commonjs')
    expect(out).toMatch(/^peer_dependency_missing: .*"pg", which is not installed: run npm install pg@8$/)
  })

  it('bullmq: names npm install bullmq@5', () => {
    const out = withoutPeer('bullmq', `import { createBullmqQueue } from 'hookflow/bullmq'; try { createBullmqQueue({ connection: 'redis://127.0.0.1:1', queueName: 'q' }) } ${report}`)
    expect(out).toMatch(/^peer_dependency_missing: .*"bullmq", which is not installed: run npm install bullmq@5$/)
  })

  it('is not needed to import the Express and Fastify adapters, which load no framework code', () => {
    // Through require: the preload hides modules from CommonJS resolution, which the CommonJS
    // build's imports go through.
    const out = withoutPeer('express,fastify', "const { handle } = require('hookflow/express'); const { hookflowFastify } = require('hookflow/fastify'); console.log(typeof handle, typeof hookflowFastify)", 'commonjs')
    expect(out).toBe('function function')
  })

  it('keeps the error of a peer that is installed but cannot load one of its own modules', () => {
    const broken = Object.assign(new Error("Cannot find module 'bindings'"), { code: 'MODULE_NOT_FOUND' })
    const from = (() => {
      throw broken
    }) as unknown as NodeJS.Require
    expect(() => loadPeer('better-sqlite3', 'better-sqlite3@12', 'createSqliteStore', from)).toThrow(broken)
  })
})
