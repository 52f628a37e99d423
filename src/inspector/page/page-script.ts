/**
 * @module
 * The inspector page's script: plain browser JavaScript, no build step, no dependency. It reads
 * the JSON API next to it and the live event stream, and puts everything a sender controlled
 * on the page as text (`textContent`), never as markup.
 *
 * Kept inside `String.raw`: it holds no backtick and no dollar-brace, and its backslashes stay as written.
 */

export const PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  // Everything a sender controlled (bodies, headers, query values, node results, error messages)
  // reaches the page through textContent or value only: never as markup, never as a URL it opens.
  var STATUSES = ['queued', 'started', 'resolved', 'failed', 'error', 'aborted'];
  var FINAL = { resolved: true, failed: true, error: true, aborted: true };
  var PAGE = 50;

  var state = {
    workflows: [],
    byKey: {},
    items: [],
    nextCursor: null,
    selected: null,
    detail: null,
    listVersion: 0,
    arrived: null
  };

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function pretty(value) {
    if (value === undefined) return '';
    try { return JSON.stringify(value, null, 2); } catch (e) { return String(value); }
  }

  function statusBadge(status) {
    var known = STATUSES.indexOf(status) >= 0 || status === 'waiting';
    var badge = el('span', 'badge status-' + (known ? status : 'unknown'), status);
    badge.setAttribute('data-status', String(status));
    return badge;
  }

  function time(ms) {
    if (ms === null || ms === undefined) return '';
    var date = new Date(ms);
    return date.toLocaleString();
  }

  function shortTime(ms) {
    var date = new Date(ms);
    var today = new Date();
    return date.toDateString() === today.toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
  }

  function duration(from, to) {
    if (from === null || from === undefined || to === null || to === undefined) return '';
    var ms = to - from;
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }

  function api(path, options) {
    var init = { method: 'GET', credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (options && options.method) init.method = options.method;
    if (options && options.body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    return fetch('api/' + path, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!response.ok) {
          var message = data && data.error && data.error.message ? data.error.message : 'HTTP ' + response.status;
          var error = new Error(message);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function say(id, text, isError) {
    var node = $(id);
    node.textContent = text || '';
    node.classList.toggle('error-text', Boolean(isError));
  }

  // ---- workflows ----------------------------------------------------------------------------

  function loadWorkflows() {
    return api('workflows').then(function (data) {
      state.workflows = data.items;
      state.byKey = {};
      data.items.forEach(function (workflow) { state.byKey[workflow.key] = workflow; });
      renderWorkflows();
      fillWorkflowSelects();
      renderDeclaredVariables();
    });
  }

  function renderWorkflows() {
    var body = $('workflows').tBodies[0];
    clear(body);
    $('workflows-empty').hidden = state.workflows.length > 0;
    state.workflows.forEach(function (workflow) {
      var row = el('tr');
      row.setAttribute('data-key', workflow.key);
      var name = el('td');
      var filter = el('button', 'link', workflow.key);
      filter.type = 'button';
      filter.title = 'Show its executions';
      filter.addEventListener('click', function () { setFilter('workflow', workflow.key); });
      name.appendChild(filter);
      if (workflow.title) name.appendChild(el('div', 'muted', workflow.title));
      row.appendChild(name);
      var mode = el('td', null, workflow.sync ? 'sync' : 'async');
      if (!workflow.enabled) mode.appendChild(el('span', 'badge status-aborted', 'disabled'));
      row.appendChild(mode);
      var url = el('td', 'url');
      url.appendChild(el('code', null, workflow.methods.join(', ') + ' ' + workflow.url));
      row.appendChild(url);
      var counts = el('td', 'counts');
      if (workflow.counts) {
        STATUSES.forEach(function (status) {
          var n = workflow.counts[status];
          if (n > 0) {
            var badge = statusBadge(status);
            badge.textContent = status + ' ' + n;
            counts.appendChild(badge);
          }
        });
        if (!counts.firstChild) counts.appendChild(el('span', 'muted', 'none'));
      } else {
        counts.appendChild(el('span', 'muted', 'not counted by this store'));
      }
      row.appendChild(counts);
      var actions = el('td');
      var test = el('button', null, 'Test');
      test.type = 'button';
      test.addEventListener('click', function () {
        $('delivery').elements.workflow.value = workflow.key;
        workflowForDelivery();
        $('delivery-section').scrollIntoView({ behavior: 'smooth' });
      });
      actions.appendChild(test);
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  function fillWorkflowSelects() {
    [$('filters').elements.workflow, $('delivery').elements.workflow].forEach(function (select, i) {
      var current = select.value;
      while (select.options.length > (i === 0 ? 1 : 0)) select.remove(select.options.length - 1);
      state.workflows.forEach(function (workflow) {
        var option = el('option', null, workflow.key);
        option.value = workflow.key;
        select.appendChild(option);
      });
      if (current && state.byKey[current]) select.value = current;
    });
  }

  var countsTimer = null;
  function refreshCountsSoon() {
    if (countsTimer) return;
    countsTimer = setTimeout(function () {
      countsTimer = null;
      loadWorkflows().catch(function () {});
    }, 1000);
  }

  // ---- executions list ----------------------------------------------------------------------

  function filters() {
    var form = $('filters').elements;
    var since = form.since.value ? Date.now() - Number(form.since.value) : null;
    return { workflow: form.workflow.value, status: form.status.value, since: since };
  }

  function setFilter(name, value) {
    $('filters').elements[name].value = value;
    loadExecutions();
    $('executions-section').scrollIntoView({ behavior: 'smooth' });
  }

  function query(cursor) {
    var f = filters();
    var params = new URLSearchParams();
    if (f.workflow) params.set('workflow', f.workflow);
    if (f.status) params.set('status', f.status);
    if (f.since !== null) params.set('since', String(f.since));
    if (cursor) params.set('cursor', cursor);
    params.set('limit', String(PAGE));
    return 'executions?' + params.toString();
  }

  function loadExecutions() {
    var version = ++state.listVersion;
    // Live events that arrive while the page is read are applied again on top of it: the page
    // may have been read before they happened.
    state.arrived = [];
    return api(query(null)).then(function (data) {
      if (version !== state.listVersion) return;
      var arrived = state.arrived || [];
      state.arrived = null;
      state.items = data.items;
      state.nextCursor = data.nextCursor;
      arrived.forEach(function (item) { upsert(item); });
      renderExecutions();
    });
  }

  function loadMore() {
    if (!state.nextCursor) return;
    var version = state.listVersion;
    api(query(state.nextCursor)).then(function (data) {
      if (version !== state.listVersion) return;
      data.items.forEach(function (item) {
        if (!findItem(item.id)) state.items.push(item);
      });
      state.nextCursor = data.nextCursor;
      renderExecutions();
    });
  }

  function findItem(id) {
    for (var i = 0; i < state.items.length; i++) if (state.items[i].id === id) return state.items[i];
    return null;
  }

  function matches(item) {
    var f = filters();
    if (f.workflow && item.workflowKey !== f.workflow) return false;
    if (f.status && item.status !== f.status) return false;
    if (f.since !== null && item.createdAt < f.since) return false;
    return true;
  }

  function executionRow(item) {
    var row = el('tr', 'execution');
    row.setAttribute('data-id', item.id);
    row.setAttribute('data-status', item.status);
    row.tabIndex = 0;
    if (item.id === state.selected) row.classList.add('selected');
    row.appendChild(el('td', 'nowrap', shortTime(item.createdAt)));
    row.appendChild(el('td', null, item.workflowKey));
    var status = el('td');
    status.appendChild(statusBadge(item.status));
    if (item.reason) status.appendChild(el('span', 'muted', ' ' + item.reason));
    if (item.replayOf) status.appendChild(el('span', 'badge replay', 'replay'));
    row.appendChild(status);
    row.appendChild(el('td', 'nowrap', duration(item.startedAt, item.finishedAt)));
    row.appendChild(el('td', 'id', item.id));
    row.addEventListener('click', function () { select(item.id); });
    row.addEventListener('keydown', function (event) { if (event.key === 'Enter') select(item.id); });
    return row;
  }

  function renderExecutions() {
    var body = $('executions').tBodies[0];
    clear(body);
    state.items.forEach(function (item) { body.appendChild(executionRow(item)); });
    $('executions-empty').hidden = state.items.length > 0;
    $('more').hidden = !state.nextCursor;
  }

  // A live event: the row is updated in place, or added where it belongs when it matches.
  function upsert(item) {
    if (state.arrived) state.arrived.push(item);
    var known = findItem(item.id);
    if (known) {
      for (var key in item) if (Object.prototype.hasOwnProperty.call(item, key)) known[key] = item[key];
    } else {
      if (!matches(item)) return;
      var last = state.items[state.items.length - 1];
      // Older than everything shown while more pages exist: it belongs to a later page.
      if (state.nextCursor && last && item.createdAt < last.createdAt) return;
      var at = 0;
      while (at < state.items.length && state.items[at].createdAt > item.createdAt) at++;
      state.items.splice(at, 0, item);
    }
    renderExecutions();
  }

  // ---- one execution ------------------------------------------------------------------------

  function select(id) {
    state.selected = id;
    if (location.hash !== '#execution=' + encodeURIComponent(id)) {
      history.replaceState(null, '', '#execution=' + encodeURIComponent(id));
    }
    Array.prototype.forEach.call(document.querySelectorAll('tr.execution'), function (row) {
      row.classList.toggle('selected', row.getAttribute('data-id') === id);
    });
    say('action-message', '');
    return loadDetail();
  }

  function loadDetail() {
    var id = state.selected;
    if (!id) return Promise.resolve();
    return api('executions/' + encodeURIComponent(id)).then(function (execution) {
      if (state.selected !== id) return;
      state.detail = execution;
      renderDetail(execution);
      // Read after the events that asked for it: the freshest state the list can show.
      var item = {};
      ['id', 'workflowKey', 'status', 'reason', 'sync', 'eventKey', 'createdAt', 'startedAt', 'finishedAt', 'attempts', 'error'].forEach(function (key) {
        item[key] = execution[key];
      });
      item.replayOf = execution.replayOf || null;
      upsert(item);
    }, function (error) {
      if (state.selected !== id) return;
      $('execution-section').hidden = false;
      $('execution-id').textContent = id;
      say('action-message', error.message, true);
    });
  }

  var detailTimer = null;
  function reloadDetailSoon() {
    if (detailTimer) return;
    detailTimer = setTimeout(function () {
      detailTimer = null;
      loadDetail();
    }, 150);
  }

  function fact(list, term, value) {
    if (value === null || value === undefined || value === '') return;
    list.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    list.appendChild(dd);
  }

  function renderDetail(execution) {
    $('execution-section').hidden = false;
    var section = $('execution-section');
    section.setAttribute('data-id', execution.id);
    section.setAttribute('data-status', execution.status);
    $('execution-id').textContent = execution.id;
    var facts = $('execution-facts');
    clear(facts);
    var status = el('span');
    status.appendChild(statusBadge(execution.status));
    if (execution.reason) status.appendChild(el('span', 'muted', ' ' + execution.reason));
    fact(facts, 'Status', status);
    fact(facts, 'Workflow', execution.workflowKey + (execution.sync ? ' (sync)' : ' (async)'));
    fact(facts, 'Created', time(execution.createdAt));
    fact(facts, 'Started', time(execution.startedAt));
    fact(facts, 'Finished', time(execution.finishedAt));
    fact(facts, 'Duration', duration(execution.startedAt, execution.finishedAt));
    fact(facts, 'Attempts', execution.attempts);
    fact(facts, 'Event key', execution.eventKey);
    if (execution.replayOf) {
      var link = el('button', 'link', execution.replayOf);
      link.type = 'button';
      link.addEventListener('click', function () { select(execution.replayOf); });
      fact(facts, 'Replay of', link);
    }
    if (execution.error) fact(facts, 'Error', (execution.error.code ? execution.error.code + ': ' : '') + execution.error.message);

    var final = FINAL[execution.status] === true;
    setAction('retry', final && execution.status !== 'resolved');
    setAction('cancel', !final);
    setAction('replay', true);

    renderJobs(execution);
    $('execution-context').textContent = pretty(execution.context);
    $('execution-response-block').hidden = !execution.response;
    $('execution-response').textContent = execution.response ? pretty(execution.response) : '';
  }

  function setAction(name, enabled) {
    document.querySelector('[data-action="' + name + '"]').disabled = !enabled;
  }

  // Where each node sits in its workflow: the branches that lead to it, and its definition.
  function nodePlaces(nodes, path, places) {
    (nodes || []).forEach(function (node) {
      places[node.key] = { node: node, path: path };
      if (node.branches) {
        Object.keys(node.branches).forEach(function (branch) {
          nodePlaces(node.branches[branch], path.concat([node.key + ' \u203a ' + branch]), places);
        });
      }
    });
    return places;
  }

  function renderJobs(execution) {
    var list = $('jobs');
    clear(list);
    var workflow = state.byKey[execution.workflowKey];
    var places = nodePlaces(workflow ? workflow.nodes : [], [], {});
    var jobs = execution.jobs || [];
    $('jobs-empty').hidden = jobs.length > 0;
    jobs.forEach(function (job) {
      var place = places[job.nodeKey];
      var item = el('li', 'job');
      item.setAttribute('data-node', job.nodeKey);
      item.setAttribute('data-status', job.status);
      if (place && place.path.length) item.classList.add('depth-' + Math.min(place.path.length, 6));
      var head = el('div', 'job-head');
      head.appendChild(el('strong', null, job.nodeKey));
      if (place && place.node.title) head.appendChild(el('span', null, place.node.title));
      head.appendChild(el('span', 'muted', job.type));
      head.appendChild(statusBadge(job.status));
      if (job.attempts && job.attempts > 1) head.appendChild(el('span', 'muted', job.attempts + ' attempts'));
      head.appendChild(el('span', 'muted', duration(job.startedAt, job.finishedAt)));
      if (job.flow && job.flow.branch !== undefined) head.appendChild(el('span', 'branch', '\u2192 ' + job.flow.branch));
      if (job.flow && job.flow.end) head.appendChild(el('span', 'branch', 'ended ' + job.flow.end));
      item.appendChild(head);
      if (place && place.path.length) item.appendChild(el('div', 'muted small', 'in ' + place.path.join(', ')));
      if (place && place.node.config !== undefined) {
        var config = el('details');
        config.appendChild(el('summary', null, 'Config'));
        config.appendChild(el('pre', null, pretty(place.node.config)));
        item.appendChild(config);
      }
      if (job.error) {
        item.appendChild(el('div', 'label', 'Error'));
        item.appendChild(el('pre', 'error-text', (job.error.code ? job.error.code + ': ' : '') + job.error.message));
      } else if (job.result !== undefined && job.result !== null) {
        item.appendChild(el('div', 'label', 'Result'));
        item.appendChild(el('pre', null, pretty(job.result)));
      }
      list.appendChild(item);
    });
  }

  function act(action) {
    var id = state.selected;
    if (!id) return;
    setAction(action, false);
    say('action-message', action + '\u2026');
    api('executions/' + encodeURIComponent(id) + '/' + action, { method: 'POST' }).then(function (data) {
      // The answer is a snapshot that live events may already have overtaken: the list is
      // updated from the detail read after it instead.
      if (action === 'replay') {
        say('action-message', 'Replayed as ' + data.execution.id);
        select(data.execution.id);
      } else {
        say('action-message', action === 'retry' ? 'Queued again' : 'Canceled');
        loadDetail();
      }
    }, function (error) {
      say('action-message', error.message, true);
      loadDetail();
    });
  }

  // ---- test delivery ------------------------------------------------------------------------

  function workflowForDelivery() {
    var form = $('delivery').elements;
    var workflow = state.byKey[form.workflow.value];
    if (workflow && workflow.methods.length) form.method.value = workflow.methods[0];
    renderDeclaredVariables();
  }

  function renderDeclaredVariables() {
    var list = $('declared-variables');
    clear(list);
    var workflow = state.byKey[$('delivery').elements.workflow.value];
    var variables = workflow ? workflow.variables : [];
    if (!variables.length) list.appendChild(el('li', 'muted', 'This workflow declares none.'));
    variables.forEach(function (variable) {
      var item = el('li');
      item.appendChild(el('code', null, variable.template));
      if (variable.alias) item.appendChild(el('span', 'muted', ' ' + variable.alias));
      list.appendChild(item);
    });
  }

  function headerLines(text) {
    var headers = {};
    text.split('\n').forEach(function (line) {
      var at = line.indexOf(':');
      if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    });
    return headers;
  }

  function sendDelivery(event) {
    event.preventDefault();
    var form = $('delivery').elements;
    var key = form.workflow.value;
    if (!key) return;
    var delivery = { method: form.method.value.trim() || 'POST', headers: headerLines(form.headers.value) };
    if (form.query.value.trim()) delivery.query = form.query.value.trim();
    if (form.body.value !== '') delivery.body = form.body.value;
    say('delivery-message', 'Sending\u2026');
    api('workflows/' + encodeURIComponent(key) + '/deliveries', { method: 'POST', body: delivery }).then(function (answer) {
      say('delivery-message', '');
      $('delivery-answer').hidden = false;
      $('delivery-status').textContent = answer.status + ' ' + (answer.statusText || '');
      $('delivery-headers').textContent = answer.headers.map(function (pair) { return pair[0] + ': ' + pair[1]; }).join('\n');
      $('delivery-body').textContent = answer.body;
      var link = $('delivery-execution');
      link.textContent = answer.executionId ? 'execution ' + answer.executionId : '';
      link.hidden = !answer.executionId;
      link.onclick = function (click) {
        click.preventDefault();
        if (answer.executionId) select(answer.executionId);
      };
    }, function (error) {
      say('delivery-message', error.message, true);
    });
  }

  function showSamplePaths(event) {
    event.preventDefault();
    var list = $('sample-paths');
    clear(list);
    api('sample-paths', { method: 'POST', body: { sample: $('sample').elements.sample.value } }).then(function (data) {
      if (!data.paths.length) list.appendChild(el('li', 'muted', 'No paths in this sample.'));
      data.templates.forEach(function (template) { list.appendChild(el('li')).appendChild(el('code', null, template)); });
    }, function (error) {
      list.appendChild(el('li', 'error-text', error.message));
    });
  }

  // ---- live updates -------------------------------------------------------------------------

  function connect() {
    var live = $('live');
    var source = new EventSource('api/events');
    var everOpen = false;
    source.onopen = function () {
      live.setAttribute('data-state', 'live');
      live.textContent = 'live';
      // Events missed while the stream was down: read the list again.
      if (everOpen) { loadExecutions(); refreshCountsSoon(); }
      everOpen = true;
    };
    source.onerror = function () {
      live.setAttribute('data-state', 'reconnecting');
      live.textContent = 'reconnecting';
    };
    ['execution:created', 'execution:started', 'execution:finished'].forEach(function (name) {
      source.addEventListener(name, function (event) {
        var item = JSON.parse(event.data);
        upsert(item);
        if (name !== 'execution:started') refreshCountsSoon();
        if (item.id === state.selected) reloadDetailSoon();
      });
    });
    source.addEventListener('job:finished', function (event) {
      var data = JSON.parse(event.data);
      if (data.executionId === state.selected) reloadDetailSoon();
    });
  }

  // ---- start --------------------------------------------------------------------------------

  function start() {
    $('filters').addEventListener('change', function () { loadExecutions(); });
    $('more').addEventListener('click', loadMore);
    Array.prototype.forEach.call(document.querySelectorAll('[data-action]'), function (button) {
      button.addEventListener('click', function () { act(button.getAttribute('data-action')); });
    });
    $('delivery').addEventListener('submit', sendDelivery);
    $('delivery').elements.workflow.addEventListener('change', workflowForDelivery);
    $('sample').addEventListener('submit', showSamplePaths);
    connect();
    loadWorkflows().then(function () {
      workflowForDelivery();
      return loadExecutions();
    }).then(function () {
      var match = /^#execution=(.+)$/.exec(location.hash);
      if (match) select(decodeURIComponent(match[1]));
    }).catch(function (error) {
      say('action-message', error.message, true);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`
