// Mock catalogue: the mock component's tools with schema, response template and fixtures; a form from
// the tool's inputSchema tries a call.
import { api, h, show, failure, pretty } from './ui.js';

export async function render(main, selected) {
  let tools;
  try {
    tools = (await api('/mock/list-tools?responses=true')).tools;
  } catch (error) {
    show(main, h('h1', {}, 'Mock catalogue'), failure(error));
    return;
  }
  if (!tools.length) {
    show(main, h('h1', {}, 'Mock catalogue'), h('p', { class: 'muted' },
      'No mock tools loaded. Load some with POST /mock/load-schema or /mock/pull (see the README).'));
    return;
  }
  const detail = h('div', { id: 'mock-detail' });
  show(main, h('h1', {}, 'Mock catalogue'), h('div', { class: 'split' },
    h('div', { class: 'panel' }, h('ul', { id: 'mock-tools', class: 'tree' }, tools.map(tool =>
      h('li', {}, h('a', { href: '#/mocks/' + encodeURIComponent(tool.name), class: tool.name === selected ? 'open' : null }, tool.name))))),
    detail));
  const tool = tools.find(t => t.name === selected) ?? tools[0];
  showTool(detail, tool);
}

function showTool(detail, tool) {
  const result = h('div', { id: 'mock-result' });
  show(detail,
    h('h2', {}, tool.name), h('p', {}, tool.description || h('span', { class: 'muted' }, 'No description.')),
    h('h3', {}, 'Try it'), callForm(tool, result), result,
    h('h3', {}, 'Input schema'), h('pre', { class: 'panel' }, pretty(tool.inputSchema)),
    h('h3', {}, 'Response template'), tool.mockResponse === undefined ? h('p', { class: 'muted' }, 'None: calls answer a generic success.') : h('pre', { class: 'panel' }, pretty(tool.mockResponse)),
    h('h3', {}, `Fixtures (${(tool.fixtures ?? []).length})`),
    (tool.fixtures ?? []).length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'When the arguments match'), h('th', {}, 'Answer'))),
      h('tbody', {}, tool.fixtures.map(f => h('tr', {}, h('td', {}, h('pre', {}, pretty(f.match))), h('td', {}, h('pre', {}, pretty(f.response)))))))
      : h('p', { class: 'muted' }, 'None.'));
}

/** One field per property of the schema: text, number, checkbox, a list for an enum, JSON for the rest. */
function callForm(tool, result) {
  const schema = tool.inputSchema ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, property, input: input(name, property) }));
  const session = h('input', { name: 'session_id', value: 'console' });
  const submit = async event => {
    event.preventDefault();
    try {
      const args = Object.create(null); // a property may be called __proto__
      for (const { name, property, input } of fields) {
        const value = read(input, property);
        if (value !== undefined) args[name] = value;
      }
      const answer = await api('/mock/execute', { method: 'POST', body: { session_id: session.value || undefined, tool: tool.name, args } });
      show(result, h('p', {}, answer.success ? h('span', { class: 'badge ok' }, 'success') : h('span', { class: 'badge bad' }, answer.error_type ?? 'failed')),
        h('pre', { class: 'panel', id: 'mock-answer' }, pretty(answer.result)));
    } catch (error) {
      show(result, failure(error));
    }
  };
  return h('form', { class: 'call', id: 'mock-form', onsubmit: submit },
    fields.map(({ name, property, input }) => [h('label', { for: 'arg-' + name }, name, required.has(name) ? ' *' : '',
      h('span', { class: 'hint' }, ' ' + [property.type, property.description].filter(Boolean).join(' · '))), input]),
    h('label', { for: 'arg-session' }, 'Session ', h('span', { class: 'hint' }, 'mock state and overlays are per session')), session,
    h('p', {}, h('button', { type: 'submit', class: 'primary' }, 'Call ' + tool.name)));
}

function input(name, property) {
  const id = 'arg-' + name;
  if (Array.isArray(property.enum)) {
    return h('select', { id, name }, h('option', { value: '' }, '(none)'), property.enum.map(v => h('option', { value: JSON.stringify(v) }, String(v))));
  }
  switch (property.type) {
    case 'boolean': return h('select', { id, name }, h('option', { value: '' }, '(none)'), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    case 'integer': case 'number': return h('input', { id, name, type: 'number', step: property.type === 'integer' ? '1' : 'any' });
    case 'string': return h('input', { id, name });
    default: return h('textarea', { id, name, placeholder: 'JSON' });
  }
}

/** The field's value in the schema's type; undefined when left empty. */
function read(input, property) {
  const text = input.value.trim();
  if (text === '') return undefined;
  if (Array.isArray(property.enum) || property.type === 'boolean') return JSON.parse(text);
  if (property.type === 'integer' || property.type === 'number') return Number(text);
  if (property.type === 'string') return input.value;
  return JSON.parse(text);
}
