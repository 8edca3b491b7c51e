// The dashboard: queue sizes, matches (cases opened) and decisions per day, and the
// dispute rate per bank (decided cases whose reviewer marked the signals a false positive).
import {api} from './api.js';
import {h, fill} from './dom.js';
import {columnChart, rateChart} from './charts.js';
import {go} from './session.js';

const kWindows = [7, 30, 90];

function card(label, value, id) {
  return h('div', {class: 'panel card'}, h('div', {class: 'muted'}, label), h('div', {class: 'value', id}, value));
}

export async function renderDashboard(el, params) {
  const days = kWindows.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
  const stats = await api('GET', '/v1/stats', {query: {days}});
  const items = (pick) => stats.days.map((d) => ({label: d.day, values: pick(d)}));
  const totalOpened = stats.days.reduce((n, d) => n + d.cases_opened, 0);
  const totalDecided = stats.days.reduce((n, d) => n + d.decisions.remove + d.decisions.keep + d.decisions.escalate, 0);
  const byStatus = stats.cases_by_status;
  const windowSelect = h('select', {id: 'window', onchange: (e) => go(`#/dashboard?days=${e.target.value}`)},
    kWindows.map((n) => h('option', {value: n, selected: n === days}, `Last ${n} days`)));
  fill(el,
    h('h1', {}, 'Dashboard'),
    h('div', {class: 'row'}, h('div', {}, h('label', {for: 'window'}, 'Window'), windowSelect)),
    h('div', {class: 'cards'},
      card('Open cases', byStatus.open, 'open-count'),
      card('Escalated', byStatus.escalated, 'escalated-count'),
      card('Appeals waiting', byStatus.appealed, 'appealed-count'),
      card(`Matches, ${days} days`, totalOpened, 'matches-total'),
      card(`Decisions, ${days} days`, totalDecided, 'decisions-total')),
    h('section', {'aria-labelledby': 'matches-title', id: 'chart-matches'},
      h('h2', {id: 'matches-title'}, 'Matches per day'),
      columnChart({title: 'Matches per day', summary: `${totalOpened} matched items opened cases in the last ${days} days.`,
                   items: items((d) => ({matches: d.cases_opened})),
                   series: [{key: 'matches', name: 'matches', cls: 'bar-matches'}]})),
    h('section', {'aria-labelledby': 'decisions-title', id: 'chart-decisions'},
      h('h2', {id: 'decisions-title'}, 'Decisions per day'),
      h('div', {class: 'legend'}, h('span', {class: 'remove'}, 'remove'), h('span', {class: 'keep'}, 'keep'),
        h('span', {class: 'escalate'}, 'escalate')),
      columnChart({title: 'Decisions per day', summary: `${totalDecided} decisions in the last ${days} days.`,
                   items: items((d) => d.decisions),
                   series: [{key: 'remove', name: 'remove', cls: 'bar-remove'},
                            {key: 'keep', name: 'keep', cls: 'bar-keep'},
                            {key: 'escalate', name: 'escalate', cls: 'bar-escalate'}]})),
    h('section', {'aria-labelledby': 'dispute-title', id: 'chart-disputes'},
      h('h2', {id: 'dispute-title'}, 'Dispute rate per bank'),
      h('p', {class: 'muted'}, 'Share of decided cases where the reviewer marked the matched signals disputed (a false positive). A high rate means the bank needs curating.'),
      stats.banks.length
        ? rateChart({title: 'Dispute rate per bank', summary: 'Disputed share of decided cases, per bank.',
                     rows: stats.banks.map((b) => ({label: b.bank, rate: b.dispute_rate,
                                                     note: `(${b.disputed} of ${b.decided} decided)`}))})
        : h('p', {class: 'panel'}, 'No cases in this window.')));
  return [{key: 'w', label: 'Change the window', run: () => windowSelect.focus()}];
}
