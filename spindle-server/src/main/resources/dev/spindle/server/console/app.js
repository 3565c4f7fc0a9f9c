// The console's shell: the login prompt for the token and the router (#/page/argument) to the three pages.
import { onTokenNeeded, setToken, token, show, h, failure } from './ui.js';
import * as sessions from './sessions.js';
import * as mocks from './mocks.js';
import * as datasets from './datasets.js';

const pages = { sessions, mocks, datasets };
const main = document.getElementById('main');
const dialog = document.getElementById('login');
const logout = document.getElementById('logout');

/** Shows the login dialog until a token is typed; at most one prompt open, however many calls wait. */
let pending = null;
onTokenNeeded(message => {
  if (!pending) {
    pending = new Promise(resolve => {
      document.getElementById('login-error').textContent = message;
      const input = document.getElementById('login-token');
      input.value = '';
      dialog.addEventListener('close', () => { pending = null; logout.hidden = false; resolve(input.value); }, { once: true });
      dialog.showModal();
      input.focus();
    });
  }
  return pending;
});
dialog.addEventListener('cancel', event => event.preventDefault()); // the data cannot be shown without it
logout.hidden = !token();
logout.addEventListener('click', () => { setToken(null); logout.hidden = true; route(); });

/** #/page/argument; no page is the sessions page. Only the three pages' own names count: an address such as
 *  #/constructor names a property every object inherits, not a page. */
function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = name === '' ? 'sessions' : Object.hasOwn(pages, name) ? name : null;
  for (const link of document.querySelectorAll('header nav a')) link.classList.toggle('active', link.id === 'nav-' + page);
  let argument = null;
  try {
    if (rest.length) argument = decodeURIComponent(rest.join('/'));
  } catch {
    return notFound(); // a malformed escape (#/sessions/%) names nothing
  }
  if (page === null) return notFound();
  show(main, h('p', { class: 'muted' }, 'Loading…'));
  Promise.resolve().then(() => pages[page].render(main, argument)).catch(error => show(main, failure(error)));
}

function notFound() {
  show(main, h('h1', {}, 'Not found'), h('p', { id: 'not-found' }, 'There is no page at ', h('code', {}, location.hash), '. Open ',
    h('a', { href: '#/sessions' }, 'Sessions'), ', ', h('a', { href: '#/mocks' }, 'Mock catalogue'), ' or ', h('a', { href: '#/datasets' }, 'Datasets'), '.'));
}

window.addEventListener('hashchange', route);
route();
