/**
 * `node --import tsx bench/drive.ts <port> [sync|async] <count>`: sends `count` workload requests
 * to a server on 127.0.0.1 over 10 connections and exits 1 unless every answer was the expected
 * 200. The load of `bench/server-instructions.sh`.
 */
import { load } from './lib/load.js'
import { PATH_ASYNC, PATH_SYNC } from './workload.js'

const [port, mode = 'sync', count = '2000'] = process.argv.slice(2)
if (!port) throw new Error('usage: drive.ts <port> [sync|async] <count>')
const result = await load({
  url: `http://127.0.0.1:${port}`,
  path: mode === 'async' ? PATH_ASYNC : PATH_SYNC,
  connections: 10,
  amount: Number(count),
  expectStatus: 200,
})
console.log(JSON.stringify({ requests: result.requests, unexpected: result.unexpected }))
if (result.unexpected > 0 || result.requests !== Number(count)) process.exit(1)
