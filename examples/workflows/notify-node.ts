/**
 * A custom node type in a dozen lines: its config arrives with templates rendered (typed from
 * `configSchema`: `config.channel` is a string), its return value becomes the job's result
 * (`$jobsMapByNodeKey.<key>`), and a throw fails the execution.
 */
import { defineNode } from '../../src/index.js'

export const notifyNode = defineNode({
  type: 'notify',
  configSchema: {
    type: 'object',
    required: ['channel', 'text'],
    properties: { channel: { type: 'string' }, text: { type: 'string' } },
  },
  async run({ config, signal }) {
    signal.throwIfAborted()
    // A real node would call a chat API here, passing `signal` on to fetch.
    return { delivered: true, to: config.channel }
  },
})
