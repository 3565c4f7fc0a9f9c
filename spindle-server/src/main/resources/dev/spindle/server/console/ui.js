// Shared pieces of the console's pages: the API client (with the token), DOM building, formatting, highlighting.

const TOKEN_KEY = 'spindle.token';
let askForToken = null;

/** app.js registers how to ask for a token; it answers a promise of the token typed. */
export function onTokenNeeded(ask) { askForToken = ask; }
export function token() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(value) { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); }

/** Calls the API; a 401 asks for the token and retries; any other failure throws its {error, error_type}. */
export async function api(path, { method = 'GET', body } = {}) {
  for (let attempt = 0; ; attempt++) {
    const headers = {};
    if (token()) headers.authorization = 'Bearer ' + token();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await response.json().catch(() => null);
    if (response.status === 401 && askForToken && attempt < 5) {
      setToken(await askForToken(attempt > 0 || token() ? 'That token was refused.' : ''));
      continue;
    }
    if (!response.ok) {
      const error = new Error(json && json.error ? json.error : 'HTTP ' + response.status);
      error.type = json && json.error_type;
      error.status = response.status;
      throw error;
    }
    return json;
  }
}

/** An element: h('a', {href: '#', class: 'x', onclick: f}, 'text', child, ...). Text is always text, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = tag === 'svg' || attrs.svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false || key === 'svg') continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function svg(tag, attrs = {}, ...children) { return h(tag, { ...attrs, svg: true }, ...children); }

export function show(container, ...children) { container.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false)); }

export function failure(error) { return h('p', { class: 'error' }, (error.type ? error.type + ': ' : '') + error.message); }

export function bytes(n) {
  return n < 1024 ? n + ' B' : n < 1 << 20 ? (n / 1024).toFixed(1) + ' KiB' : (n / (1 << 20)).toFixed(1) + ' MiB';
}

export function when(iso) { return iso ? new Date(iso).toLocaleString() : ''; }

export function pretty(value) {
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

/** Previous/next buttons for a page of {offset, limit, total, next_offset}; go(offset) loads another. */
export function pager(page, go) {
  const end = page.offset + (page.shown ?? 0);
  return h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'prev', disabled: page.offset === 0, onclick: () => go(Math.max(0, page.offset - page.limit)) }, '‹ Previous'),
    h('span', { class: 'muted range' }, page.total === 0 ? 'none' : `${page.offset + 1}–${end} of ${page.total}`),
    h('button', { type: 'button', class: 'next', disabled: page.next_offset === null, onclick: () => go(page.next_offset) }, 'Next ›'));
}

/** Calls f once typing pauses. */
export function debounce(f, ms = 250) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => f(...args), ms); };
}

const KEYWORDS = new Set(('if else elif for while do return function def class import from export const let var new try catch except finally '
  + 'raise throw async await yield in of is not and or with as pass break continue switch case default public private protected static final '
  + 'void int long boolean package interface extends implements true false null None True False undefined this self lambda fn struct enum match').split(' '));
const TOKENS = /(\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|(\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|([A-Za-z_$][\w$]*)/g;

/** A <pre> with strings, numbers, comments and keywords coloured; '#' starts a comment except in JSON and markup. */
export function highlight(text, path = '') {
  const pre = h('pre', { class: 'code' });
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const hashComments = !['json', 'md', 'html', 'css', 'js', 'ts', 'java', 'c', 'go', 'rs'].includes(ext);
  let last = 0;
  for (const match of text.matchAll(TOKENS)) {
    const [token, comment, string, number, word] = match;
    let cls = null;
    if (comment && (hashComments || !comment.startsWith('#'))) cls = 'tok-com';
    else if (string) cls = 'tok-str';
    else if (number) cls = 'tok-num';
    else if (word && KEYWORDS.has(word)) cls = 'tok-kw';
    if (!cls) continue;
    pre.append(text.slice(last, match.index), h('span', { class: cls }, token));
    last = match.index + token.length;
  }
  pre.append(text.slice(last));
  return pre;
}
