import { Script } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { PAGE_ASSETS, PAGE_SIZE } from '../../src/inspector/page/page-assets.js'
import { PAGE_SCRIPT } from '../../src/inspector/page/page-script.js'
import { PAGE_HTML } from '../../src/inspector/page/page-html.js'

// The page's files as the package ships them: compiled here only (never run), and read for
// the ways a script could turn text into markup or code.

describe('the inspector page files', () => {
  it('ship a script that is valid JavaScript', () => {
    expect(() => new Script(PAGE_SCRIPT, { filename: 'inspector.js' })).not.toThrow()
  })

  it('never turn text into markup or code in the script', () => {
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'setAttribute(\'on', '.src =', '.href =']) {
      expect(PAGE_SCRIPT, sink).not.toContain(sink)
    }
  })

  it('load nothing from another origin and hold no inline script or style', () => {
    expect(PAGE_HTML).not.toMatch(/https?:\/\//)
    expect(PAGE_HTML).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i)
    expect(PAGE_SCRIPT).not.toMatch(/https?:\/\//)
  })

  it('are three files, under 64 KB together', () => {
    expect([...PAGE_ASSETS.keys()]).toEqual(['/', '/assets/inspector.js', '/assets/inspector.css'])
    expect(PAGE_SIZE).toBeLessThan(64 * 1024)
  })
})
