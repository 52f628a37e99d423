import { defineConfig } from 'tsup'

// p-queue and its helpers ship ESM only; the CommonJS build bundles them so that
// `require('hookflow')` works on every Node 20 release.
const esmOnly = ['p-queue', 'p-timeout']

const entry = {
  index: 'src/index.ts',
  'adapters/node/index': 'src/adapters/node/index.ts',
  'adapters/express/index': 'src/adapters/express/index.ts',
  'adapters/fastify/index': 'src/adapters/fastify/index.ts',
  'storage/sqlite/index': 'src/storage/sqlite/index.ts',
  'storage/postgres/index': 'src/storage/postgres/index.ts',
  'queue/bullmq/index': 'src/queue/bullmq/index.ts',
  'inspector/index': 'src/inspector/index.ts',
}

// vitest refuses to be require()d, so `hookflow/testing` ships as ESM only.
const esmTyped = { ...entry, 'testing/index': 'src/testing/index.ts' }
// The `hookflow` command (package.json `bin`): ESM, no types; its shebang makes tsup mark it executable.
const esmEntry = { ...esmTyped, 'cli/bin': 'src/cli/bin.ts' }

// No source maps: the output is not minified and keeps every name, so stack traces already read
// well, and maps (with the sources inside) would make the package almost three times larger.
export default defineConfig([
  { entry: esmEntry, format: ['esm'], dts: { entry: esmTyped }, clean: true, target: 'node20', splitting: true },
  // `shims` gives the CommonJS build an `import.meta.url` (src/peers/load-peer.ts reads it in ESM).
  { entry, format: ['cjs'], dts: true, target: 'node20', noExternal: esmOnly, shims: true },
])
