// One case: the veiled preview, matched signals, earlier decisions on them, history,
// webhook deliveries, and the forms to decide, forward a complaint, or decide an appeal.
import {api, mediaObjectUrl} from './api.js';
import {h, fill, time, when, badge, toast} from './dom.js';
import {go, hasRole, session} from './session.js';
import {queueState} from './queue.js';

let objectUrl = null;  // the previous preview's blob URL, released on the next render

const kVideo = /\.(mp4|webm|m4v|mov|ogv)([?#]|$)/i;
const kVideoSignals = new Set(['vpdq', 'tmk_pdqf']);
const isVideoCase = (c) => kVideo.test(c.content_url) || c.matches.some((m) => kVideoSignals.has(m.signal_type));
const kGrounds = [
  'Regulation (EU) 2021/784 Art. 2(7) (terrorist content)',
  'Terms of service: violent extremism',
  'Terms of service: terrorist propaganda',
];

// The content, blurred and greyscale until the reviewer asks to see it (CSS: .veiled).
function preview(c) {
  if (!c.content_url) return {box: h('p', {class: 'panel muted'}, 'The platform sent no content URL for this item.'), toggle: () => {}};
  const video = isVideoCase(c);
  const media = video
    ? h('video', {class: 'media', controls: true, preload: 'metadata', playsinline: true,
                  'aria-label': 'Content under review'})
    : h('img', {class: 'media', alt: 'Content under review', referrerpolicy: 'no-referrer',
                decoding: 'async'});
  if (video) {
    media.muted = true;          // never sound by surprise
    media.defaultMuted = true;
    media.autoplay = false;
  }
  const box = h('div', {class: 'preview veiled', id: 'preview'});
  const veil = h('button', {type: 'button', class: 'veil', id: 'reveal'},
                 'Content hidden. Click or press V to reveal.');
  const status = h('p', {class: 'muted', id: 'preview-status'});
  const toggleButton = h('button', {type: 'button', id: 'toggle-preview', 'aria-controls': 'preview',
                                    'aria-pressed': 'false'}, 'Reveal (V)');
  const toggle = () => {
    const veiled = box.classList.toggle('veiled');
    toggleButton.textContent = veiled ? 'Reveal (V)' : 'Hide (V)';
    toggleButton.setAttribute('aria-pressed', String(!veiled));
    if (veiled && video) media.pause();
  };
  veil.addEventListener('click', toggle);
  toggleButton.addEventListener('click', toggle);
  box.append(media, veil);
  loadMedia(media, c.content_url, status);
  return {
    box: h('div', {class: 'stack'}, box,
           h('div', {class: 'row'}, toggleButton, originalLink(c.content_url), status),
           video ? segmentsPanel(c, media) : null),
    toggle,
  };
}

// m:ss (h:mm:ss past an hour), as a video player shows time.
function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const mmss = `${Math.floor(s / 60) % 60}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : mmss;
}

// The seconds of the upload that matched a bank video (vPDQ segments), each a button that
// plays just that stretch, muted and still veiled unless the reviewer revealed it. The
// player opens at the first matched second, paused.
function segmentsPanel(c, media) {
  const segments = c.matches.flatMap((m) => (m.detail && m.detail.segments || [])
    .map((s) => ({...s, bank: m.bank})))
    .sort((a, b) => a.query_start_s - b.query_start_s);
  if (!segments.length) return null;
  let stopAt = null;
  media.addEventListener('timeupdate', () => {
    if (stopAt !== null && media.currentTime >= stopAt) { media.pause(); stopAt = null; }
  });
  media.addEventListener('loadedmetadata', () => {
    if (media.currentTime === 0) media.currentTime = segments[0].query_start_s;
  }, {once: true});
  const play = (s) => {
    media.muted = true;
    media.currentTime = s.query_start_s;
    // A one-frame segment still plays a second, so the reviewer sees it move.
    stopAt = Math.max(s.query_end_s, s.query_start_s + 1);
    media.play().catch(() => {});
  };
  return h('div', {class: 'panel', id: 'segments'},
    h('h2', {}, 'Matched segments'),
    h('ul', {class: 'segments'}, segments.map((s, i) => h('li', {},
      h('button', {type: 'button', class: 'segment', 'data-start': s.query_start_s,
                   onclick: () => play(s)},
        `Play ${clock(s.query_start_s)}–${clock(s.query_end_s)}`),
      ` of the upload = ${clock(s.bank_start_s)}–${clock(s.bank_end_s)} of the video in `,
      h('strong', {}, s.bank), i === 0 ? ' (the player starts here)' : ''))));
}

// The platform's own page for the item (opens unveiled, so only on request). vigil's own
// /media URLs need the token, which a plain link cannot send: no link for those.
function originalLink(url) {
  let parsed;
  try { parsed = new URL(url, location.origin); } catch { return null; }
  if (parsed.origin === location.origin || !/^https?:$/.test(parsed.protocol)) return null;
  return h('a', {href: parsed.href, rel: 'noreferrer noopener', target: '_blank'}, 'Open at the platform (unveiled)');
}

async function loadMedia(media, url, status) {
  try {
    const local = await mediaObjectUrl(url);
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = local;
    media.src = local || url;
  } catch (e) {
    status.textContent = `The preview could not be loaded: ${e.message}`;
  }
}

function matchesTable(c) {
  return h('table', {'aria-label': 'Matched signals'},
    h('thead', {}, h('tr', {}, ['Bank', 'Type', 'Signal', 'Distance', 'Match', 'Labels'].map(
      (t) => h('th', {scope: 'col', class: t === 'Distance' ? 'num' : ''}, t)))),
    h('tbody', {}, c.matches.map((m) => h('tr', {},
      h('td', {}, m.bank),
      h('td', {}, m.signal_type),
      h('td', {class: 'mono', title: m.signal.slice(0, 200)}, `${m.signal.slice(0, 16)}…`),
      h('td', {class: 'num'}, m.distance),
      h('td', {class: 'match-strength'}, matchStrength(m)),
      h('td', {class: 'labels'}, m.labels.map((l) => badge(l, 'label')))))));
}

// How strongly a video matched; images are judged by their distance alone.
function matchStrength(m) {
  const d = m.detail || {};
  if (m.signal_type === 'vpdq') return `${d.query_percent}% of the upload, ${d.bank_percent}% of the bank video`;
  if (m.signal_type === 'tmk_pdqf') return `level 1 ${d.level1}, level 2 ${d.level2}`;
  return '';
}

function decisionItem(d, withCase = false) {
  return h('li', {},
    badge(d.decision), ' ',
    withCase ? [h('a', {href: `#/case/${d.case_id}`}, `case #${d.case_id}`), ' · '] : null,
    h('strong', {}, d.by.name), ` (${d.by.role}${d.automated ? ', automated' : ''}) · `,
    time(d.decided_at),
    h('div', {}, d.reason),
    d.ground ? h('div', {class: 'muted'}, `${d.ground_type === 'legal' ? 'Law' : 'Terms'}: ${d.ground}`) : null,
    d.dispute_signal ? h('div', {class: 'muted'}, 'Marked the matched signals disputed') : null);
}

