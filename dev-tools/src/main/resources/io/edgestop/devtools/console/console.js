// The operator console's page: an EventSource on /api/events re-renders the overview whenever the
// server read a record; the search and a stop's story come from /api/search and /api/story.
// Everything shown goes through textContent (never innerHTML): record fields are data, not markup.
'use strict';

const COLORS = ['#2e9d57', '#b3261e', '#1a5fb4', '#d97706', '#8a3ffc', '#0e7490', '#c2185b', '#5d4037', '#607d8b'];
const colorOf = new Map();
let openRequestId = null;

function color(key) {
  if (!colorOf.has(key)) {
    colorOf.set(key, COLORS[colorOf.size % COLORS.length]);
  }
  return colorOf.get(key);
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  }
  return e;
}

function time(iso) {
  return iso ? iso.replace('T', ' ').replace('Z', '') : '';
}

function job(row) {
  return (row.clusterId || '?') + ' / ' + (row.jobId || '?');
}

function requestLink(requestId) {
  const a = el('a', {class: 'request', href: '#', 'data-request-id': requestId}, requestId);
  a.addEventListener('click', ev => {
    ev.preventDefault();
    showStory(requestId);
  });
  return a;
}

function fill(tableId, rows, cells) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...rows.map(r => {
    const tr = el('tr', {});
    for (const c of cells(r)) tr.append(c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, c));
    return tr;
  }));
}

function outcome(o) {
  return el('td', {class: 'outcome-' + o}, o);
}

function renderChart(perSecond) {
  const svg = document.getElementById('rate-chart');
  const ns = 'http://www.w3.org/2000/svg';
  const max = Math.max(1, ...perSecond.map(s => Object.values(s.counts).reduce((a, b) => a + b, 0)));
  const w = 600 / perSecond.length;
  const bars = [];
  perSecond.forEach((s, i) => {
    let y = 120;
    for (const [key, n] of Object.entries(s.counts).sort()) {
      const h = n / max * 110;
      y -= h;
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', String(i * w + 1));
      r.setAttribute('y', String(y));
      r.setAttribute('width', String(Math.max(1, w - 2)));
      r.setAttribute('height', String(h));
      r.setAttribute('fill', color(key));
      const title = document.createElementNS(ns, 'title');
      title.textContent = key + ': ' + n;
      r.append(title);
      bars.push(r);
    }
  });
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('x', '4');
  label.setAttribute('y', '12');
  label.setAttribute('font-size', '10');
  label.textContent = 'max ' + max + '/s';
  svg.replaceChildren(label, ...bars);
}

function deadline(iso, now) {
  const left = Math.round((Date.parse(iso) - Date.parse(now)) / 1000);
  return left >= 0 ? el('td', {}, time(iso) + ' (in ' + left + ' s)')
      : el('td', {class: 'overdue'}, time(iso) + ' (' + -left + ' s overdue)');
}

function render(o) {
  document.getElementById('status').textContent = (o.problem ? 'Kafka: ' + o.problem + ' · ' : '')
      + (o.caughtUp ? 'up to date' : 'reading the topics from their beginning…')
      + ' · ' + o.records + ' records read · ' + o.stories + ' stories kept (at most ' + o.maxStories
      + (o.evicted ? ', ' + o.evicted + ' older ones dropped' : '') + ')';
  renderChart(o.perSecond);
  fill('decision-table', o.decisions, d => [
    el('td', {}, el('span', {class: 'swatch', 'data-color': color(d.outcome + (d.code ? ' ' + d.code : ''))}),
        d.outcome), d.code || '', d.perSecond.toFixed(2), d.lastMinute, d.total]);
  document.querySelectorAll('#decision-table .swatch').forEach(s => { s.style.background = s.dataset.color; });
  document.getElementById('pending-count').textContent = o.pending.length;
  fill('pending-table', o.pending, p => [el('td', {}, requestLink(p.requestId)), job(p), p.accountId, p.attempt,
    time(p.issuedAt), deadline(p.deadline, o.now)]);
  document.getElementById('redelivery-count').textContent = o.redeliveries;
  document.getElementById('timeout-count').textContent = o.timeouts;
  document.getElementById('completion-count').textContent = o.completions;
  fill('followup-table', o.followUps, f => [time(f.time), f.eventType, el('td', {}, requestLink(f.requestId)), job(f),
    f.attempt == null ? '' : f.attempt, el('td', {class: 'msg'}, f.message || '')]);
  document.getElementById('dead-letter-count').textContent = o.deadLetters;
  fill('dead-letter-table', o.recentDeadLetters, d => [time(d.time),
    (d.sourceTopic || '?') + '-' + (d.partition || '?') + '@' + (d.sourceOffset || '?'), d.exception || '',
    el('td', {class: 'msg'}, d.message || ''), d.valueBytes]);
  document.getElementById('chain-break-count').textContent = o.chainBreaks;
  fill('chain-table', o.chains, c => [c.partition, c.chain, c.head, c.offset,
    c.checkpoint == null ? el('td', {title: 'an orchestrator without audit.checkpoint.key.file signs none: it says so in a WARN at'
      + ' start and in edgestop_orchestrator_audit_checkpoint_signing 0 (docs/audit.md)'}, 'none yet (key set?)')
      : c.checkpoint + ' (' + time(c.checkpointTime) + ')',
    c.head - (c.checkpoint || 0)]);
  document.getElementById('chain-breaks').replaceChildren(...o.recentChainBreaks.map(b => el('li', {class: 'msg'}, b)));
  fill('recent-table', o.recentDecisions, d => [time(d.time), el('td', {}, requestLink(d.requestId)),
    d.accessKeyId || '', job(d), outcome(d.outcome), d.code || '']);
  if (openRequestId) {
    showStory(openRequestId);
  }
}

