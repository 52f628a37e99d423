import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { isDeadLocalOwner, processOwnerId } from '../../src/engine/process-owner.js'

// Linux only: elsewhere owners are plain ids and nothing is ever called dead.
const linux = process.platform === 'linux'
const OWNER_OF_CHILD = new URL('./process-owner-child.ts', import.meta.url).pathname

describe.runIf(linux)('process owners', () => {
  it('names this process and host in an owner id, and never calls this process dead', () => {
    const owner = processOwnerId()
    expect(owner).toMatch(new RegExp(` pid:${process.pid} start:\\d+ host:\\S+ boot:\\S+ ns:\\d+$`))
    expect(isDeadLocalOwner(owner)).toBe(false)
    expect(isDeadLocalOwner(processOwnerId())).toBe(false)
  })

  it('calls a process on this host dead once it was killed, and not before', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', OWNER_OF_CHILD], { stdio: ['ignore', 'pipe', 'inherit'] })
    const owner = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))
    expect(owner).toContain(` pid:${child.pid} `)
    expect(isDeadLocalOwner(owner)).toBe(false)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    expect(isDeadLocalOwner(owner)).toBe(true)
  })

  it('calls dead an owner whose pid now belongs to a process started at another time (a reused pid)', () => {
    const reused = processOwnerId().replace(/ start:(\d+) /, (_, start: string) => ` start:${Number(start) - 1} `)
    expect(isDeadLocalOwner(reused)).toBe(true)
  })

  it('never calls dead an owner on another host, in another pid namespace or from another boot', () => {
    const gone = processOwnerId().replace(/ pid:\d+ /, ' pid:999999999 ')
    expect(isDeadLocalOwner(gone)).toBe(true)
    expect(isDeadLocalOwner(gone.replace(/ host:\S+ /, ' host:elsewhere '))).toBe(false)
    expect(isDeadLocalOwner(gone.replace(/ ns:\d+$/, ' ns:1'))).toBe(false)
    expect(isDeadLocalOwner(gone.replace(/ boot:\S+ /, ' boot:another-boot '))).toBe(false)
    expect(isDeadLocalOwner('a-plain-owner-id')).toBe(false)
    expect(isDeadLocalOwner(`cancel:${gone}`)).toBe(true)
  })
})
