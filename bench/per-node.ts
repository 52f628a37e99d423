/**
 * Per-node overhead, in process: a 20-node sync workflow (19 condition nodes reading a body
 * field through a template, then a Response node) against a 1-node one (the Response node
 * alone), each run through `engine.dispatch` to its stored end. The difference per extra node
 * is what one node costs the engine: render its config, run it, record its job. Prints one JSON
 * line: `{ usPerNode, oneNodeUs, twentyNodeUs }` (microseconds). `--quick` runs fewer.
 */
import { createEngine, type NodeDefinition, type WorkflowDefinition } from '../dist/index.js'

const quick = process.argv.includes('--quick')
const COUNT = quick ? 5_000 : 20_000

const respond: NodeDefinition = { key: 'answer', type: 'response', config: { statusCode: 200, body: { ok: true, id: '{{$context.body.id}}' } } }
const check = (i: number): NodeDefinition => ({
  key: `check${i}`,
  type: 'condition',
  config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', i] }] } } },
})
const workflow = (key: string, nodes: NodeDefinition[]): WorkflowDefinition => ({ key, sync: true, trigger: { type: 'webhook', id: key }, nodes })

const engine = createEngine()
engine.register(workflow('one', [respond]))
engine.register(workflow('twenty', [...Array.from({ length: 19 }, (_, i) => check(i)), respond]))
const context = { headers: {}, query: {}, params: {}, body: { id: 'pay_0001', amount: 2500 } }

async function measure(key: string, count: number): Promise<number> {
  const compiled = engine.getWorkflow(key)!
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const dispatch = await engine.dispatch(compiled, context)
    const final = await dispatch.finished!
    if (final.status !== 'resolved') throw new Error(`${key}: ${final.status}`)
  }
  return ((performance.now() - start) * 1000) / count
}

// Alternate the two so that both see the same machine; keep the best of three rounds.
let one = Infinity
let twenty = Infinity
await measure('one', COUNT / 4) // warm-up
await measure('twenty', COUNT / 4)
for (let round = 0; round < 3; round++) {
  one = Math.min(one, await measure('one', COUNT))
  twenty = Math.min(twenty, await measure('twenty', COUNT))
}
console.log(JSON.stringify({ usPerNode: (twenty - one) / 19, oneNodeUs: one, twentyNodeUs: twenty }))
await engine.close()