function appealItem(a) {
  return h('li', {},
    h('strong', {}, 'Complaint'), ' forwarded by ', a.filed_by.name, ' · ', time(a.filed_at),
    h('blockquote', {}, a.text),
    a.outcome
      ? h('div', {}, badge(a.outcome === 'upheld' ? 'upheld: reinstated' : 'rejected', a.outcome === 'upheld' ? 'keep' : 'remove'),
          ' by ', a.decided_by.name, ' · ', time(a.decided_at), h('div', {}, a.outcome_reason))
      : h('div', {}, badge('awaiting a second reviewer', 'pending')));
}

// A row not tried although due: the dispatcher waits for the webhook URL and secret.
function pendingDetail(w) {
  if (w.attempts === 0 && w.next_attempt_at * 1000 < Date.now() - 5000) {
    return 'waiting: no webhook URL and secret are set yet (PUT /v1/settings/webhook)';
  }
  return `next try ${when(w.next_attempt_at)}${w.last_error ? ` · ${w.last_error}` : ''}`;
}

function deliveriesTable(deliveries) {
  if (!deliveries.length) return h('p', {class: 'muted'}, 'No webhook for this case.');
  return h('table', {'aria-label': 'Webhook deliveries', id: 'deliveries'},
    h('thead', {}, h('tr', {}, ['Kind', 'Status', 'Attempts', 'Detail'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, deliveries.map((w) => h('tr', {},
      h('td', {}, w.kind),
      h('td', {}, badge(w.status)),
      h('td', {class: 'num'}, w.attempts),
      h('td', {}, w.status === 'delivered' ? `at ${when(w.delivered_at)}`
                : w.status === 'pending' ? pendingDetail(w)
                : w.last_error)))));
}

function radios(name, legend, options) {
  return h('fieldset', {},
    h('legend', {}, legend),
    h('div', {class: 'choices'}, options.map(([value, text, key]) =>
      h('label', {}, h('input', {type: 'radio', name, value, id: `${name}-${value}`, required: true}),
        text, key ? h('kbd', {}, key) : null))));
}

// The decision form; resolves by re-rendering the case. Returns {form, choose(kind)}.
function decisionForm(c, rerender) {
  const reason = h('textarea', {id: 'reason', name: 'reason', required: true, maxlength: 4000,
                                placeholder: 'What you saw and why it leads to this decision'});
  const groundType = h('select', {id: 'ground-type', name: 'ground_type'},
    h('option', {value: 'terms'}, 'Terms of service'), h('option', {value: 'legal'}, 'Law'));
  const ground = h('input', {type: 'text', id: 'ground', name: 'ground', list: 'grounds', maxlength: 500});
  const dispute = h('input', {type: 'checkbox', id: 'dispute', name: 'dispute_signal', disabled: true});
  const error = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'panel stack', id: 'decide', 'aria-labelledby': 'decide-title'},
    h('h2', {id: 'decide-title'}, 'Decide'),
    radios('decision', 'Decision', [['remove', 'Remove', 'X'], ['keep', 'Keep', 'N'], ['escalate', 'Escalate', 'E']]),
    h('div', {}, h('label', {for: 'reason'}, 'Reason (facts and circumstances)'), reason),
    h('div', {class: 'row'},
      h('div', {}, h('label', {for: 'ground-type'}, 'Ground'), groundType),
      h('div', {class: 'grow'}, h('label', {for: 'ground'}, 'Clause or law relied on (required to remove)'), ground)),
    h('datalist', {id: 'grounds'}, kGrounds.map((g) => h('option', {value: g}))),
    h('label', {class: 'inline'}, dispute, 'Mark the matched signals disputed (a false positive; keep only)'),
    error,
    h('button', {type: 'submit', class: 'primary'}, 'Record decision'));
  const sync = () => {
    const kind = form.elements.decision.value;
    ground.required = kind === 'remove';
    dispute.disabled = kind !== 'keep';
    if (dispute.disabled) dispute.checked = false;
  };
  form.addEventListener('change', sync);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {decision: form.elements.decision.value, reason: reason.value.trim(),
                  ground_type: groundType.value, ground: ground.value.trim(), dispute_signal: dispute.checked};
    try {
      await api('POST', `/v1/cases/${c.id}/decision`, {body});
      toast(`Case #${c.id}: ${body.decision} recorded.`);
      rerender();
    } catch (err) {
      error.textContent = err.message;
    }
  });
  const choose = (kind) => {
    form.elements.decision.value = kind;
    sync();
    reason.focus();
  };
  return {form, choose};
}

