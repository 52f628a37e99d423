import { execFileSync } from 'node:child_process'
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
})
