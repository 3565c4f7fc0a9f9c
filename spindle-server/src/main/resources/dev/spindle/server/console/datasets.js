// Datasets: the JSONL files of `spindle serve --datasets DIR` and uploads; records as conversations, filtered
// and paged; the run's summary as charts; verify replays one record and marks each tool message.
import { api, h, svg, show, failure, bytes, pretty, pager, debounce } from './ui.js';

const PAGE = 10;

export function render(main, name) {
  return name === null ? list(main) : open(main, name);
}

async function list(main) {
  const message = h('p', { class: 'error', id: 'upload-message' });
  const file = h('input', { type: 'file', id: 'upload-file', accept: '.jsonl,application/jsonl,text/plain' });
  const upload = async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    try {
      const kept = await api('/datasets', { method: 'POST', body: { name: chosen.name.replace(/[^A-Za-z0-9._-]/g, '_'), content: await chosen.text() } });
      location.hash = '#/datasets/' + encodeURIComponent(kept.name);
    } catch (error) {
      message.textContent = error.message;
    }
  };
  try {
    const { datasets } = await api('/datasets');
    show(main, h('h1', {}, 'Datasets'),
      datasets.length ? h('table', { id: 'dataset-list' }, h('thead', {}, h('tr', {}, h('th', {}, 'Dataset'), h('th', { class: 'num' }, 'Size'), h('th', {}, 'Run summary'))),
        h('tbody', {}, datasets.map(d => h('tr', {}, h('td', {}, h('a', { href: '#/datasets/' + encodeURIComponent(d.name) }, d.name)),
          h('td', { class: 'num' }, bytes(d.bytes)), h('td', {}, d.summary ? 'yes' : '')))))
        : h('p', { class: 'muted' }, 'No datasets here: start the server with --datasets DIR, or upload one.'),
      h('h2', {}, 'Upload a dataset'), h('div', { class: 'toolbar' }, file, h('button', { type: 'button', id: 'upload', onclick: upload }, 'Upload'), message));
  } catch (error) {
    show(main, h('h1', {}, 'Datasets'), failure(error));
  }
}

async function open(main, name) {
  const filters = { q: '', tool: '', error_type: '', status: '', offset: 0 };
  const charts = h('div', { class: 'charts', id: 'charts' });
  const toolbar = h('div', { class: 'toolbar' });
  const records = h('div', { id: 'records' });
  show(main, h('p', {}, h('a', { href: '#/datasets' }, '‹ All datasets')), h('h1', {}, name), charts, toolbar, records);
  loadCharts(charts, name);

  const search = h('input', { type: 'search', id: 'record-search', placeholder: 'search the records…', oninput: debounce(() => set('q', search.value)) });
  const selects = { tool: select('tool', 'any tool'), error_type: select('error_type', 'any error'), status: select('status', 'any verify status') };
  show(toolbar, search, Object.values(selects));

  function select(key, label) {
    const el = h('select', { id: 'filter-' + key, onchange: () => set(key, el.value) }, h('option', { value: '' }, label));
    el.dataset.label = label;
    return el;
  }
  function set(key, value) { filters[key] = value; filters.offset = 0; load(); }

  async function load() {
    try {
      const query = new URLSearchParams({ offset: filters.offset, limit: PAGE });
      for (const key of ['q', 'tool', 'error_type', 'status']) if (filters[key]) query.set(key, filters[key]);
      const page = await api(`/datasets/${encodeURIComponent(name)}/records?${query}`);
      for (const [key, facet] of [['tool', 'tools'], ['error_type', 'error_types'], ['status', 'statuses']]) {
        const el = selects[key];
        show(el, h('option', { value: '' }, el.dataset.label),
          Object.entries(page.facets[facet]).map(([value, count]) => h('option', { value }, `${value} (${count})`)));
        el.value = filters[key];
      }
      page.shown = page.records.length;
      show(records, page.records.length ? page.records.map(r => recordCard(name, r)) : h('p', { class: 'muted' }, 'No record matches.'),
        pager(page, offset => { filters.offset = offset; load(); }));
    } catch (error) {
      show(records, failure(error));
    }
  }
  await load();
}

function statusBadge(status) {
  const kind = status === 'ok' ? 'ok' : status === 'unverified' || status === 'no_tool_calls' ? 'plain' : 'bad';
  return h('span', { class: 'badge status ' + kind }, status);
}