// The platform forwards an uploader's complaint (submitter role; admin in a demo).
function complaintForm(c, rerender) {
  const text = h('textarea', {id: 'complaint', required: true, maxlength: 4000,
                              placeholder: 'The complaint as the platform received it, without personal data'});
  const error = h('p', {class: 'error', role: 'alert'});
  return h('form', {class: 'panel stack', id: 'file-appeal', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('POST', `/v1/cases/${c.id}/appeal`, {body: {text: text.value.trim()}});
      toast(`Case #${c.id}: complaint filed.`);
      rerender();
    } catch (err) { error.textContent = err.message; }
  }},
    h('h2', {}, 'Forward a complaint'),
    h('label', {for: 'complaint'}, 'Complaint'), text, error,
    h('button', {type: 'submit'}, 'File appeal'));
}

// A second reviewer decides the open appeal; whoever made the decision may not.
function appealForm(c, detail, rerender) {
  const last = [...detail.decisions].reverse().find((d) => d.decision !== 'escalate');
  const own = last && !last.automated && session.me && last.by.name === session.me.name;
  const reason = h('textarea', {id: 'appeal-reason', required: true, maxlength: 4000});
  const dispute = h('input', {type: 'checkbox', id: 'appeal-dispute', disabled: true});
  const error = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'panel stack', id: 'decide-appeal'},
    h('h2', {}, 'Decide the appeal'),
    own ? h('p', {class: 'error', role: 'note'}, 'You made the decision under appeal: another reviewer must decide it.') : null,
    radios('outcome', 'Outcome', [['upheld', 'Uphold: reinstate the content'], ['rejected', 'Reject: keep it removed']]),
    h('label', {for: 'appeal-reason'}, 'Reason'), reason,
    h('label', {class: 'inline'}, dispute, 'Mark the matched signals disputed (uphold only)'),
    error,
    h('button', {type: 'submit', class: 'primary', disabled: own}, 'Record appeal decision'));
  form.addEventListener('change', () => {
    dispute.disabled = form.elements.outcome.value !== 'upheld';
    if (dispute.disabled) dispute.checked = false;
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {outcome: form.elements.outcome.value, reason: reason.value.trim(), dispute_signal: dispute.checked};
    try {
      await api('POST', `/v1/cases/${c.id}/appeal/decision`, {body});
      toast(`Case #${c.id}: appeal ${body.outcome}.`);
      rerender();
    } catch (err) { error.textContent = err.message; }
  });
  return form;
}

