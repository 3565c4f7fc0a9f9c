// The console's shell: the login prompt for the token and the router (#/page/argument) to the three pages.
import { onTokenNeeded, setToken, token, show, h } from './ui.js';
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

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name] ? name : 'sessions';
  for (const link of document.querySelectorAll('header nav a')) link.classList.toggle('active', link.id === 'nav-' + page);
  show(main, h('p', { class: 'muted' }, 'Loading…'));
  pages[page].render(main, rest.length ? decodeURIComponent(rest.join('/')) : null);
}

window.addEventListener('hashchange', route);
route();