/** One record: its header (line, tools, errors, verify status and button) and its conversation. */
function recordCard(dataset, entry) {
  const card = h('article', { class: 'record', 'data-line': entry.line });
  const badge = h('span', {}, statusBadge(entry.status));
  const verdict = h('div', { class: 'verdict' });
  const verify = async button => {
    button.disabled = true;
    button.textContent = 'Verifying…';
    try {
      const outcome = await api(`/datasets/${encodeURIComponent(dataset)}/records/${entry.line}/verify`, { method: 'POST' });
      show(badge, statusBadge(outcome.status));
      show(verdict, h('p', { class: 'check' }, h('strong', {}, outcome.verify.status), outcome.verify.detail ? ' · ' + outcome.verify.detail : ''));
      for (const call of outcome.verify.calls ?? []) {
        const slot = card.querySelector(`[data-call-id="${CSS.escape(call.id)}"]`);
        if (slot) show(slot, callCheck(call));
      }
    } catch (error) {
      show(verdict, failure(error));
    } finally {
      button.disabled = false;
      button.textContent = 'Verify';
    }
  };
  card.append(h('header', {},
    h('strong', {}, 'Line ' + entry.line), badge,
    (entry.tools ?? []).map(t => h('span', { class: 'badge plain tool' }, t)),
    (entry.error_types ?? []).map(t => h('span', { class: 'badge bad' }, t)),
    h('span', { class: 'muted' }, `${count(entry.steps, 'step')}, ${count(entry.calls, 'call')}`),
    h('button', { type: 'button', class: 'verify', disabled: !entry.valid, onclick: event => verify(event.target) }, 'Verify')), verdict);
  card.append(entry.record ? conversation(entry.record) : h('p', { class: 'error' }, 'This line is not a JSON record.'));
  return card;
}

function count(n, noun) { return `${n} ${noun}${n === 1 ? '' : 's'}`; }

function callCheck(call) {
  if (call.matches) return h('span', { class: 'badge ok' }, 'matches a real execution');
  return h('span', {}, h('span', { class: 'badge bad' }, call.recorded === null ? 'no recorded result' : 'differs'),
    call.diff ?? '', h('details', {}, h('summary', {}, 'the tool gives'), h('pre', {}, pretty(call.actual))));
}

/** user, assistant reasoning, tool calls with arguments, tool results, final answer; the system prompt folded. */
function conversation(record) {
  const messages = record.messages ?? [];
  const thoughts = (record.reasoning?.content ?? []).map(step => step.thought).filter(Boolean);
  const names = new Map(); // tool name by call id: an id may be 'constructor'
  let step = 0;
  const lastAssistant = messages.findLastIndex(m => m.role === 'assistant' && !(m.tool_calls ?? []).length);
  return h('div', { class: 'conversation' }, messages.map((m, i) => {
    const text = typeof m.content === 'string' ? m.content : m.content == null ? '' : JSON.stringify(m.content);
    switch (m.role) {
      case 'system':
        return h('details', { class: 'message system' }, h('summary', { class: 'role' }, 'system prompt'), h('pre', {}, text));
      case 'user':
        return bubble('user', 'user', text);
      case 'assistant': {
        const calls = m.tool_calls ?? [];
        const parts = [];
        if (calls.length && thoughts[step]) parts.push(bubble('reasoning', 'reasoning', thoughts[step]));
        if (calls.length) step++;
        if (text && i !== lastAssistant) parts.push(bubble('assistant', 'assistant', text));
        for (const call of calls) {
          names.set(call.id, call.function?.name);
          parts.push(h('div', { class: 'message assistant call' }, h('div', { class: 'role' }, 'tool call'),
            h('strong', { class: 'tool-name' }, call.function?.name ?? '?'), h('pre', {}, pretty(call.function?.arguments ?? {}))));
        }
        if (i === lastAssistant) parts.push(bubble('final', 'final answer', text));
        return parts;
      }
      case 'tool': {
        const failed = /^Error \(\w+\):/.test(text);
        return h('div', { class: 'message tool' + (failed ? ' failed' : '') },
          h('div', { class: 'role' }, 'tool result ', h('span', { class: 'tool-name' }, names.get(m.tool_call_id) ?? m.tool_call_id ?? '')),
          h('pre', {}, pretty(text)), h('div', { class: 'check', 'data-call-id': m.tool_call_id ?? '' }));
      }
      default:
        return bubble('other', m.role ?? 'message', text);
    }
  }));
}

function bubble(kind, label, text) {
  return h('div', { class: 'message ' + kind }, h('div', { class: 'role' }, label), h('pre', {}, text));
}

async function loadCharts(charts, name) {
  try {
    const { summary, per_sample, records_with_error } = await api(`/datasets/${encodeURIComponent(name)}/summary`);
    const outcomes = summary ? { written: summary.written, ...summary.failures } : null;
    show(charts,
      outcomes ? barChart('Samples by outcome', outcomes) : null,
      barChart(summary ? 'Tool errors by type' : 'Records with a tool error, by type', summary ? summary.tool_errors ?? {} : records_with_error),
      barChart('Steps per sample', per_sample.steps),
      barChart('Tool calls per sample', per_sample.calls));
  } catch (error) {
    show(charts, failure(error));
  }
}

/** Horizontal bars, one per key, labelled with the key and its count. */
function barChart(title, counts) {
  const entries = Object.entries(counts ?? {});
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const row = 18, width = 300, labels = 110;
  const height = Math.max(1, entries.length) * row + 24;
  return h('figure', { class: 'chart', 'data-title': title }, h('figcaption', {}, h('strong', {}, title)),
    svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title },
      entries.length ? entries.map(([key, value], i) => [
        svg('text', { x: 0, y: i * row + 13 }, key.length > 16 ? key.slice(0, 15) + '…' : key),
        svg('rect', { x: labels, y: i * row + 3, height: row - 6, width: Math.max(1, (width - labels - 40) * value / max) }),
        svg('text', { x: labels + (width - labels - 40) * value / max + 4, y: i * row + 13 }, value)])
        : svg('text', { x: 0, y: 13 }, 'nothing to show')));
}
