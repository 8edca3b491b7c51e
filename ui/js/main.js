// The page's entry: session (token -> /v1/me), hash routes, navigation and shortcuts.
// Routes: #/login, #/queue?filters, #/case/<id>, #/banks, #/dashboard.
import {api, token, setToken, clearToken, onUnauthorized} from './api.js';
import {h, fill} from './dom.js';
import {installKeys, setGlobalKeys, setViewKeys, showHelp} from './keys.js';
import {renderQueue} from './queue.js';
import {renderCase} from './case.js';
import {renderBanks} from './banks.js';
import {renderDashboard} from './dashboard.js';
import {session, kSections, can, go} from './session.js';

const main = () => document.getElementById('main');

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return {parts: path.split('/').filter(Boolean), params: new URLSearchParams(query)};
}

function renderLogin(message = '') {
  document.getElementById('top').hidden = true;
  setViewKeys([]);
  const error = h('p', {class: 'error', id: 'login-error', role: 'alert'}, message);
  const input = h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off',
                            required: true, spellcheck: 'false', 'aria-describedby': 'login-error token-help'});
  const form = h('form', {class: 'panel login stack', onsubmit: (e) => { e.preventDefault(); signIn(input.value.trim(), error); }},
    h('h1', {}, 'vigil review'),
    h('label', {for: 'token'}, 'API token'),
    input,
    h('p', {class: 'muted', id: 'token-help'},
      'Paste the token an admin gave you (', h('code', {}, 'vigil token create --role reviewer'),
      '). It stays in this tab only and is forgotten when the tab closes.'),
    error,
    h('button', {type: 'submit', class: 'primary'}, 'Sign in'));
  fill(main(), form);
  input.focus();
}

async function signIn(secret, errorEl) {
  if (!secret) { errorEl.textContent = 'Paste a token first.'; return; }
  try {
    session.me = await api('GET', '/v1/me', {secret});
  } catch (e) {
    errorEl.textContent = e.status === 401 ? 'That token is unknown or revoked.' : `Sign-in failed: ${e.message}`;
    return;
  }
  setToken(secret);
  const target = location.hash && !location.hash.startsWith('#/login') ? location.hash : '';
  go(target || defaultHash());
}

function defaultHash() {
  if (can('queue')) return '#/queue';
  if (can('banks')) return '#/banks';
  return '#/dashboard';
}

function signOut() {
  clearToken();
  session.me = null;
  location.hash = '#/login';
}

function showChrome(section) {
  document.getElementById('top').hidden = false;
  fill(document.getElementById('who'), `${session.me.name} · ${session.me.role}`);
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.hidden = !can(a.dataset.nav);
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

let routeGen = 0;

// Renders the view for the current hash into a detached element and swaps it in only if
// no later navigation started meanwhile (views load data first).
async function route() {
  const gen = ++routeGen;
  if (!token()) return renderLogin();
  if (!session.me) {
    try {
      session.me = await api('GET', '/v1/me');
    } catch (e) {
      if (e.status !== 401) renderLogin(`Cannot reach vigil: ${e.message}`);
      return;  // on 401 the listener shows the login
    }
  }
  const {parts, params} = parseHash();
  const section = parts[0] === 'case' ? 'queue' : parts[0];
  if (!section || section === 'login' || !kSections[section]) return go(defaultHash());
  showChrome(section);
  const view = h('div', {class: 'view'});
  let keys = [];
  if (!can(section)) {
    fill(view, h('h1', {}, 'Not for this role'),
         h('p', {}, `A ${session.me.role} token cannot open this section.`));
  } else {
    try {
      if (parts[0] === 'case') keys = await renderCase(view, Number(parts[1]));
      else if (section === 'queue') keys = await renderQueue(view, params);
      else if (section === 'banks') keys = await renderBanks(view);
      else keys = await renderDashboard(view, params);
    } catch (e) {
      if (e.status === 401) return;
      fill(view, h('h1', {}, 'Something went wrong'), h('p', {class: 'error', role: 'alert'}, e.message));
    }
  }
  if (gen !== routeGen) return;
  fill(main(), view);
  setViewKeys(keys || []);
  // Focus the new view's heading so keyboard and screen-reader users land there.
  const heading = view.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({preventScroll: true});
  }
}

function start() {
  installKeys();
  setGlobalKeys([
    {key: '?', label: 'Show these shortcuts', run: showHelp},
    {key: 'g q', label: 'Go to the queue', run: () => go('#/queue')},
    {key: 'g b', label: 'Go to the banks', run: () => go('#/banks')},
    {key: 'g d', label: 'Go to the dashboard', run: () => go('#/dashboard')},
  ]);
  onUnauthorized(() => {
    clearToken();
    session.me = null;
    renderLogin('Your token was refused (revoked or unknown). Sign in again.');
  });
  document.getElementById('help-button').addEventListener('click', showHelp);
  document.getElementById('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  route();
}

start();
