// Datasets: the JSONL files of `spindle serve --datasets DIR` and uploads; records as conversations, filtered
// and paged; the run's summary as charts; verify replays one record and marks each tool message. An eval's
// results.jsonl shows its attempts instead: per-task pass rates, each trajectory beside its verifier's checks.
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
  const filters = { q: '', tool: '', error_type: '', status: '', task: '', offset: 0 };
  const charts = h('div', { class: 'charts', id: 'charts' });
  const toolbar = h('div', { class: 'toolbar' });
  const records = h('div', { id: 'records' });
  show(main, h('p', {}, h('a', { href: '#/datasets' }, '‹ All datasets')), h('h1', {}, name), charts, toolbar, records);
  loadCharts(charts, name);

  const search = h('input', { type: 'search', id: 'record-search', placeholder: 'search the records…', oninput: debounce(() => set('q', search.value)) });
  const selects = { tool: select('tool', 'any tool'), error_type: select('error_type', 'any error'), status: select('status', 'any status'),
    task: select('task', 'any task') };
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
      for (const key of ['q', 'tool', 'error_type', 'status', 'task']) if (filters[key]) query.set(key, filters[key]);
      const page = await api(`/datasets/${encodeURIComponent(name)}/records?${query}`);
      selects.task.hidden = !page.facets.tasks;
      for (const [key, facet] of [['tool', 'tools'], ['error_type', 'error_types'], ['status', 'statuses'], ['task', 'tasks']]) {
        const el = selects[key];
        if (!page.facets[facet]) continue;
        show(el, h('option', { value: '' }, el.dataset.label),
          Object.entries(page.facets[facet]).map(([value, count]) => h('option', { value }, `${value} (${count})`)));
        el.value = filters[key];
      }
      page.shown = page.records.length;
      show(records, page.records.length ? page.records.map(r => r.task !== undefined ? attemptCard(r) : recordCard(name, r)) : h('p', { class: 'muted' }, 'No record matches.'),
        pager(page, offset => { filters.offset = offset; load(); }));
    } catch (error) {
      show(records, failure(error));
    }
  }
  await load();
}

function statusBadge(status) {
  const kind = status === 'ok' || status === 'passed' ? 'ok' : status === 'unverified' || status === 'no_tool_calls' ? 'plain'
    : status === 'infra_error' ? 'warn' : 'bad';
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

/** One eval attempt: task, attempt, reward and outcome; the verifier's checks beside the trajectory; an infra error's cause instead. */
function attemptCard(entry) {
  const attempt = entry.record ?? {};
  const card = h('article', { class: 'record attempt', 'data-line': entry.line, 'data-task': entry.task });
  card.append(h('header', {},
    h('strong', {}, `${entry.task} #${attempt.attempt ?? '?'}`), statusBadge(entry.status),
    typeof attempt.reward === 'number' ? h('span', { class: 'badge plain reward' }, 'reward ' + attempt.reward.toFixed(2)) : null,
    (entry.tools ?? []).map(t => h('span', { class: 'badge plain tool' }, t)),
    (entry.error_types ?? []).map(t => h('span', { class: 'badge bad' }, t)),
    h('span', { class: 'muted' }, `${count(entry.steps, 'step')}, ${count(entry.calls, 'call')}` + (attempt.parse_failures ? `, ${count(attempt.parse_failures, 'parse failure')}` : ''))));
  if (entry.status === 'infra_error') {
    const infra = attempt.infra_error ?? {};
    card.append(h('p', { class: 'infra' }, h('strong', {}, infra.cause ?? 'infra_error'), ` after ${count(infra.tries ?? 1, 'try')}: ${infra.message ?? ''}`),
      h('p', { class: 'muted' }, 'Not graded: the infrastructure, not the model, ended this attempt; it counts in no reward or pass rate.'));
    return card;
  }
  const checks = h('table', { class: 'checks' }, h('thead', {}, h('tr', {}, h('th', {}, 'Check'), h('th', {}, 'Kind'), h('th', {}, ''), h('th', {}, 'Detail'))),
    h('tbody', {}, (attempt.checks ?? []).map(c => h('tr', { class: c.passed ? 'passed' : 'failed' }, h('td', {}, c.name ?? ''), h('td', {}, c.kind ?? ''),
      h('td', {}, h('span', { class: 'badge ' + (c.passed ? 'ok' : 'bad') }, c.passed ? 'passed' : 'failed') , c.gate ? h('span', { class: 'badge plain' }, 'gate') : null),
      h('td', {}, c.message ?? c.actual ?? '')))));
  card.append(h('div', { class: 'attempt-grid' }, attempt.trajectory ? conversation(attempt.trajectory) : h('p', { class: 'muted' }, 'No trajectory.'),
    h('div', { class: 'panel' }, h('h3', {}, 'Verifier'), checks, attempt.model_error ? h('p', { class: 'error' }, attempt.model_error) : null)));
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
    if (summary?.per_task) {
      show(charts, evalTable(summary), barChart('Tool errors by type', summary.per_error_type), barChart('Infra errors by cause', summary.infra_error_causes));
      return;
    }
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

/** An eval's summary: one row per task (attempts, passed, pass@1, mean reward, infra errors), then the totals. */
function evalTable(summary) {
  const rate = value => typeof value === 'number' ? value.toFixed(2) : '–';
  return h('figure', { class: 'chart eval-summary' }, h('figcaption', {}, h('strong', {}, 'Per task')),
    h('table', { id: 'eval-tasks' }, h('thead', {}, h('tr', {}, ['Task', 'Attempts', 'Passed', 'pass@1', 'Mean reward', 'Infra'].map((t, i) => h('th', { class: i ? 'num' : '' }, t)))),
      h('tbody', {}, Object.entries(summary.per_task).map(([task, t]) => h('tr', { 'data-task': task }, h('td', {}, task), h('td', { class: 'num' }, t.attempts ?? 0),
        h('td', { class: 'num' }, t.passed ?? 0), h('td', { class: 'num' }, rate(t.pass_at_k?.['1'])), h('td', { class: 'num' }, rate(t.mean_reward)),
        h('td', { class: 'num' }, t.infra_errors ?? 0))))),
    h('p', { class: 'muted' }, `${summary.attempts ?? 0} attempts, ${summary.graded ?? 0} graded, ${summary.infra_errors ?? 0} infra errors; `
      + `pass@1 ${rate(summary.pass_at_k?.['1'])}, mean reward ${rate(summary.mean_reward)}`));
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