// What each kind of record contributes to a story, in the order shown.
const FIELDS = {
  command: ['clusterId', 'jobId', 'accountId', 'principal', 'accessKeyId', 'sourceIp', 'secureTransport', 'requestTime', 'replyTo'],
  decision: ['outcome', 'code', 'httpStatus', 'message', 'policyVerdict', 'quotaCount', 'quotaLimit', 'directiveId', 'attempt',
    'joinedRequestId', 'jobStateRevision', 'settingsRevision', 'policiesRevision', 'eventTime', 'traceparent'],
  directive: ['directiveId', 'attempt', 'clusterId', 'jobId', 'issuedAt', 'deadline'],
  result: ['outcome', 'code', 'httpStatus', 'message', 'joinedRequestId', 'eventTime'],
  report: ['status', 'workerId', 'directiveId', 'stoppedAt', 'reportedAt', 'message'],
  redelivery: ['directiveId', 'attempt', 'message', 'eventTime'],
  completion: ['outcome', 'message', 'jobStateRevision', 'eventTime'],
  timeout: ['outcome', 'code', 'message', 'attempt', 'eventTime'],
};
const LABELS = {policyVerdict: 'deciding statement', quotaCount: 'quota count', quotaLimit: 'quota limit'};
const TITLES = {command: 'Command', decision: 'Decision', directive: 'Directive', result: 'Result', report: 'Report',
  redelivery: 'Redelivery', completion: 'Completion', timeout: 'Timed out'};

async function getJson(url) {
  const r = await fetch(url, {cache: 'no-store'});
  if (!r.ok) throw new Error(r.status + ' ' + (await r.text()));
  return r.json();
}

async function showStory(requestId) {
  openRequestId = requestId;
  const box = document.getElementById('story');
  let s;
  try {
    s = await getJson('/api/story?requestId=' + encodeURIComponent(requestId));
  } catch (e) {
    box.replaceChildren(el('p', {}, 'No story for ' + requestId + ': ' + e.message));
    return;
  }
  if (openRequestId !== requestId) return;
  const head = el('p', {class: 'title', 'data-request-id': s.requestId}, 'Request ', s.requestId, ' · ',
      job(s), ' · account ', s.accountId || '?', ' · ', el('span', {class: 'outcome-' + s.outcome, id: 'story-outcome'},
          s.outcome || '?'), s.code ? ' ' + s.code : '');
  const events = s.events.map(e => {
    const dl = el('dl', {});
    for (const f of FIELDS[e.kind] || []) {
      const v = e.data ? e.data[f] : null;
      if (v === null || v === undefined || v === '') continue;
      dl.append(el('dt', {}, LABELS[f] || f), el('dd', {class: f}, /^\d{4}-\d\d-\d\dT.*Z$/.test(String(v)) ? time(v) : String(v)));
    }
    return el('div', {class: 'event', 'data-kind': e.kind},
        el('h3', {}, TITLES[e.kind] || e.kind, el('small', {}, time(e.time) + ' · ' + e.topic)), dl);
  });
  box.replaceChildren(head, ...events);
}

document.getElementById('search-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const q = document.getElementById('search-input').value.trim();
  if (!q) return;
  const rows = await getJson('/api/search?q=' + encodeURIComponent(q));
  fill('search-results', rows, r => [time(r.time), el('td', {}, requestLink(r.requestId)), r.accessKeyId || '', job(r),
    outcome(r.outcome || '?'), r.code || '']);
  if (rows.length === 0) {
    document.getElementById('story').replaceChildren(el('p', {id: 'no-match'}, 'Nothing in the index for ' + q + '.'));
    openRequestId = null;
  } else if (rows.length === 1) {
    showStory(rows[0].requestId);
  }
});

function connect() {
  const live = document.getElementById('live');
  const source = new EventSource('/api/events');
  source.addEventListener('overview', ev => {
    live.className = 'on';
    render(JSON.parse(ev.data));
  });
  source.onerror = () => { live.className = 'off'; }; // EventSource reconnects by itself
}

connect();
