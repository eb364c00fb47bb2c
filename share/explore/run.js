/* run.js: the explorer's runs: Setup, Step, Run and Pause, the months as
 * they stream in, A against B, the downloads, and starting the page. */
'use strict';

/* ---- Setup ---- */

function entities(a) {
  const e = JSON.parse(JSON.stringify(a.entities));
  return e;
}

async function setup() {
  if (X.busy) return;
  X.running = false;
  X.busy = true;
  buttons();
  clearMessages();
  let r = await post('/api/setup', setupBody());
  if (r.status === 410 && await openSession())
    r = await post('/api/setup', setupBody());
  X.busy = false;
  if (!r.ok) {
    showErrors(r.errors, 'The explorer could not set up this run:');
    buttons();
    return;
  }
  const e0 = r.arms[0].entities;
  X.run = { arms: r.arms.map(a => ({ ent: entities(a), months: [], last: null, command: a.command,
                                     file_name: a.file_name, name: a.name })),
            month: 0, months: e0.months, start_month: e0.start_month, done: false,
            compare: r.arms.length > 1 };
  X.showMarket = X.showStory = 0;
  QMPlots.reset(r.arms.length);
  QMPlots.draw();
  $('plots-caption').textContent = X.run.compare
    ? 'Each plot grows by one point a month: solid lines are setting A, dashed lines setting B.'
    : 'Each plot grows by one point a month.';
  $('market-show').hidden = $('story-show').hidden = !X.run.compare;
  pick('market-show', 0);
  pick('story-show', 0);
  renderFilter();
  renderStory();
  renderMarket();
  renderClock();
  renderComparison();
  renderDownloads();
  note(X.run.compare ? 'Ready: two runs, A and B, with the same luck. Press Step or Run.'
                     : 'Ready. Press Step for one month, or Run.');
  buttons();
}

/* ---- Months ---- */

function applyMonth(line) {
  const run = X.run;
  line.arms.forEach((m, a) => {
    if (!m) return;
    const arm = run.arms[a], ent = arm.ent;
    for (const i in m.cn) ent.commissioners[i].name = m.cn[i];
    for (const i in m.pn)
      ent.providers[i] = { name: m.pn[i][0], kind: m.pn[i][1], entrant: m.pn[i][2], active: 1 };
    m.ca.forEach((v, i) => { ent.commissioners[i].active = v; });
    m.pa.forEach((v, i) => { if (ent.providers[i]) ent.providers[i].active = v; });
    arm.last = m;
    arm.months.push({ m: m.m, s: m.s, dev: m.dev, story: m.story, common: m.common, by: m.by });
    if (Object.keys(m.cn).length || Object.keys(m.pn).length) renderFilter();
    if (a === X.showStory) appendStory(arm.months[arm.months.length - 1], $('story-filter').value);
  });
  QMPlots.push(line.m, line.arms);
  run.month = line.m + 1;
}

/* Asks the server for n months and draws each as it arrives.  Returns
 * false when the run cannot go on. */
async function step(n) {
  if (!X.run || X.run.done) return false;
  let res;
  try {
    res = await fetch('/api/step', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                     body: JSON.stringify({ session: X.session, months: n }) });
  } catch (e) {
    showErrors(['The explorer\u2019s server does not answer: is qmsim explore still running?'],
               'The run stopped:');
    return false;
  }
  if (!res.ok) {
    let j = {};
    try { j = await res.json(); } catch (e) { /* shown below */ }
    showErrors(j.errors || ['The server refused the step (' + res.status + ').'], 'The run stopped:');
    if (res.status === 410) { X.run = null; await openSession(); buttons(); }
    return false;
  }
  const reader = res.body.getReader(), dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += dec.decode(value, { stream: true });
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (line.done) X.run.done = line.month >= line.months;
      else {
        applyMonth(line);
        QMPlots.draw();
        renderMarket();
        renderClock();
      }
    }
    if (done) break;
  }
  renderComparison();
  renderClock();
  if (X.run.done) note('The run has reached its last month. Change a cause and press Setup to run again.');
  return true;
}

