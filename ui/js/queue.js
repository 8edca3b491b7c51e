// The review queue: cases oldest first or highest priority first, filtered by status,
// bank, label and age; j/k move, Enter opens.
import {api} from './api.js';
import {h, fill, time, badge} from './dom.js';
import {go} from './session.js';

// What the case view needs to step to the next case without going back to the list.
export const queueState = {ids: [], hash: '#/queue'};
let selectedId = null;

const kStatuses = ['open', 'escalated', 'appealed', 'decided', 'closed'];
const kAges = [
  ['', 'Any age'],
  ['older:3600', 'Older than 1 hour'],
  ['older:86400', 'Older than 1 day'],
  ['newer:3600', 'Newer than 1 hour'],
  ['newer:86400', 'Newer than 1 day'],
];
const kPageSize = 100;

// The filters of the hash's query, with defaults: open cases, oldest first.
function filtersFrom(params) {
  return {
    status: params.has('status') ? params.get('status') : 'open',
    order: params.get('order') === 'priority' ? 'priority' : 'oldest',
    bank: params.get('bank') || '',
    label: params.get('label') || '',
    age: params.get('age') || '',
  };
}

function queryFor(f, offset) {
  const q = {status: f.status, order: f.order, bank: f.bank, label: f.label, limit: kPageSize, offset};
  const [kind, seconds] = f.age.split(':');
  if (kind === 'older') q.min_age = seconds;
  if (kind === 'newer') q.max_age = seconds;
  return q;
}

function hashFor(f) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== '') p.set(k, v);
  if (f.status === '') p.set('status', '');
  return `#/queue?${p}`;
}

function select(name, label, value, options, onchange) {
  const id = `f-${name}`;
  return h('div', {},
    h('label', {for: id}, label),
    h('select', {id, name, onchange},
      options.map(([v, text]) => h('option', {value: v, selected: v === value}, text))));
}

function filterForm(f, banks) {
  const change = (e) => go(hashFor({...f, [e.target.name]: e.target.value}));
  const label = h('input', {type: 'search', id: 'f-label', name: 'label', value: f.label,
                            placeholder: 'e.g. priority:high'});
  return h('form', {class: 'row', 'aria-label': 'Filters',
                    onsubmit: (e) => { e.preventDefault(); go(hashFor({...f, label: label.value.trim()})); }},
    select('status', 'Status', f.status, [...kStatuses.map((s) => [s, s]), ['', 'any']], change),
    select('order', 'Order', f.order, [['oldest', 'Oldest first'], ['priority', 'Highest priority first']], change),
    select('bank', 'Bank', f.bank, [['', 'All banks'], ...banks.map((b) => [b.name, b.name])], change),
    h('div', {}, h('label', {for: 'f-label'}, 'Label'), label),
    select('age', 'Age', f.age, kAges, change),
    h('button', {type: 'submit'}, 'Apply'));
}

function caseRow(c, open) {
  const banks = [...new Set(c.matches.map((m) => m.bank))];
  const labels = [...new Set(c.matches.flatMap((m) => m.labels))];
  const best = Math.min(...c.matches.map((m) => m.distance));
  return h('tr', {dataset: {id: c.id, href: `#/case/${c.id}`}, onclick: () => open(c.id)},
    h('td', {class: `num prio p${c.priority}`, title: 'Priority (0-4, from bank and signal labels)'}, c.priority),
    h('td', {}, h('a', {href: `#/case/${c.id}`}, `#${c.id}`)),
    h('td', {class: 'mono'}, c.content_id),
    h('td', {}, banks.join(', ')),
    h('td', {class: 'labels'}, labels.map((l) => badge(l, 'label'))),
    h('td', {class: 'num', title: 'Smallest match distance (0 = identical)'}, best),
    h('td', {}, time(c.created_at)),
    h('td', {}, badge(c.status)));
}

function table(cases, open) {
  return h('table', {id: 'queue', 'aria-label': 'Cases'},
    h('thead', {}, h('tr', {},
      ['Prio', 'Case', 'Content id', 'Banks', 'Labels', 'Dist.', 'Age', 'Status'].map(
        (t) => h('th', {scope: 'col', class: ['Prio', 'Dist.'].includes(t) ? 'num' : ''}, t)))),
    h('tbody', {}, cases.map((c) => caseRow(c, open))));
}

// Marks row `index` selected (aria-current for assistive tech) and scrolls it into view.
function highlight(tbody, index) {
  const rows = [...tbody.rows];
  rows.forEach((r, i) => {
    r.classList.toggle('selected', i === index);
    if (i === index) r.setAttribute('aria-current', 'true');
    else r.removeAttribute('aria-current');
  });
  if (rows[index]) {
    rows[index].scrollIntoView({block: 'nearest'});
    selectedId = Number(rows[index].dataset.id);
  }
}

export async function renderQueue(el, params) {
  const f = filtersFrom(params);
  const [list, banks] = await Promise.all([
    api('GET', '/v1/cases', {query: queryFor(f, 0)}),
    api('GET', '/v1/banks').catch(() => ({banks: []})),
  ]);
  const cases = list.cases;
  queueState.ids = cases.map((c) => c.id);
  queueState.hash = location.hash || '#/queue';
  const open = (id) => go(`#/case/${id}`);
  const count = h('p', {class: 'muted', id: 'queue-count', 'aria-live': 'polite'});
  const tbl = table(cases, open);
  const more = h('button', {type: 'button', hidden: cases.length < kPageSize}, 'Load more');
  more.addEventListener('click', async () => {
    const next = await api('GET', '/v1/cases', {query: queryFor(f, cases.length)});
    cases.push(...next.cases);
    queueState.ids = cases.map((c) => c.id);
    tbl.tBodies[0].append(...next.cases.map((c) => caseRow(c, open)));
    more.hidden = next.cases.length < kPageSize;
    count.textContent = `${cases.length} case${cases.length === 1 ? '' : 's'}`;
  });
  count.textContent = `${cases.length} case${cases.length === 1 ? '' : 's'}`;
  fill(el,
    h('h1', {}, 'Review queue'),
    filterForm(f, banks.banks),
    count,
    cases.length ? tbl : h('p', {class: 'panel'}, 'Nothing to review with these filters.'),
    more);

  const tbody = tbl.tBodies[0];
  let index = Math.max(0, cases.findIndex((c) => c.id === selectedId));
  if (cases.length) highlight(tbody, index);
  const move = (by) => {
    if (!cases.length) return;
    index = Math.min(cases.length - 1, Math.max(0, index + by));
    highlight(tbody, index);
  };
  return [
    {key: 'j', label: 'Next case', run: () => move(1)},
    {key: 'k', label: 'Previous case', run: () => move(-1)},
    {key: 'Enter', label: 'Open the selected case', run: () => cases[index] && open(cases[index].id)},
    {key: 'o', label: 'Switch order: oldest / highest priority first',
     run: () => go(hashFor({...f, order: f.order === 'oldest' ? 'priority' : 'oldest'}))},
    {key: 'f', label: 'Go to the filters', run: () => el.querySelector('#f-status').focus()},
    {key: 'u', label: 'Update (reload) the queue', run: () => go(location.hash)},
  ];
}
