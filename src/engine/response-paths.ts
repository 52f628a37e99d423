/**
 * @module
 * Finds a path through a sync workflow that ends without a Response node: such a request is
 * answered only with the default status mapping (200 / 500 and `{ executionId, status }`),
 * which is rarely what the sender expects. `register` warns about it, or refuses it with
 * `strictResponses`.
 *
 * A node with branches is taken once per branch its type declares (a missing one is an empty
 * chain); after a branch the path goes on after the node, as the processor's flow does. A
 * node type with `responds` answers; one with `ends` ends the path.
 */
import type { CompiledNode } from './compile-workflow.js'

interface Open {
  /** Node keys, with `key:branch` where the path took a branch. */
  path: string[]
  /** Ended by an ending node, not by running out of nodes. */
  ended: boolean
}

/** One path that ends without a Response node, or undefined when every path answers. */
export function unansweredPath(nodes: readonly CompiledNode[]): string[] | undefined {
  const memo = new Map<readonly CompiledNode[], Map<number, Open | null>>()

  const walk = (chain: readonly CompiledNode[], i: number): Open | null => {
    let seen = memo.get(chain)
    if (!seen) memo.set(chain, (seen = new Map()))
    const known = seen.get(i)
    if (known !== undefined) return known
    const result = step(chain, i)
    seen.set(i, result)
    return result
  }

  const step = (chain: readonly CompiledNode[], i: number): Open | null => {
    const node = chain[i]
    if (!node) return { path: [], ended: false }
    if (node.nodeType.responds) return null
    if (node.nodeType.ends) return { path: [node.key], ended: true }
    const names = node.nodeType.anyBranches ? [...node.branches.keys()] : (node.nodeType.branches ?? [])
    if (names.length === 0) {
      const rest = walk(chain, i + 1)
      return rest && { path: [node.key, ...rest.path], ended: rest.ended }
    }
    for (const name of names) {
      const inside = walk(node.branches.get(name) ?? [], 0)
      if (!inside) continue
      const taken = [`${node.key}:${name}`, ...inside.path]
      if (inside.ended) return { path: taken, ended: true }
      const rest = walk(chain, i + 1)
      if (rest) return { path: [...taken, ...rest.path], ended: rest.ended }
    }
    return null
  }

  return walk(nodes, 0)?.path
}
