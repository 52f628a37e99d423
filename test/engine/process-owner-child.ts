// Prints this process's owner id, then waits to be killed (for process-owner.test.ts).
import { processOwnerId } from '../../src/engine/process-owner.js'

console.log(processOwnerId())
setInterval(() => undefined, 60_000)
