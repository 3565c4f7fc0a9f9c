// Sessions: the live sessions, paged and filtered; one session's files (highlighted) and trace (a timeline); fork, delete.
import { api, h, show, failure, bytes, when, pretty, pager, debounce, highlight } from './ui.js';

const state = { prefix: '', sort: 'last_used', offset: 0 };
const PAGE = 50;

export function render(main, id) {
  return id === null ? list(main) : one(main, id);
}

async function list(main) {
  const rows = h('div', { id: 'session-list' });
  const filter = h('input', { id: 'session-filter', type: 'search', placeholder: 'id starts with…', value: state.prefix,
    oninput: debounce(() => { state.prefix = filter.value; state.offset = 0; load(); }) });
  const sort = h('select', { id: 'session-sort', onchange: () => { state.sort = sort.value; state.offset = 0; load(); } },
    h('option', { value: 'last_used' }, 'Most recently used'), h('option', { value: 'id' }, 'By id'));
  sort.value = state.sort;
  show(main, h('h1', {}, 'Sessions'), h('div', { class: 'toolbar' }, filter, sort,
    h('button', { type: 'button', onclick: () => load() }, 'Refresh')), rows);

  async function load() {
    try {
      const query = new URLSearchParams({ prefix: state.prefix, sort: state.sort, offset: state.offset, limit: PAGE });
      const page = await api('/sessions?' + query);
      page.shown = page.sessions.length;
      show(rows, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Session'), h('th', { class: 'num' }, 'Files'), h('th', { class: 'num' }, 'Bytes'),
          h('th', { class: 'num' }, 'Calls'), h('th', {}, 'Last used'), h('th', {}, 'Created'), h('th', {}, 'Forked from'))),
        h('tbody', {}, page.sessions.map(s => h('tr', { 'data-session': s.session_id },
          h('td', {}, h('a', { href: '#/sessions/' + encodeURIComponent(s.session_id) }, s.session_id)),
          h('td', { class: 'num' }, s.files), h('td', { class: 'num' }, bytes(s.bytes)), h('td', { class: 'num' }, s.calls),
          h('td', {}, when(s.last_used_at)), h('td', {}, when(s.created_at)), h('td', {}, s.forked_from ?? ''))))),
        pager(page, offset => { state.offset = offset; load(); }));
    } catch (error) {
      show(rows, failure(error));
    }
  }
  await load();
}

async function one(main, id) {
  const path = encodeURIComponent(id);
  try {
    const [info, files, trace] = await Promise.all([api('/sessions/' + path), api(`/sessions/${path}/files`), api(`/sessions/${path}/trace`)]);
    const content = h('div', { class: 'panel', id: 'file-content' }, h('p', { class: 'muted' }, 'Pick a file.'));
    const tree = fileTree(Object.keys(files.files).sort(), (file, link) => {
      for (const open of document.querySelectorAll('.tree a.open')) open.classList.remove('open');
      link.classList.add('open');
      show(content, h('h3', {}, file), highlight(files.files[file], file));
    });
    const message = h('p', { class: 'error', id: 'session-message' });
    const forkId = h('input', { id: 'fork-id', placeholder: 'new session id (optional)' });
    show(main,
      h('p', {}, h('a', { href: '#/sessions' }, '‹ All sessions')),
      h('h1', { id: 'session-title' }, id),
      h('p', { class: 'muted' }, `${info.files} files, ${bytes(info.bytes)}, ${info.calls} calls · created ${when(info.created_at)} · last used ${when(info.last_used_at)} · expires ${when(info.expires_at)}`
        + (info.forked_from ? ` · forked from ${info.forked_from}` : '')),
      h('div', { class: 'toolbar' }, forkId,
        h('button', { type: 'button', id: 'fork', onclick: () => fork(id, forkId.value, message) }, 'Fork'),
        h('button', { type: 'button', id: 'delete', class: 'danger', onclick: event => remove(id, event.target, message) }, 'Delete'), message),
      h('h2', {}, 'Files'),
      Object.keys(files.files).length ? h('div', { class: 'split' }, h('div', { class: 'panel tree', id: 'file-tree' }, tree), content) : h('p', { class: 'muted' }, 'No files.'),
      h('h2', {}, `Trace (${trace.calls.length} calls${trace.dropped ? `, ${trace.dropped} older ones dropped` : ''})`),
      timeline(trace.calls));
  } catch (error) {
    show(main, h('p', {}, h('a', { href: '#/sessions' }, '‹ All sessions')), failure(error));
  }
}

/** Nested lists, folders first; a click on a file calls open(path, link). Nodes have no prototype: a file may be called __proto__. */
function fileTree(paths, open) {
  const root = Object.create(null);
  for (const path of paths) {
    let node = root;
    const parts = path.split('/');
    parts.slice(0, -1).forEach(part => { node = node[part + '/'] ??= Object.create(null); });
    node[parts.at(-1)] = path;
  }
  const build = node => h('ul', {}, Object.keys(node).sort((a, b) => (b.endsWith('/') - a.endsWith('/')) || a.localeCompare(b)).map(name =>
    typeof node[name] === 'string'
      ? h('li', {}, h('a', { 'data-path': node[name], onclick: event => open(node[name], event.target) }, name))
      : h('li', {}, h('span', { class: 'muted' }, name), build(node[name]))));
  return build(root);
}

function timeline(calls) {
  if (!calls.length) return h('p', { class: 'muted' }, 'No calls yet.');
  return h('ol', { class: 'timeline', id: 'trace' }, calls.map(call => h('li', { class: call.success ? 'ok' : 'failed', 'data-seq': call.seq },
    h('div', {}, h('strong', {}, (call.component ? call.component + ' / ' : '') + call.tool), ' ',
      call.success ? h('span', { class: 'badge ok' }, 'ok') : h('span', { class: 'badge bad' }, call.error_type ?? 'failed'),
      h('span', { class: 'muted' }, ` #${call.seq} · ${when(call.at)} · ${(call.duration_us / 1000).toFixed(1)} ms`)),
    h('details', {}, h('summary', {}, 'arguments'), h('pre', {}, pretty(call.args))),
    h('pre', { class: 'result' }, pretty(call.result ?? '')))));
}

async function fork(id, newId, message) {
  try {
    const copy = await api(`/sessions/${encodeURIComponent(id)}/fork`, { method: 'POST', body: newId ? { session_id: newId } : {} });
    location.hash = '#/sessions/' + encodeURIComponent(copy.session_id);
  } catch (error) {
    message.textContent = error.message;
  }
}

/** Two clicks: the first asks, the second deletes. */
async function remove(id, button, message) {
  if (button.dataset.armed !== 'yes') {
    button.dataset.armed = 'yes';
    button.textContent = 'Really delete?';
    return;
  }
  try {
    await api('/sessions/' + encodeURIComponent(id), { method: 'DELETE' });
    location.hash = '#/sessions';
  } catch (error) {
    message.textContent = error.message;
  }
}