function facts(c) {
  return h('dl', {class: 'facts'},
    h('dt', {}, 'Content id'), h('dd', {class: 'mono'}, c.content_id),
    h('dt', {}, 'Opened'), h('dd', {}, time(c.created_at)),
    h('dt', {}, 'Priority'), h('dd', {}, String(c.priority)),
    h('dt', {}, 'Updated'), h('dd', {}, time(c.updated_at)));
}

function stepper(id) {
  const i = queueState.ids.indexOf(id);
  const prev = i > 0 ? queueState.ids[i - 1] : null;
  const next = i >= 0 && i + 1 < queueState.ids.length ? queueState.ids[i + 1] : null;
  return {prev, next, nav: h('nav', {class: 'row', 'aria-label': 'Case navigation'},
    h('a', {href: queueState.hash}, '← Queue'),
    prev ? h('a', {href: `#/case/${prev}`}, 'Previous (K)') : null,
    next ? h('a', {href: `#/case/${next}`}, 'Next (J)') : null)};
}

// While a webhook is pending, re-reads the case every 2 s and updates the deliveries.
function watchDeliveries(el, c, detail) {
  if (!detail.deliveries.some((w) => w.status === 'pending')) return;
  const timer = setInterval(async () => {
    const box = el.querySelector('#deliveries-box');
    if (!box || !box.isConnected) return clearInterval(timer);
    try {
      const fresh = await api('GET', `/v1/cases/${c.id}`);
      fill(box, deliveriesTable(fresh.deliveries));
      if (!fresh.deliveries.some((w) => w.status === 'pending')) clearInterval(timer);
    } catch { clearInterval(timer); }
  }, 2000);
}

export async function renderCase(el, id) {
  const detail = await api('GET', `/v1/cases/${id}`);
  const c = detail;
  const rerender = () => go(`#/case/${id}`);
  const {box, toggle} = preview(c);
  const {prev, next, nav} = stepper(id);
  const canDecide = hasRole('reviewer') && (c.status === 'open' || c.status === 'escalated');
  const lastRemove = [...detail.decisions].reverse().find((d) => d.decision !== 'escalate');
  const canFile = hasRole('submitter') && c.status === 'decided' && lastRemove && lastRemove.decision === 'remove';
  const canAppeal = hasRole('reviewer') && c.status === 'appealed';
  const decide = canDecide ? decisionForm(c, rerender) : null;

  fill(el,
    nav,
    h('h1', {}, `Case #${c.id} `, badge(c.status)),
    h('div', {class: 'grid2'},
      h('section', {class: 'stack', 'aria-label': 'Content and matches'},
        box,
        h('h2', {}, 'Matched signals'), matchesTable(c),
        h('h2', {}, 'Earlier decisions on these signals'),
        detail.earlier_decisions_on_signals.length
          ? h('ol', {class: 'history'}, detail.earlier_decisions_on_signals.map((d) => decisionItem(d, true)))
          : h('p', {class: 'muted'}, 'None: this is the first case on these signals.')),
      h('section', {class: 'stack', 'aria-label': 'Decision'},
        h('div', {class: 'panel'}, facts(c)),
        decide ? decide.form : null,
        canAppeal ? appealForm(c, detail, rerender) : null,
        canFile ? complaintForm(c, rerender) : null,
        h('h2', {}, 'History'),
        detail.decisions.length
          ? h('ol', {class: 'history', id: 'decisions'}, detail.decisions.map((d) => decisionItem(d)))
          : h('p', {class: 'muted'}, 'No decision yet.'),
        detail.appeals.length ? h('ol', {class: 'history', id: 'appeals'}, detail.appeals.map(appealItem)) : null,
        h('h2', {}, 'Webhook to the platform'),
        h('div', {id: 'deliveries-box'}, deliveriesTable(detail.deliveries)))));
  watchDeliveries(el, c, detail);

  const keys = [
    {key: 'v', label: 'Reveal or hide the content', run: toggle},
    {key: 'j', label: 'Next case in the queue', run: () => next && go(`#/case/${next}`)},
    {key: 'k', label: 'Previous case in the queue', run: () => prev && go(`#/case/${prev}`)},
    {key: 'Escape', label: 'Back to the queue', run: () => go(queueState.hash)},
  ];
  if (decide) {
    keys.push({key: 'x', label: 'Decide: remove', run: () => decide.choose('remove')},
              {key: 'n', label: 'Decide: keep (no action)', run: () => decide.choose('keep')},
              {key: 'e', label: 'Decide: escalate', run: () => decide.choose('escalate')});
  }
  return keys;
}
