/**
 * @module
 * What the framework adapter matrix serves: one engine with an async workflow (JSON or form
 * bodies), a sync payment
 * workflow behind Basic auth (a condition with two Response branches, templated and repeated
 * headers), a sync workflow without a Response node, and a sync workflow that waits until its
 * run is aborted, so a client disconnect can be observed from inside the run.
 */
import { createEngine } from '../create-engine.js'
import { WebhookTrigger } from '../core/webhook-trigger.js'
import type { Engine } from '../engine/engine.js'
import type { AnyWorkflowDefinition, ConditionGroup } from '../engine/definition.js'
import { defineNode } from '../engine/node-type.js'

export const CREDENTIALS = { username: 'webhook', password: 'secret' }
/** The fixture trigger's `bodyTimeout`: a body still arriving after this answers 408. */
export const BODY_TIMEOUT = 3_000

export const AUTHORIZATION = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`

/** The `signed` workflow's GitHub webhook secret. */
export const SIGNING_SECRET = 'matrix-signing-secret'

const bigAmount: ConditionGroup = { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } }

// The `slow` workflow's node type is this module's own (`hookflow.testing.wait-for-abort`).
export const WORKFLOWS: AnyWorkflowDefinition[] = [
  {
    key: 'notify',
    trigger: {
      type: 'webhook',
      id: 'notify',
      request: { contentTypes: ['json', 'form'] },
      response: { statusCode: 202, headers: [{ name: 'x-order', value: 'order-{{$context.body.id}}' }], body: { queued: '{{$context.body.id}}' } },
    },
    nodes: [{ key: 'done', type: 'end' }],
  },
  {
    key: 'payment',
    sync: true,
    trigger: { type: 'webhook', id: 'payment', basicAuthentication: CREDENTIALS },
    nodes: [
      {
        key: 'big',
        type: 'condition',
        config: { rejectOnFalse: false, calculation: bigAmount },
        branches: {
          true: [{
            key: 'accept',
            type: 'response',
            config: {
              statusCode: 200,
              headers: [
                { name: 'x-payment', value: '{{$context.body.id}}' },
                { name: 'set-cookie', value: 'payment={{$context.body.id}}; Path=/; HttpOnly' },
                { name: 'set-cookie', value: 'seen=1; Path=/' },
              ],
              body: { ok: true, id: '{{$context.body.id}}' },
            },
          }],
          false: [{ key: 'refuse', type: 'response', config: { statusCode: 402, body: { ok: false, id: '{{$context.body.id}}' } } }],
        },
      },
    ],
  },
  { key: 'plain', sync: true, trigger: { type: 'webhook', id: 'plain' }, nodes: [{ key: 'done', type: 'end' }] },
  {
    key: 'signed',
    trigger: {
      type: 'webhook',
      id: 'signed',
      signature: { scheme: 'github', secrets: [SIGNING_SECRET] },
      response: { statusCode: 202, body: { received: '{{$context.body.id}}' } },
    },
    nodes: [{ key: 'done', type: 'end' }],
  },
  {
    key: 'slow',
    sync: true,
    trigger: { type: 'webhook', id: 'slow', timeout: 20_000 },
    nodes: [
      { key: 'wait', type: 'hookflow.testing.wait-for-abort', config: { token: '{{$context.body.token}}' } },
      { key: 'answer', type: 'response', config: { statusCode: 200, body: 'not aborted' } },
    ],
  },
]

/** One run of the waiting node, seen from the test: when it started and why it was aborted. */
export interface WaitProbe {
  started: Promise<string>
  aborted: Promise<unknown>
}

export interface AdapterFixture {
  engine: Engine
  trigger: WebhookTrigger
  /** Executions created so far, whatever the mount. */
  created(): number
  /** What the trigger reported as unexpected failures (answered 500). */
  errors: unknown[]
  /** Watches the run of the `slow` workflow whose body carries this token. */
  probe(token: string): WaitProbe
}

export function createAdapterFixture(basePath: string): AdapterFixture {
  const probes = new Map<string, { started(id: string): void; aborted(reason: unknown): void }>()
  const waitForAbort = defineNode({
    type: 'hookflow.testing.wait-for-abort',
    run: ({ config, signal, execution }) =>
      new Promise((_, reject) => {
        const probe = probes.get(String(config.token))
        probe?.started(execution.id)
        const stop = (): void => {
          probe?.aborted(signal.reason)
          reject(signal.reason)
        }
        if (signal.aborted) stop()
        else signal.addEventListener('abort', stop, { once: true })
      }),
  })
  const engine = createEngine({ nodeTypes: [waitForAbort] })
  for (const workflow of WORKFLOWS) engine.register(workflow)
  let created = 0
  engine.on('execution:created', () => void created++)
  const errors: unknown[] = []
  return {
    engine,
    trigger: new WebhookTrigger({ engine, basePath, bodyTimeout: BODY_TIMEOUT, onError: (error) => void errors.push(error) }),
    created: () => created,
    errors,
    probe(token) {
      let started!: (id: string) => void
      let aborted!: (reason: unknown) => void
      const probe = { started: new Promise<string>((r) => (started = r)), aborted: new Promise((r) => (aborted = r)) }
      probes.set(token, { started, aborted })
      return probe
    },
  }
}
