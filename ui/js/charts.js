// Small SVG charts for the dashboard, drawn here (no chart library, no network). Each
// chart is an <svg role="img"> with a title and a summary, and comes with the same
// numbers as a table for screen readers (visually hidden).
import {h} from './dom.js';

const kNs = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(kNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// A "nice" axis top at or above `max`: 1, 2 or 5 times a power of ten.
function niceMax(max) {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max);
}

function frame(title, summary, width, height) {
  const id = `c${Math.random().toString(36).slice(2, 9)}`;
  return s('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d`},
    s('title', {id: `${id}-t`}, title), s('desc', {id: `${id}-d`}, summary));
}

// Stacked columns, one per item: items [{label, values: {key: n}}], series [{key, name, cls}].
export function columnChart({title, summary, items, series, width = 640, height = 220}) {
  const pad = {l: 36, r: 8, t: 10, b: 26};
  const plotW = width - pad.l - pad.r;
  const plotH = height - pad.t - pad.b;
  const totals = items.map((it) => series.reduce((sum, se) => sum + (it.values[se.key] || 0), 0));
  const top = niceMax(Math.max(2, ...totals));  // counts: at least 0, 1, 2 on the axis
  const svg = frame(title, summary, width, height);
  for (const frac of [0, 0.5, 1]) {
    const y = pad.t + plotH * (1 - frac);
    svg.append(s('line', {class: 'axis', x1: pad.l, x2: width - pad.r, y1: y, y2: y}),
               s('text', {x: pad.l - 6, y: y + 4, 'text-anchor': 'end'}, Math.round(top * frac)));
  }
  const slot = plotW / Math.max(1, items.length);
  const barW = Math.max(2, slot * 0.7);
  const labelEvery = Math.ceil(items.length / 10);
  items.forEach((it, i) => {
    const x = pad.l + i * slot + (slot - barW) / 2;
    let y = pad.t + plotH;
    for (const se of series) {
      const v = it.values[se.key] || 0;
      if (!v) continue;
      const hgt = (v / top) * plotH;
      y -= hgt;
      svg.append(s('rect', {class: se.cls, x, y, width: barW, height: hgt, 'data-value': v},
                   s('title', {}, `${it.label}: ${v} ${se.name}`)));
    }
    if (i % labelEvery === 0) {
      svg.append(s('text', {x: x + barW / 2, y: height - 8, 'text-anchor': 'middle'}, it.label.slice(5)));
    }
  });
  return h('figure', {class: 'chart'}, svg, dataTable(title, items, series));
}

function dataTable(title, items, series) {
  return h('table', {class: 'sr-only'},
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Day'), series.map((se) => h('th', {scope: 'col'}, se.name)))),
    h('tbody', {}, items.map((it) => h('tr', {}, h('th', {scope: 'row'}, it.label),
                                       series.map((se) => h('td', {}, it.values[se.key] || 0))))));
}

// Horizontal bars of a rate in [0, 1]: rows [{label, rate, note}].
export function rateChart({title, summary, rows, width = 640}) {
  const rowH = 28;
  const labelW = 150;
  const noteW = 150;
  const height = Math.max(1, rows.length) * rowH + 8;
  const plotW = width - labelW - noteW;
  const svg = frame(title, summary, width, height);
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    svg.append(
      s('text', {x: labelW - 8, y: y + 17, 'text-anchor': 'end'}, r.label),
      s('rect', {class: 'track', x: labelW, y: y + 5, width: plotW, height: 16}),
      s('rect', {class: 'bar-dispute', x: labelW, y: y + 5, width: Math.max(0, r.rate) * plotW, height: 16,
                 'data-value': r.rate}, s('title', {}, `${r.label}: ${(r.rate * 100).toFixed(1)}% ${r.note}`)),
      s('text', {x: labelW + plotW + 8, y: y + 17}, `${(r.rate * 100).toFixed(1)}%  ${r.note}`));
  });
  const table = h('table', {class: 'sr-only'}, h('caption', {}, title),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('th', {scope: 'row'}, r.label),
                                      h('td', {}, `${(r.rate * 100).toFixed(1)}% ${r.note}`)))));
  return h('figure', {class: 'chart'}, svg, table);
}
