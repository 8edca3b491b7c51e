// Keyboard shortcuts: a global table (navigation, help) and one table per view, set when
// the view renders. Keys never fire while typing in a field; Esc leaves the field.
// Sequences such as "g q" are two presses within a second.
import {h, fill} from './dom.js';

const globalKeys = [];
let viewKeys = [];
let pending = '';
let pendingTimer = 0;

export function setGlobalKeys(list) { globalKeys.splice(0, globalKeys.length, ...list); }
export function setViewKeys(list) { viewKeys = list; }

function typing(target) {
  return target instanceof HTMLElement &&
         (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function keyName(e) {
  if (e.key === 'Enter' || e.key === 'Escape') return e.key;
  return e.key.length === 1 ? e.key : '';
}

function onKeyDown(e) {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  if (document.querySelector('dialog[open]')) return;  // the dialog handles its own keys
  if (typing(e.target)) {
    if (e.key === 'Escape') e.target.blur();
    return;
  }
  const key = keyName(e);
  if (!key) return;
  // Enter on a focused link or button is theirs.
  if (key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('a, button, summary')) return;
  const combo = pending ? `${pending} ${key}` : key;
  const all = [...viewKeys, ...globalKeys];
  const hit = all.find((k) => k.key === combo);
  if (hit) {
    e.preventDefault();
    pending = '';
    hit.run(e);
    return;
  }
  if (!pending && all.some((k) => k.key.startsWith(`${key} `))) {
    pending = key;
    clearTimeout(pendingTimer);
    pendingTimer = setTimeout(() => { pending = ''; }, 1000);
    e.preventDefault();
    return;
  }
  pending = '';
}

function keyCaps(combo) {
  return combo.split(' ').flatMap((k, i) => [i ? ' then ' : '', h('kbd', {}, k)]);
}

function table(title, list) {
  if (!list.length) return null;
  return h('table', {},
    h('caption', {class: 'sr-only'}, title),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Key'), h('th', {scope: 'col'}, 'Does'))),
    h('tbody', {}, list.map((k) => h('tr', {}, h('td', {}, keyCaps(k.key)), h('td', {}, k.label)))));
}

export function showHelp() {
  const dialog = document.getElementById('help');
  fill(document.getElementById('help-body'),
       table('On this page', viewKeys), h('h3', {}, 'Everywhere'), table('Everywhere', globalKeys));
  if (!dialog.open) dialog.showModal();
}

export function installKeys() {
  document.addEventListener('keydown', onKeyDown);
}
