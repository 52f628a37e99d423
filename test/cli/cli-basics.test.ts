import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBin, tempFolder } from './run-bin.js'

const COMMANDS = ['dev', 'send', 'paths', 'executions', 'migrate']

describe('the hookflow command', () => {
  it('lists every command in its help and exits 0', async () => {
    const { code, stdout } = await runBin(['--help'])
    expect(code).toBe(0)
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
  })

  it('prints each command\'s own help with --help and exits 0', async () => {
    const results = await Promise.all(COMMANDS.map((command) => runBin([command, '--help'])))
    results.forEach(({ code, stdout }, i) => {
      expect(code).toBe(0)
      expect(stdout).toMatch(new RegExp(`^Usage: hookflow ${COMMANDS[i]}`))
      expect(stdout).toContain('--json')
    })
  })

  it('prints its version from package.json', async () => {
    const { code, stdout } = await runBin(['--version'])
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('exits 2 with a pointer to the help for an unknown command', async () => {
    const { code, stdout, stderr } = await runBin(['deploy'])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('unknown command "deploy"')
    expect(stderr).toContain('hookflow --help')
  })

  it('exits 2 for an unknown option, naming it', async () => {
    const { code, stderr } = await runBin(['paths', 'x.json', '--colour'])
    expect(code).toBe(2)
    expect(stderr).toContain("hookflow paths: Unknown option '--colour'")
    expect(stderr).toContain('hookflow paths --help')
  })

  it('exits 2 when a required argument is missing', async () => {
    const { code, stderr } = await runBin(['send'])
    expect(code).toBe(2)
    expect(stderr.split('\n')[0]).toBe('hookflow send: needs the URL to deliver to')
  })

  it('exits 1 with one line on stderr for a failure it can explain', async () => {
    const cwd = tempFolder()
    const { code, stdout, stderr } = await runBin(['paths', 'missing.json'], { cwd })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe('hookflow paths: cannot read missing.json: no such file\n')
  })

  it('writes no colour codes when the output is not a terminal', async () => {
    const cwd = tempFolder()
    writeFileSync(join(cwd, 'sample.json'), '{"a":{"b":1}}')
    const { stdout } = await runBin(['paths', 'sample.json'], { cwd })
    expect(stdout).toContain('a.b')
    expect(stdout).not.toContain('\u001b[')
  })

  it('colours its output when FORCE_COLOR asks, and never with NO_COLOR set', async () => {
    const cwd = tempFolder()
    writeFileSync(join(cwd, 'sample.json'), '{"a":{"b":1}}')
    const forced = await runBin(['paths', 'sample.json'], { cwd, env: { FORCE_COLOR: '1' } })
    expect(forced.stdout).toContain('\u001b[1mpath\u001b[22m')
    const refused = await runBin(['paths', 'sample.json'], { cwd, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })
    expect(refused.stdout).not.toContain('\u001b[')
  })
})
