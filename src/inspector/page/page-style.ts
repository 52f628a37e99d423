/**
 * @module
 * The inspector page's style sheet, served as a file (the CSP allows no inline style).
 */

export const PAGE_STYLE = String.raw`
:root {
  --bg: #f6f7f9;
  --panel: #fff;
  --ink: #1d2330;
  --muted: #677086;
  --line: #dde1e8;
  --accent: #3656d6;
  --ok: #18794e;
  --bad: #c2362b;
  --warn: #a35b00;
  --run: #2b6cb0;
  color-scheme: light;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
code, pre, .id, .url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.top { display: flex; align-items: center; justify-content: space-between; padding: .6rem 1.25rem; background: #1d2330; color: #fff; }
.top h1 { margin: 0; font-size: 1.1rem; font-weight: 600; }
.top h1 span { font-weight: 400; opacity: .75; }
.live { font-size: .8rem; padding: .15rem .55rem; border-radius: 1rem; background: #3a4254; }
.live[data-state="live"] { background: var(--ok); }
.live[data-state="reconnecting"] { background: var(--warn); }
main { padding: 1rem 1.25rem 3rem; max-width: 1500px; margin: 0 auto; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem 1rem; margin-bottom: 1rem; min-width: 0; }
h2 { font-size: 1rem; margin: 0 0 .6rem; }
h3 { font-size: .9rem; margin: 1rem 0 .4rem; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
.columns > section { margin-bottom: 0; }
#delivery-section .columns { gap: 1.5rem; }
.columns + section { margin-top: 1rem; }
@media (max-width: 1000px) { .columns { grid-template-columns: minmax(0, 1fr); } }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .8rem; }
tr.execution { cursor: pointer; }
tr.execution:hover, tr.execution:focus { background: #eef2fd; outline: none; }
tr.execution.selected { background: #e2e9fc; }
.id { color: var(--muted); word-break: break-all; }
.url code { word-break: break-all; }
.nowrap { white-space: nowrap; }
.muted { color: var(--muted); }
.small { font-size: .8rem; }
.badge { display: inline-block; padding: 0 .45rem; margin: 0 .25rem .15rem 0; border-radius: .75rem; font-size: .78rem; background: #e9ecf2; color: var(--ink); white-space: nowrap; }
.status-resolved { background: #dcf3e6; color: var(--ok); }
.status-failed, .status-error { background: #fbe3e0; color: var(--bad); }
.status-aborted { background: #f7ebd9; color: var(--warn); }
.status-started, .status-waiting { background: #dfeafa; color: var(--run); }
.status-queued { background: #eceef3; color: var(--muted); }
.badge.replay { background: #ece4fb; color: #5b3bb3; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; margin-bottom: .5rem; }
label { display: flex; flex-direction: column; gap: .2rem; font-size: .8rem; color: var(--muted); }
.filters label { flex-direction: row; align-items: center; gap: .4rem; }
select, input, textarea { font: inherit; color: var(--ink); padding: .3rem .45rem; border: 1px solid var(--line); border-radius: 5px; background: #fff; }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; resize: vertical; width: 100%; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent); border-radius: 5px; background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: .4; cursor: default; }
button.link { padding: 0; border: 0; background: none; color: var(--accent); text-decoration: underline; font-weight: 600; }
#more { margin-top: .6rem; background: #fff; color: var(--accent); }
.actions { display: flex; gap: .5rem; }
.message { min-height: 1.2em; margin: .4rem 0; }
.error-text { color: var(--bad); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; word-break: break-word; }
pre { margin: .25rem 0; padding: .5rem .6rem; background: #f3f4f7; border: 1px solid var(--line); border-radius: 5px; overflow: auto; max-height: 22rem; white-space: pre-wrap; word-break: break-word; }
.jobs { list-style: none; padding: 0; margin: 0; }
.job { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 5px; padding: .4rem .6rem; margin-bottom: .4rem; }
.job[data-status="resolved"] { border-left-color: var(--ok); }
.job[data-status="failed"], .job[data-status="error"] { border-left-color: var(--bad); }
.job[data-status="aborted"] { border-left-color: var(--warn); }
.job[data-status="waiting"] { border-left-color: var(--run); }
.job.depth-1 { margin-left: 1.25rem; }
.job.depth-2 { margin-left: 2.5rem; }
.job.depth-3 { margin-left: 3.75rem; }
.job.depth-4 { margin-left: 5rem; }
.job.depth-5 { margin-left: 6.25rem; }
.job.depth-6 { margin-left: 7.5rem; }
.job-head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.branch { font-weight: 600; color: var(--accent); }
.label { font-size: .75rem; color: var(--muted); margin-top: .3rem; }
details summary { cursor: pointer; color: var(--muted); font-size: .8rem; margin-top: .25rem; }
.stack { display: flex; flex-direction: column; gap: .6rem; }
.stack > button { align-self: flex-start; }
.row { display: flex; gap: .6rem; }
.grow { flex: 1; }
.answer { border-top: 1px solid var(--line); padding-top: .5rem; }
.paths { margin: 0; padding-left: 1.1rem; }
.paths li { margin: .1rem 0; }
`
