/**
 * @module
 * The node types one engine knows, keyed by `type`, each with its config schema compiled
 * (once per schema object). Owned by an engine instance: two engines never see each other's types.
 */
import type { ValidateFunction } from 'ajv'
import { compileSchema } from './compile-schema.js'
import type { NodeType } from './node-type.js'
import { definitionSchema } from './definition-schema.js'

export interface RegisteredNodeType {
  readonly nodeType: NodeType<any, unknown>
  readonly validateConfig: ValidateFunction | undefined
}

export class NodeRegistry {
  readonly #types = new Map<string, RegisteredNodeType>()
  readonly validateDefinition: ValidateFunction = compileSchema(definitionSchema)

  constructor(nodeTypes: Iterable<NodeType<any, unknown>>) {
    for (const nodeType of nodeTypes) this.add(nodeType)
  }

  add(nodeType: NodeType<any, unknown>): void {
    if (typeof nodeType?.type !== 'string' || nodeType.type === '' || typeof nodeType.run !== 'function') {
      throw new TypeError('A node type needs a non-empty string `type` and a `run` function')
    }
    if (this.#types.has(nodeType.type)) {
      throw new TypeError(`Node type "${nodeType.type}" is registered twice`)
    }
    const validateConfig = nodeType.configSchema ? compileSchema(nodeType.configSchema) : undefined
    this.#types.set(nodeType.type, { nodeType, validateConfig })
  }

  get(type: string): RegisteredNodeType | undefined {
    return this.#types.get(type)
  }

  types(): string[] {
    return [...this.#types.keys()]
  }
}
