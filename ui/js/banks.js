// Banks: signal counts, labels, verification and match policy; import of a CSV or JSON
// Lines file with an upload progress bar (curator); a new bank (curator).
import {api, upload} from './api.js';
import {h, fill, badge, when, toast} from './dom.js';
import {go, hasRole} from './session.js';

async function withPolicies(banks) {
  return Promise.all(banks.map(async (b) => {
    try {
      return {...b, policy: await api('GET', `/v1/banks/${encodeURIComponent(b.name)}/policy`)};
    } catch {
      return {...b, policy: null};  // e.g. a curator-only view without the review schema
    }
  }));
}

function banksTable(banks) {
  return h('table', {id: 'banks', 'aria-label': 'Banks'},
    h('thead', {}, h('tr', {}, ['Bank', 'Labels', 'Signals', 'Enabled signals', 'Matching', 'Verified', 'Policy', 'Created'].map(
      (t) => h('th', {scope: 'col', class: ['Signals', 'Enabled signals'].includes(t) ? 'num' : ''}, t)))),
    h('tbody', {}, banks.map((b) => h('tr', {dataset: {bank: b.name}},
      h('td', {}, h('strong', {}, b.name), b.description ? h('div', {class: 'muted'}, b.description) : null),
      h('td', {class: 'labels'}, b.labels.map((l) => badge(l, 'label'))),
      h('td', {class: 'num', dataset: {count: 'signals'}}, b.signal_count.toLocaleString('en')),
      h('td', {class: 'num'}, b.enabled_signal_count.toLocaleString('en')),
      h('td', {}, b.enabled ? 'on' : badge('off', 'dead')),
      h('td', {}, b.policy ? (b.policy.verified ? 'yes' : 'no') : '?'),
      h('td', {}, b.policy ? badge(b.policy.policy, b.policy.policy === 'auto' ? 'escalated' : 'open') : '?'),
      h('td', {}, when(b.created_at))))));
}

function reportView(status, r) {
  const ok = status === 200;
  return h('div', {class: 'stack', id: 'import-report', role: 'status'},
    h('p', {class: ok ? '' : 'error'}, ok
      ? `Imported: ${r.rows_inserted} new, ${r.rows_duplicate} already there, of ${r.rows_read} rows.`
      : `Nothing imported: ${r.rows_invalid} bad row${r.rows_invalid === 1 ? '' : 's'} of ${r.rows_read}.`),
    r.errors && r.errors.length
      ? h('ul', {}, r.errors.slice(0, 50).map((e) => h('li', {}, `line ${e.line}: ${e.message}`)))
      : null);
}

function importForm(banks) {
  const bank = h('select', {id: 'import-bank', required: true}, banks.map((b) => h('option', {value: b.name}, b.name)));
  const file = h('input', {type: 'file', id: 'import-file', required: true, accept: '.csv,.jsonl,.ndjson,text/csv,application/x-ndjson'});
  const source = h('input', {type: 'text', id: 'import-source', placeholder: 'e.g. gifct-2025-06'});
  const bar = h('progress', {id: 'import-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress'});
  const result = h('div', {'aria-live': 'polite'});
  const button = h('button', {type: 'submit', class: 'primary'}, 'Import');
  const form = h('form', {class: 'panel stack', id: 'import', 'aria-labelledby': 'import-title'},
    h('h2', {id: 'import-title'}, 'Import signals'),
    h('p', {class: 'muted'}, 'CSV or JSON Lines (docs/formats.md). All rows or none: a file with a bad row imports nothing and lists every bad line.'),
    h('div', {class: 'row'},
      h('div', {}, h('label', {for: 'import-bank'}, 'Into bank'), bank),
      h('div', {}, h('label', {for: 'import-file'}, 'File'), file),
      h('div', {}, h('label', {for: 'import-source'}, 'Source (optional)'), source)),
    bar, button, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const jsonl = /\.(jsonl|ndjson)$/i.test(f.name);
    const query = new URLSearchParams({format: jsonl ? 'jsonl' : 'csv'});
    if (source.value.trim()) query.set('source', source.value.trim());
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    fill(result, h('p', {class: 'muted'}, `Uploading ${f.name}…`));
    try {
      const {status, body} = await upload(`/v1/banks/${encodeURIComponent(bank.value)}/import?${query}`,
                                          f, jsonl ? 'application/x-ndjson' : 'text/csv',
                                          (fraction) => { bar.value = fraction; });
      bar.value = 1;
      fill(result, reportView(status, body));
      if (status === 200) {
        toast(`${body.rows_inserted} signals imported into ${bank.value}.`);
        refreshCounts(bank.value);
      }
    } catch (err) {
      fill(result, h('p', {class: 'error', role: 'alert'}, err.message));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// Updates one bank's counts in place after an import (keeps the report on screen).
async function refreshCounts(name) {
  const b = await api('GET', `/v1/banks/${encodeURIComponent(name)}`).catch(() => null);
  const row = document.querySelector(`#banks tr[data-bank="${CSS.escape(name)}"]`);
  if (!b || !row) return;
  row.cells[2].textContent = b.signal_count.toLocaleString('en');
  row.cells[3].textContent = b.enabled_signal_count.toLocaleString('en');
}

function createForm() {
  const name = h('input', {type: 'text', id: 'new-bank', required: true, pattern: '[A-Za-z0-9_.\\-]+', maxlength: 100});
  const labels = h('input', {type: 'text', id: 'new-labels', placeholder: 'terrorism, priority:high'});
  const error = h('p', {class: 'error', role: 'alert'});
  return h('form', {class: 'panel stack', id: 'create-bank', onsubmit: async (e) => {
    e.preventDefault();
    const body = {name: name.value.trim(), labels: labels.value.split(',').map((l) => l.trim()).filter(Boolean)};
    try {
      await api('POST', '/v1/banks', {body});
      toast(`Bank ${body.name} created.`);
      go('#/banks');
    } catch (err) { error.textContent = err.message; }
  }},
    h('h2', {}, 'New bank'),
    h('div', {class: 'row'},
      h('div', {}, h('label', {for: 'new-bank'}, 'Name'), name),
      h('div', {}, h('label', {for: 'new-labels'}, 'Labels (comma-separated)'), labels),
      h('button', {type: 'submit'}, 'Create')),
    error);
}

export async function renderBanks(el) {
  const {banks} = await api('GET', '/v1/banks');
  const all = await withPolicies(banks);
  const curator = hasRole('curator');
  fill(el,
    h('h1', {}, 'Banks'),
    all.length ? banksTable(all) : h('p', {class: 'panel'}, 'No banks yet.'),
    h('p', {class: 'muted'}, 'Priority of a case comes from its matches’ labels: priority:0–9 or priority:low|medium|high|critical (1–4). Policy auto removes matches without review and needs a verified bank.'),
    curator && all.length ? importForm(all) : null,
    curator ? createForm() : null);
  return [{key: 'i', label: 'Go to the import form', run: () => el.querySelector('#import-bank')?.focus()}];
}
