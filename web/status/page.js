// dbx-proxy status page: fetches /status/data.json every few seconds and draws it.
// Plain DOM and SVG, no framework, no build step. Text from the proxy is only
// ever set as textContent (a model or client name cannot inject markup).
'use strict';

const REFRESH_MS = 2000;
const SERIES = 6;
const MINUTE = 60000;
const DAY = 86400000;

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat();

function el(tag, attrs, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function seconds(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

function clock(time) {
  return new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function outcomeClass(outcome) {
  return outcome === 'ok' ? 'ok' : outcome === 'client_gone' || outcome === 'client_error' ? 'warn' : 'bad';
}

function table(id, head, rows, numeric) {
  const target = $(id);
  target.replaceChildren(el('tr', {}, ...head.map((cell, index) => el('th', numeric.includes(index) ? { class: 'num' } : {}, cell))));
  if (rows.length === 0) target.append(el('tr', {}, el('td', { class: 'muted', colspan: head.length }, 'none yet')));
  for (const row of rows) {
    target.append(el('tr', row.attrs || {}, ...row.cells.map((cell, index) => {
      const attrs = numeric.includes(index) ? { class: 'num' } : {};
      if (cell instanceof Node) return el('td', attrs, cell);
      if (cell && typeof cell === 'object') return el('td', { ...attrs, class: `${attrs.class || ''} ${cell.class}`.trim() }, cell.text);
      return el('td', attrs, cell);
    })));
  }
}

/** Stacked bars per bucket and model over [from, to). */
function bars(svgId, legendId, points, from, to, step, value, models) {
  const svg = $(svgId);
  const count = Math.round((to - from) / step);
  const stacks = Array.from({ length: count }, () => new Map());
  for (const point of points) {
    const index = Math.floor((point.t - from) / step);
    if (index >= 0 && index < count) stacks[index].set(point.model, (stacks[index].get(point.model) || 0) + value(point));
  }
  const max = Math.max(1, ...stacks.map((stack) => [...stack.values()].reduce((a, b) => a + b, 0)));
  const width = 300 / count;
  const children = [];
  stacks.forEach((stack, index) => {
    let y = 110;
    for (const model of models) {
      const amount = stack.get(model) || 0;
      if (!amount) continue;
      const height = (amount / max) * 100;
      y -= height;
      const color = `var(--series-${models.indexOf(model) % SERIES})`;
      children.push(el('svg:rect', { x: index * width + 0.5, y, width: Math.max(0.5, width - 1), height, style: `fill: ${color}` }, el('svg:title', {}, `${model}: ${fmt.format(amount)}`)));
    }
  });
  children.push(el('svg:line', { x1: 0, x2: 300, y1: 110.5, y2: 110.5, style: 'stroke: var(--line)' }));
  children.push(el('svg:text', { x: 2, y: 9 }, fmt.format(Math.round(max))));
  svg.replaceChildren(...children);
  if (legendId) $(legendId).replaceChildren(...models.map((model, index) => el('span', {}, el('i', { style: `background: var(--series-${index % SERIES})` }), model)));
}

/** A line of the mean latency per bucket (requests weighted across models). */
function line(svgId, points, from, to, step) {
  const count = Math.round((to - from) / step);
  const sums = Array.from({ length: count }, () => ({ ms: 0, n: 0 }));
  for (const point of points) {
    const index = Math.floor((point.t - from) / step);
    if (index >= 0 && index < count) {
      sums[index].ms += point.avgMs * point.requests;
      sums[index].n += point.requests;
    }
  }
  const values = sums.map((sum) => (sum.n ? sum.ms / sum.n / 1000 : undefined));
  const max = Math.max(0.001, ...values.filter((v) => v !== undefined));
  const width = 300 / count;
  const path = values
    .map((v, index) => (v === undefined ? '' : `${index * width + width / 2},${110 - (v / max) * 100}`))
    .filter(Boolean)
    .map((xy, index) => `${index ? 'L' : 'M'}${xy}`)
    .join(' ');
  const dots = values.flatMap((v, index) =>
    v === undefined ? [] : [el('svg:circle', { cx: index * width + width / 2, cy: 110 - (v / max) * 100, r: 1.8, style: 'fill: var(--series-1)' }, el('svg:title', {}, `${v.toFixed(2)} s`))],
  );
  $(svgId).replaceChildren(
    ...dots,
    el('svg:line', { x1: 0, x2: 300, y1: 110.5, y2: 110.5, style: 'stroke: var(--line)' }),
    el('svg:path', { d: path || 'M0,110', style: 'fill: none; stroke: var(--series-1); stroke-width: 1.5', 'vector-effect': 'non-scaling-stroke' }),
    el('svg:text', { x: 2, y: 9 }, `${max.toFixed(2)} s`),
  );
}

function draw(data) {
  $('workspace').replaceChildren(
    ...(data.demo ? [el('span', { class: 'demo' }, 'DEMO'), ' '] : []),
    `${data.workspace} · surface ${data.surface} · v${data.version}`,
  );
  $('updated').textContent = `updated ${clock(data.now)}`;
  const tokens = data.totals.tokens;
  $('t-requests').textContent = fmt.format(data.totals.requests);
  $('t-streams').textContent = fmt.format(data.totals.activeStreams);
  $('t-input').textContent = fmt.format(tokens.input + tokens.cacheRead + tokens.cacheWrite);
  $('t-output').textContent = fmt.format(tokens.output);
  $('t-errors').textContent = fmt.format(data.totals.errors);
  const lastMinute = data.recent.filter((r) => r.time >= data.now - MINUTE).length;
  $('t-rpm').textContent = lastMinute >= 50 ? '50+' : String(lastMinute);

  const hourFrom = Math.floor((data.now - 59 * MINUTE) / MINUTE) * MINUTE;
  const hourTo = hourFrom + 60 * MINUTE;
  const dayFrom = Math.floor(data.now / DAY - 13) * DAY;
  const modelsSeen = [...new Set([...data.history.lastHour, ...data.history.lastDays].map((p) => p.model))].sort();
  $('history-off').hidden = data.history.enabled;
  bars('c-rpm', 'l-rpm', data.history.lastHour, hourFrom, hourTo, MINUTE, (p) => p.requests, modelsSeen);
  line('c-latency', data.history.lastHour, hourFrom, hourTo, MINUTE);
  bars('c-tokens', 'l-tokens', data.history.lastHour, hourFrom, hourTo, MINUTE, (p) => p.tokens, modelsSeen);
  bars('c-days', 'l-days', data.history.lastDays, dayFrom, dayFrom + 14 * DAY, DAY, (p) => p.tokens, modelsSeen);

  const tokenCell = (t) => `${fmt.format(t.input + t.cacheRead + t.cacheWrite)} / ${fmt.format(t.output)}`;
  table('recent', ['Time', 'Client', 'Model', 'Path', 'Status', 'Time to first byte', 'Duration', 'Tokens in / out', 'Retries'], data.recent.map((r) => ({
    attrs: { 'data-request-id': r.requestId },
    cells: [clock(r.time), r.client, r.model, r.path + (r.stream ? ' (stream)' : ''), { text: r.status, class: outcomeClass(r.outcome) }, seconds(r.ttfbMs), seconds(r.ms), tokenCell(r.tokens), r.retries],
  })), [5, 6, 7, 8]);
  table('models', ['Model', 'Family', 'Requests', 'Tokens in / out', 'Mean', 'Routes: upstream API, surface, mode, repairs that run'], data.models.map((m) => ({
    cells: [m.name + (m.ready ? '' : ' (not ready)'), m.family, m.requests, tokenCell(m.tokens), m.requests ? seconds(m.avgMs) : '–',
      routesCell(m.routes)],
  })), [2, 3, 4]);
  table('errors', ['Time', 'Model', 'Status', 'What happened'], data.errors.map((r) => ({
    cells: [clock(r.time), r.model, { text: r.status, class: outcomeClass(r.outcome) }, { class: 'wrap', text: r.error || r.outcome }],
  })), []);
  table('repairs', ['Repair', 'Requests'], data.repairs.map((r) => ({ cells: [r.id, fmt.format(r.requests)] })), [1]);
}

/** One line per inbound path: the upstream API that answers and how; the repairs that run there in a tooltip. */
function routesCell(routes) {
  const list = el('div', {});
  for (const r of routes) {
    const repairs = r.repairs.length ? el('span', { class: 'muted', title: r.repairs.join(', ') }, ` · ${r.repairs.length} repair${r.repairs.length === 1 ? '' : 's'}`) : '';
    list.append(el('div', {}, `${r.path} → ${r.upstream} on ${r.surface} (${r.mode})`, repairs));
  }
  return list;
}

async function refresh() {
  try {
    const response = await fetch('/status/data.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${response.status}`);
    draw(await response.json());
  } catch (error) {
    $('updated').textContent = `cannot reach the proxy (${error.message}); retrying`;
  }
  setTimeout(refresh, REFRESH_MS);
}

refresh();
