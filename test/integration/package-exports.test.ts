import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The built package, as a user's `import` and `require` load it (npm test builds first).
const root = new URL('../..', import.meta.url).pathname

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim()
}

describe('the built package', () => {
  it('loads every public name through import', () => {
    const out = run([
      '--input-type=module',
      '-e',
      "import * as h from 'hookflow'; import * as n from 'hookflow/node'; console.log([typeof h.createEngine, typeof h.WebhookTrigger, typeof h.defineNode, typeof h.defineWorkflow, typeof h.inferBodyPaths, typeof h.inferQueryPaths, typeof h.WorkflowDefinitionError, typeof n.createListener].join())",
    ])
    expect(out).toBe(Array(8).fill('function').join())
  })

  it('loads through require and answers a webhook', () => {
    const out = run([
      '-e',
      `const { createEngine, WebhookTrigger } = require('hookflow');
       const engine = createEngine();
       engine.register({ key: 'k', sync: true, trigger: { type: 'webhook', id: 'k' },
         nodes: [{ key: 'r', type: 'response', config: { statusCode: 201, body: 'made' } }] });
       new WebhookTrigger({ engine }).fetch(new Request('http://x/api/webhook:trigger/k', { method: 'POST' }))
         .then(async (r) => { console.log(r.status, await r.text()); await engine.close() })`,
    ])
    expect(out).toBe('201 made')
  })

  it('loads the framework adapters and the testing entry through import', () => {
    const out = run([
      '--input-type=module',
      '-e',
      "import { handle } from 'hookflow/express'; import plugin, { hookflowFastify } from 'hookflow/fastify'; import { describeFrameworkAdapter, describeQueue, describeStore, listen } from 'hookflow/testing'; console.log([typeof handle, typeof plugin, plugin === hookflowFastify, typeof describeFrameworkAdapter, typeof listen, typeof describeStore, typeof describeQueue].join())",
    ])
    expect(out).toBe('function,function,true,function,function,function,function')
  })

  it('answers a webhook through require(\'hookflow/express\') in an Express app', () => {
    const out = run([
      '-e',
      `const express = require('express');
       const { createEngine, WebhookTrigger } = require('hookflow');
       const { handle } = require('hookflow/express');
       const engine = createEngine();
       engine.register({ key: 'k', sync: true, trigger: { type: 'webhook', id: 'k' },
         nodes: [{ key: 'r', type: 'response', config: { statusCode: 201, body: 'made' } }] });
       const app = express().use('/hooks', handle(new WebhookTrigger({ engine, basePath: '/hooks' })));
       const server = app.listen(0, '127.0.0.1', async () => {
         const r = await fetch('http://127.0.0.1:' + server.address().port + '/hooks/k', { method: 'POST' });
         console.log(r.status, await r.text());
         server.closeAllConnections(); server.close(); await engine.close();
       })`,
    ])
    expect(out).toBe('201 made')
  })

  it('answers a webhook through require(\'hookflow/fastify\') registered as is', () => {
    const out = run([
      '-e',
      `const Fastify = require('fastify');
       const { createEngine, WebhookTrigger } = require('hookflow');
       const engine = createEngine();
       engine.register({ key: 'k', sync: true, trigger: { type: 'webhook', id: 'k' },
         nodes: [{ key: 'r', type: 'response', config: { statusCode: 201, body: 'made' } }] });
       const app = Fastify().register(require('hookflow/fastify'), { trigger: new WebhookTrigger({ engine, basePath: '/hooks' }), prefix: '/hooks' });
       app.inject({ method: 'POST', url: '/hooks/k' })
         .then(async (r) => { console.log(r.statusCode, r.body); await app.close(); await engine.close() })`,
    ])
    expect(out).toBe('201 made')
  })

  it('loads hookflow/sqlite through import and require, and stores on a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-exports-'))
    try {
      const script = (load: string): string => `${load}
        const store = createSqliteStore({ filename: ${JSON.stringify(join(dir, 'x.db'))} });
        const engine = createEngine({ store });
        engine.register({ key: 'k', trigger: { type: 'webhook', id: 'k' }, nodes: [] });
        engine.trigger('k').then(async (execution) => {
          await engine.idle();
          const stored = await engine.getExecution(execution.id);
          console.log(typeof SqliteStoreError, stored.status);
          await engine.close();
        })`
      const imported = run(['--input-type=module', '-e', script("import { createEngine } from 'hookflow'; import { createSqliteStore, SqliteStoreError } from 'hookflow/sqlite';")])
      const required = run(['-e', script("const { createEngine } = require('hookflow'); const { createSqliteStore, SqliteStoreError } = require('hookflow/sqlite');")])
      expect([imported, required]).toEqual(['function resolved', 'function resolved'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('loads hookflow/postgres through import and require, without connecting until used', () => {
    const script = (load: string): string => `${load}
      const store = createPostgresStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }, { schema: 'app_hooks' });
      let refused = '';
      try { createPostgresStore({ connectionString: 'x' }, { schema: 'a"b' }) } catch (error) { refused = error.name }
      store.close().then(() => console.log(typeof PostgresStoreError, store.schema, store.durable, refused))`
    const imported = run(['--input-type=module', '-e', script("import { createPostgresStore, PostgresStoreError } from 'hookflow/postgres';")])
    const required = run(['-e', script("const { createPostgresStore, PostgresStoreError } = require('hookflow/postgres');")])
    expect([imported, required]).toEqual(Array(2).fill('function app_hooks true TypeError'))
  })

  it('serves the inspector page, its files and its API from the built hookflow/inspector, through import and require', () => {
    const script = (load: string): string => `${load}
      const engine = createEngine();
      engine.register({ key: 'k', trigger: { type: 'webhook', id: 'k' }, nodes: [] });
      const trigger = new WebhookTrigger({ engine });
      const inspector = createInspector({ engine, trigger, auth: { username: 'a', password: 'b' } });
      const get = (path) => inspector.fetch(new Request('http://x' + path, { headers: { authorization: 'Basic ' + btoa('a:b') } }));
      (async () => {
        const out = [];
        for (const path of ['/hookflow/', '/hookflow/assets/inspector.js', '/hookflow/assets/inspector.css']) {
          const r = await get(path);
          const text = await r.text();
          out.push(r.status + ' ' + r.headers.get('content-type').split(';')[0] + ' ' + (text.length > 1000) + ' ' + r.headers.get('x-frame-options'));
        }
        const api = await get('/hookflow/api/workflows');
        out.push(api.status + ' ' + (await api.json()).items[0].url);
        out.push((await inspector.fetch(new Request('http://x/hookflow/'))).status);
        console.log(out.join('|'));
        await engine.close();
      })()`
    const expected = [
      '200 text/html true DENY', '200 text/javascript true DENY', '200 text/css true DENY',
      '200 http://x/api/webhook:trigger/k', '401',
    ].join('|')
    const imported = run(['--input-type=module', '-e', script("import { createEngine, WebhookTrigger } from 'hookflow'; import { createInspector } from 'hookflow/inspector';")])
    const required = run(['-e', script("const { createEngine, WebhookTrigger } = require('hookflow'); const { createInspector } = require('hookflow/inspector');")])
    expect([imported, required]).toEqual([expected, expected])
  })

  it('offers hookflow/testing to import only, as vitest cannot be required', () => {
    const load = (): string => execFileSync(process.execPath, ['-e', "require('hookflow/testing')"], { cwd: root, stdio: 'pipe' }).toString()
    expect(load).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/)
  })

  it('loads hookflow/bullmq through import and require', () => {
    const esm = run(['--input-type=module', '-e', "import { createBullmqQueue, bullmqJobId } from 'hookflow/bullmq'; console.log(typeof createBullmqQueue, bullmqJobId('12'))"])
    const cjs = run(['-e', "const { createBullmqQueue, bullmqJobId } = require('hookflow/bullmq'); console.log(typeof createBullmqQueue, bullmqJobId('a:b'))"])
    expect([esm, cjs]).toEqual(['function x-12', 'function x-a%3Ab'])
  })
})