async function stepOnce() {
  if (X.busy || X.running) return;
  X.busy = true;
  buttons();
  clearMessages();
  await step(1);
  X.busy = false;
  buttons();
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function runLoop() {
  if (X.running) { X.running = false; buttons(); return; }
  if (X.busy || !X.run || X.run.done) return;
  X.running = true;
  clearMessages();
  buttons();
  while (X.running && X.run && !X.run.done) {
    const t0 = performance.now(), per = SPEEDS[+$('speed').value];
    X.busy = true;
    const ok = await step(per === Infinity ? 6 : 1);
    X.busy = false;
    if (!ok) break;
    const wait = per === Infinity ? 0 : 1000 / per - (performance.now() - t0);
    if (wait > 0) await sleep(wait);
  }
  X.running = false;
  buttons();
}

function buttons() {
  const r = X.run;
  $('setup').disabled = X.busy || X.running;
  $('step').disabled = X.busy || X.running || !r || r.done;
  $('run').disabled = !r || (r.done && !X.running) || (X.busy && !X.running);
  $('run').textContent = X.running ? 'Pause' : 'Run';
}

/* ---- Views ---- */

function pick(id, a) {
  document.querySelectorAll('#' + id + ' button').forEach(b => b.classList.toggle('on', +b.dataset.arm === a));
}

function renderMarket() {
  const arm = X.run.arms[X.showMarket];
  if (arm.last) QMMarket.draw(arm.ent, arm.last);
  else QMMarket.draw(arm.ent, { k: arm.ent.k, g: arm.ent.g });
}

function fmt(v) {
  if (v === null || !isFinite(v)) return '\u2014';
  if (Number.isInteger(v)) return v.toLocaleString('en-GB');
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-GB');
  if (a >= 10) return v.toFixed(1);
  return a >= 0.01 ? v.toFixed(3) : String(+v.toPrecision(2));
}

/* Outcomes over the months run, from the series of qm_series_defs. */
const OUTCOMES = [
  ['Tenders started', 'number, over the months run', m => sum(m, 'tenders_started')],
  ['Switches of provider', 'number, over the months run', m => sum(m, 'switches')],
  ['Transaction costs per \u00a3100 paid to providers', '\u00a3, over the months run',
   m => 100 * (sum(m, 'tc_commissioner') + sum(m, 'tc_provider')) / sum(m, 'spend')],
  ['Trust in providers', '0 to 1, in the last month', m => last(m, 'trust_mean_provider')],
  ['Quality of care delivered', '0 to 1, average over the months', m => sum(m, 'quality_delivered') / m.length],
  ['Unmet demand', 'units of care, over the months run', m => sum(m, 'unmet_demand')],
  ['Fees paid to support agencies', '\u00a3, over the months run', m => sum(m, 'agency_fees')],
  ['Commissioners\u2019 analytic knowledge', '0 to 1, in the last month', m => last(m, 'knowledge_analytic_mean')],
  ['Dependency on agencies', '0 to 1, in the last month', m => last(m, 'dependency_index')],
  ['Service developments launched', 'number, over the months run', m => sum(m, 'developments_completed')],
];

function series(name) {
  return X.cat.series.findIndex(s => s.name === name);
}

function sum(months, name) {
  const i = series(name);
  return months.reduce((t, m) => t + m.s[i], 0);
}

function last(months, name) {
  return months.length ? months[months.length - 1].s[series(name)] : null;
}

function renderComparison() {
  const box = $('comparison'), t = $('compare-table');
  box.hidden = !(X.run && X.run.compare);
  if (box.hidden) return;
  const A = X.run.arms[0].months, B = X.run.arms[1].months, n = Math.min(A.length, B.length);
  t.innerHTML = '<tr><th>Outcome (' + n + ' months)</th><th>A</th><th>B</th><th>B \u2212 A</th></tr>';
  OUTCOMES.forEach(([name, what, f], k) => {
    const a = n ? f(A.slice(0, n)) : null, b = n ? f(B.slice(0, n)) : null;
    const d = a === null || b === null ? null : b - a;
    const tr = document.createElement('tr');
    tr.dataset.outcome = k;
    tr.innerHTML = '<td></td><td class="a"></td><td class="b"></td><td class="d"></td>';
    tr.cells[0].innerHTML = '<span></span><span class="what"></span>';
    tr.cells[0].children[0].textContent = name;
    tr.cells[0].children[1].textContent = what;
    [a, b, d].forEach((v, j) => {
      tr.cells[j + 1].textContent = (j === 2 && v > 0 ? '+' : '') + fmt(v);
      tr.cells[j + 1].dataset.value = v === null ? '' : String(v);
    });
    t.appendChild(tr);
  });
}

function renderDownloads() {
  const box = $('downloads');
  $('keep').hidden = false;
  box.textContent = '';
  X.run.arms.forEach((arm, a) => {
    const div = document.createElement('div');
    div.className = 'arm';
    const q = '?session=' + X.session + '&arm=' + a;
    const label = X.run.compare ? 'Setting ' + 'AB'[a] + ': ' : '';
    div.innerHTML = '<a class="button" download></a><p class="help"></p><code></code>';
    const link = div.querySelector('a');
    link.href = '/api/download' + q;
    link.id = 'download-' + a;
    link.textContent = label + 'Download the run (HDF5, all ' + X.run.months + ' months)';
    div.querySelector('p').textContent = 'It is the file this command writes, to the last digit:';
    div.querySelector('code').textContent = arm.command;
    if (arm.file_name) {
      const f = document.createElement('a');
      f.className = 'button';
      f.id = 'download-scenario-' + a;
      f.href = '/api/scenario-file' + q;
      f.download = arm.file_name;
      f.textContent = 'Download ' + arm.file_name + ' (the scenario with the reorganisation)';
      div.appendChild(f);
    }
    box.appendChild(div);
  });
}

/* ---- Start ---- */

function wire() {
  $('scenario').addEventListener('change', () => chooseScenario($('scenario').value));
  $('compare').addEventListener('change', () => {
    X.compare = $('compare').checked;
    if (X.compare && !X.settings[1]) X.settings[1] = copySettings(X.settings[0]);
    if (!X.compare) X.editing = 0;
    renderEditing();
    renderControls();
    renderDiff();
  });
  [['edit-a', 0], ['edit-b', 1]].forEach(([id, a]) => $(id).addEventListener('click', () => {
    X.editing = a;
    renderEditing();
    renderControls();
  }));
  $('reorg-on').addEventListener('change', () => {
    X.settings[X.editing].reorg.on = $('reorg-on').checked;
    renderReorg();
    renderDiff();
  });
  $('search').addEventListener('input', search);
  $('setup').addEventListener('click', setup);
  $('step').addEventListener('click', stepOnce);
  $('run').addEventListener('click', runLoop);
  const speed = () => { $('speed-text').textContent = SPEED_WORDS[+$('speed').value]; };
  $('speed').addEventListener('input', speed);
  speed();
  $('story-filter').addEventListener('change', renderStory);
  document.querySelectorAll('#market-show button').forEach(b => b.addEventListener('click', () => {
    X.showMarket = +b.dataset.arm;
    pick('market-show', X.showMarket);
    renderMarket();
  }));
  document.querySelectorAll('#story-show button').forEach(b => b.addEventListener('click', () => {
    X.showStory = +b.dataset.arm;
    pick('story-show', X.showStory);
    renderFilter();
    renderStory();
  }));
  window.addEventListener('pagehide', () => {
    if (X.session) navigator.sendBeacon('/api/close', JSON.stringify({ session: X.session }));
  });
}

async function start() {
  wire();
  QMMarket.init($('view'), $('tooltip'), $('legend'));
  renderStory();
  let cat;
  try {
    cat = await (await fetch('/api/scenarios')).json();
  } catch (e) {
    showErrors(['The explorer\u2019s server does not answer: is qmsim explore still running?'],
               'The page cannot start:');
    return;
  }
  X.cat = cat;
  if (!QMPlots.init($('plots'), cat.series)) {
    $('no-charts').hidden = false;
    $('no-charts').textContent = window.QMSIM_NO_CHARTS || 'The plots need Chart.js.';
  }
  const sel = $('scenario');
  const groups = {};
  cat.scenarios.forEach(s => {
    const g = s.given ? 'yours' : s.name.includes('/') ? s.name.split('/')[0] : 'other';
    const label = { teaching: 'For a class', reforms: 'English reforms, 1991\u20132024', other: 'Whole areas',
                    yours: 'Given when the server started' }[g] || g;
    if (!groups[label]) {
      groups[label] = document.createElement('optgroup');
      groups[label].label = label;
      sel.appendChild(groups[label]);
    }
    const o = document.createElement('option');
    o.value = s.name;
    o.textContent = s.name + (s.why ? ' (too large here)' : '') + ': ' + s.description;
    groups[label].appendChild(o);
  });
  chooseScenario(cat.chosen);
  await openSession();
  buttons();
}

document.addEventListener('DOMContentLoaded', start);
