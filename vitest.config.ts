import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// Most of the suite waits on sockets, child processes, databases and timers rather than on the
// CPU. Vitest's default (one worker less than the cores) runs it one file at a time on a
// two-core machine, where two at once keep both cores busy.
const workers = Math.max(2, availableParallelism() - 1)

export default defineConfig({
  test: {
    maxWorkers: workers,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
