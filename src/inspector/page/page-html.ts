/**
 * @module
 * The inspector page's HTML: structure only. No inline script or style (the CSP allows neither);
 * the script and the style sheet are loaded from `assets/` next to it.
 */

export const PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>hookflow inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/inspector.css">
<script src="assets/inspector.js" defer></script>
</head>
<body>
<header class="top">
  <h1>hookflow <span>inspector</span></h1>
  <span id="live" class="live" data-state="connecting">connecting</span>
</header>
<main>
  <section id="workflows-section" aria-labelledby="workflows-title">
    <h2 id="workflows-title">Workflows</h2>
    <table id="workflows">
      <thead><tr><th>Workflow</th><th>Mode</th><th>Webhook URL</th><th>Last 24 hours</th><th></th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="workflows-empty" class="muted" hidden>No workflow is registered.</p>
  </section>

  <div class="columns">
    <section id="executions-section" aria-labelledby="executions-title">
      <h2 id="executions-title">Executions</h2>
      <form id="filters" class="filters">
        <label>Workflow <select name="workflow"><option value="">All</option></select></label>
        <label>Status <select name="status">
          <option value="">Any</option>
          <option>queued</option><option>started</option><option>resolved</option>
          <option>failed</option><option>error</option><option>aborted</option>
        </select></label>
        <label>Created <select name="since">
          <option value="">Any time</option>
          <option value="900000">Last 15 minutes</option>
          <option value="3600000">Last hour</option>
          <option value="86400000">Last 24 hours</option>
          <option value="604800000">Last 7 days</option>
        </select></label>
      </form>
      <table id="executions">
        <thead><tr><th>Created</th><th>Workflow</th><th>Status</th><th>Duration</th><th>Id</th></tr></thead>
        <tbody></tbody>
      </table>
      <p id="executions-empty" class="muted" hidden>No execution matches.</p>
      <button id="more" type="button" hidden>Load more</button>
    </section>

    <section id="execution-section" aria-labelledby="execution-title" hidden>
      <h2 id="execution-title">Execution <code id="execution-id"></code></h2>
      <div class="actions">
        <button type="button" data-action="retry">Retry</button>
        <button type="button" data-action="cancel">Cancel</button>
        <button type="button" data-action="replay">Replay</button>
      </div>
      <p id="action-message" class="message" role="status"></p>
      <dl id="execution-facts" class="facts"></dl>
      <h3>Nodes</h3>
      <ol id="jobs" class="jobs"></ol>
      <p id="jobs-empty" class="muted" hidden>No node has run yet.</p>
      <h3>Trigger variables (<code>$context</code>)</h3>
      <pre id="execution-context"></pre>
      <div id="execution-response-block" hidden>
        <h3>Response</h3>
        <pre id="execution-response"></pre>
      </div>
    </section>
  </div>

  <section id="delivery-section" aria-labelledby="delivery-title">
    <h2 id="delivery-title">Test delivery</h2>
    <div class="columns">
      <form id="delivery" class="stack">
        <label>Workflow <select name="workflow" required></select></label>
        <div class="row">
          <label>Method <input name="method" value="POST" size="8" autocomplete="off"></label>
          <label class="grow">Query <input name="query" placeholder="a=1&amp;b[0]=x" autocomplete="off"></label>
        </div>
        <label><span>Headers, one <code>name: value</code> per line</span><textarea name="headers" rows="3" spellcheck="false"></textarea></label>
        <label>Body <textarea name="body" rows="6" spellcheck="false">{}</textarea></label>
        <button type="submit">Send</button>
        <div id="delivery-answer" class="answer" hidden>
          <p><strong>Answer</strong> <span id="delivery-status"></span> <a id="delivery-execution" href="#"></a></p>
          <pre id="delivery-headers"></pre>
          <pre id="delivery-body"></pre>
        </div>
        <p id="delivery-message" class="message" role="status"></p>
      </form>
      <div class="stack">
        <h3>Declared variables</h3>
        <ul id="declared-variables" class="paths"></ul>
        <h3>Sample to paths</h3>
        <form id="sample" class="stack">
          <label><span>Paste a sample JSON body, or a URL with its query</span><textarea name="sample" rows="4" spellcheck="false"></textarea></label>
          <button type="submit">Show paths</button>
        </form>
        <ul id="sample-paths" class="paths"></ul>
      </div>
    </div>
  </section>
</main>
</body>
</html>
`
