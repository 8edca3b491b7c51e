// Building DOM nodes without innerHTML: every string from the API becomes a text node,
// so nothing a platform or a bank file sends can run as markup.

// h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, [more]) -> Element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;  // properties such as checked, disabled, value, muted
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces the children of `el`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const kUnits = [[86400, 'd'], [3600, 'h'], [60, 'min']];

// "3 h" for a unix time, relative to now; "now" under a minute.
export function age(unixSeconds) {
  const s = Math.max(0, Math.floor(Date.now() / 1000) - unixSeconds);
  for (const [size, unit] of kUnits) {
    if (s >= size) return `${Math.floor(s / size)} ${unit}`;
  }
  return 'now';
}

// "2025-06-15 14:03 UTC".
export function when(unixSeconds) {
  if (!unixSeconds) return '';
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

// A <time> showing the age ("3 h ago"), the exact UTC time on hover.
export function time(unixSeconds) {
  const a = age(unixSeconds);
  return h('time', {datetime: new Date(unixSeconds * 1000).toISOString(), title: when(unixSeconds)},
           a === 'now' ? 'just now' : `${a} ago`);
}

export function badge(text, kind = text) {
  return h('span', {class: `badge ${kind}`}, text);
}

let toastTimer = 0;
// A short message in the polite live region (screen readers announce it).
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.textContent = ''; }, 6000);
}
