/* explore.js: the explorer's page: choosing a scenario, the controls, Setup,
 * Step and Run, the clock, the story, Compare and the downloads.  The
 * server (qmsim explore) runs the model; this page only asks for months
 * and draws them (docs/explore.md). */
'use strict';

const X = {
  cat: null, session: null, scen: null,
  settings: [null, null], editing: 0, compare: false,
  run: null, running: false, busy: false,
  showMarket: 0, showStory: 0,
};
window.explorer = X;

const $ = id => document.getElementById(id);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                'September', 'October', 'November', 'December'];
const SPEEDS = [0.5, 1, 2, 4, 8, 16, Infinity];
const SPEED_WORDS = ['a month every 2 seconds', '1 month a second', '2 months a second',
                     '4 months a second', '8 months a second', '16 months a second',
                     'as fast as possible'];
const ENUM_WORDS = { keep: 'each service keeps its own', block: 'block: a fixed yearly sum',
                     activity: 'activity: a price per patient', outcome: 'outcome: pay by results' };

/* ---- Talking to the server ---- */

async function post(url, body) {
  let res;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                             body: JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, errors: ['The explorer\u2019s server does not answer: is ' +
                                             'qmsim explore still running?'] };
  }
  let j;
  try { j = await res.json(); } catch (e) { j = { errors: ['The server\u2019s answer was unreadable.'] }; }
  j.status = res.status;
  j.ok = res.ok && j.ok !== false;
  return j;
}

async function openSession() {
  const r = await post('/api/session', {});
  if (!r.ok) { showErrors(r.errors, 'The explorer cannot take another tab now:'); return false; }
  X.session = r.session;
  return true;
}

/* ---- Messages ---- */

function showErrors(list, title) {
  const box = $('messages');
  box.className = 'messages';
  box.innerHTML = '<b></b><ul></ul>';
  box.querySelector('b').textContent = title;
  (list || []).forEach(m => {
    const li = document.createElement('li');
    li.textContent = m;
    box.querySelector('ul').appendChild(li);
  });
  box.scrollIntoView({ block: 'nearest' });
}

function note(text) {
  const box = $('messages');
  box.className = 'messages note';
  box.textContent = text;
}

function clearMessages() {
  $('messages').textContent = '';
}

/* ---- Settings ---- */

function freshSettings(scen) {
  const r = {};
  X.cat.reorganisation.forEach(f => { r[f.id] = f.param.default; });
  r.month = Math.max(1, Math.floor(scen.months / 2));
  r.on = false;
  return { values: Object.assign({}, scen.values), extra: {}, reorg: r };
}

function copySettings(s) {
  return JSON.parse(JSON.stringify(s));
}

/* The --set values of setting a: the controls moved away from the
 * scenario's values, and the other keys typed in. */
function setsOf(a) {
  const s = X.settings[a], scen = X.scen, sets = {};
  X.cat.controls.forEach(c => {
    const v = s.values[c.id];
    if (v === null || v === undefined || v === scen.values[c.id]) return;
    scen.keys[c.id].forEach(k => { sets[k] = v; });
  });
  for (const k in s.extra)
    if (String(s.extra[k]).trim() !== '') sets[k] = String(s.extra[k]).trim();
  return sets;
}

function setupBody() {
  const body = { session: X.session, scenario: X.scen.name, arms: [] };
  const seed = $('seed').value.trim(), months = $('months').value.trim();
  if (seed !== '' && +seed !== X.scen.seed) body.seed = +seed;
  if (months !== '' && +months !== X.scen.months) body.months = +months;
  for (let a = 0; a < (X.compare ? 2 : 1); a++) {
    const s = X.settings[a];
    const arm = { set: setsOf(a), reorganisation: null };
    if (s.reorg.on)
      arm.reorganisation = { month: +s.reorg.month, staff_loss: +s.reorg.staff_loss,
                             knowledge_loss: +s.reorg.knowledge_loss, merge: +s.reorg.merge };
    body.arms.push(arm);
  }
  return body;
}

/* ---- Controls ---- */

function shown(c, v) {
  if (v === null || v === undefined) return '\u2014';
  if (c.param.type === 'bool') return v ? 'on' : 'off';
  if (c.param.type === 'enum') return ENUM_WORDS[v] || v;
  if (c.param.type === 'integer') return String(v);
  return (+v).toFixed(c.id === 'consultant_turnover' ? 3 : 2);
}

function rangeWords(p) {
  const d = 'model default ' + shown({ param: p }, p.default);
  if (p.type === 'bool' || p.type === 'enum' || (p.type !== 'integer' && p.max - p.min <= 1)) return d;
  return d + '; from ' + (+p.min).toLocaleString('en-GB') + ' to ' + (+p.max).toLocaleString('en-GB');
}

function controlInput(c, v, onchange) {
  const p = c.param;
  let input;
  if (p.type === 'bool') {
    input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = !!v;
    input.addEventListener('change', () => onchange(input.checked));
  } else if (p.type === 'enum') {
    input = document.createElement('select');
    p.names.forEach(n => {
      const o = document.createElement('option');
      o.value = n;
      o.textContent = ENUM_WORDS[n] || n;
      input.appendChild(o);
    });
    input.value = v;
    input.addEventListener('change', () => onchange(input.value));
  } else if ((p.type === 'real' || p.type === 'distribution') && p.max - p.min <= 1) {
    input = document.createElement('input');
    input.type = 'range';
    input.min = p.min;
    input.max = p.max;
    input.step = c.id === 'consultant_turnover' ? 0.005 : 0.05;
    input.value = v;
    input.addEventListener('input', () => onchange(+input.value));
  } else {
    input = document.createElement('input');
    input.type = 'number';
    input.min = p.min;
    input.max = p.max;
    input.step = p.type === 'integer' ? 1 : 'any';
    input.value = v;
    input.addEventListener('change', () => onchange(input.value === '' ? null : +input.value));
  }
  input.id = 'control-' + c.id;
  return input;
}

function renderControls() {
  const box = $('controls'), a = X.editing, s = X.settings[a], other = X.settings[1 - a];
  box.textContent = '';
  X.cat.controls.forEach(c => {
    const row = document.createElement('div');
    const v = s.values[c.id];
    const differs = X.compare && other && other.values[c.id] !== v;
    row.className = 'control' + (differs ? ' differs' : '');
    row.innerHTML = '<div class="top"><span class="name"><label></label></span><span class="value"></span></div>';
    row.querySelector('label').textContent = c.label;
    row.querySelector('label').htmlFor = 'control-' + c.id;
    const value = row.querySelector('.value');
    value.textContent = c.param.type === 'enum' ? '' : shown(c, v);
    if (!X.scen.keys[c.id].length) {
      const na = document.createElement('p');
      na.className = 'na';
      na.textContent = 'This area has no consultancies.';
      row.appendChild(na);
    } else {
      const input = controlInput(c, v, nv => {
        s.values[c.id] = nv;
        if (c.param.type !== 'enum') value.textContent = shown(c, nv);
        if (X.compare) { renderControls(); renderDiff(); }
      });
      if (c.param.type === 'bool') row.querySelector('.name').prepend(input);
      else row.appendChild(input);
    }
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = c.help;
    const units = document.createElement('p');
    units.className = 'units';
    units.textContent = c.units + ' \u00b7 ' + rangeWords(c.param);
    row.append(help, units);
    if (differs) {
      const o = document.createElement('p');
      o.className = 'other';
      o.textContent = 'Setting ' + (a ? 'A' : 'B') + ': ' + shown(c, other.values[c.id]);
      row.appendChild(o);
    }
    box.appendChild(row);
  });
  renderReorg();
  renderExtra();
}

function renderReorg() {
  const s = X.settings[X.editing].reorg, box = $('reorg-fields');
  $('reorg-on').checked = s.on;
  box.textContent = '';
  const had = X.scen.reorganisations;
  if (had.length) {
    const p = document.createElement('p');
    p.className = 'help';
    p.textContent = 'This area already reorganises its commissioners in month ' + had.join(', ') + '.';
    box.appendChild(p);
  }
  X.cat.reorganisation.forEach(f => {
    const row = document.createElement('label');
    row.className = 'field';
    row.innerHTML = '<span></span><input type="number">';
    row.querySelector('span').textContent = f.label + ' (' + f.units + ')';
    const input = row.querySelector('input');
    input.id = 'reorg-' + f.id;
    input.min = f.param.min;
    input.max = f.id === 'month' ? X.scen.months - 1 : f.param.max;
    input.step = f.param.type === 'integer' ? 1 : 0.05;
    input.value = s[f.id];
    input.disabled = !s.on;
    input.addEventListener('change', () => { s[f.id] = input.value; });
    box.appendChild(row);
  });
}

/* ---- Any other setting ---- */

function candidates() {
  const out = [], taken = new Set();
  X.cat.controls.forEach(c => X.scen.keys[c.id].forEach(k => taken.add(k)));
  X.cat.registry.forEach(d => { if (!taken.has(d.path)) out.push(Object.assign({}, d)); });
  const skip = new Set(['prefix', 'name', 'count']);
  const add = (prefix, fields) => fields.forEach(d => {
    if (!skip.has(d.path) && !taken.has(prefix + d.path))
      out.push(Object.assign({}, d, { path: prefix + d.path }));
  });
  const g = X.scen.groups;
  g.services.forEach(n => add('services.' + n + '.', X.cat.fields.services));
  g.commissioners.forEach((n, i) => add('commissioners[' + i + '].', X.cat.fields.commissioners));
  g.providers.forEach((n, i) => add('providers[' + i + '].', X.cat.fields.providers));
  g.agencies.forEach((n, i) => add('agencies[' + i + '].', X.cat.fields.agencies));
  return out;
}

function search() {
  const q = $('search').value.toLowerCase().split(/\s+/).filter(w => w);
  const list = $('found');
  list.textContent = '';
  if (!q.length) return;
  candidates().filter(d => q.every(w => (d.path + ' ' + d.doc).toLowerCase().includes(w)))
    .slice(0, 15).forEach(d => {
      const li = document.createElement('li');
      li.innerHTML = '<code></code> <span></span>';
      li.querySelector('code').textContent = d.path;
      li.querySelector('span').textContent = d.doc + (d.unit ? ' (' + d.unit + ')' : '');
      li.addEventListener('click', () => {
        X.settings[X.editing].extra[d.path] = '';
        renderExtra();
        $('extra-' + d.path).focus();
      });
      list.appendChild(li);
    });
}

function describe(path) {
  const all = candidates();
  return all.find(d => d.path === path);
}

function renderExtra() {
  const box = $('extra'), extra = X.settings[X.editing].extra;
  box.textContent = '';
  Object.keys(extra).forEach(k => {
    const d = describe(k) || { doc: '', type: '', min: '', max: '', default: '' };
    const row = document.createElement('div');
    row.innerHTML = '<div class="extra-row"><code></code><input type="text"><button type="button" ' +
                    'title="Remove">\u00d7</button></div><p class="units"></p>';
    row.querySelector('code').textContent = k;
    const input = row.querySelector('input');
    input.id = 'extra-' + k;
    input.value = extra[k];
    input.placeholder = String(d.default);
    input.addEventListener('input', () => { extra[k] = input.value; });
    row.querySelector('button').addEventListener('click', () => { delete extra[k]; renderExtra(); });
    row.querySelector('.units').textContent = d.doc + (d.names ? ' One of: ' + d.names.join(', ') + '.'
      : d.type === 'real' || d.type === 'integer' || d.type === 'distribution'
        ? ' From ' + d.min + ' to ' + d.max + (d.unit ? ' ' + d.unit : '') + '; model default ' + d.default + '.' : '');
    box.appendChild(row);
  });
}

function renderDiff() {
  const p = $('diff');
  p.hidden = !X.compare;
  if (!X.compare) return;
  const a = setupBody().arms;
  const words = [];
  X.cat.controls.forEach(c => {
    if (X.settings[0].values[c.id] !== X.settings[1].values[c.id])
      words.push(c.label.toLowerCase() + ' ' + shown(c, X.settings[0].values[c.id]) + ' \u2192 ' +
                 shown(c, X.settings[1].values[c.id]));
  });
  if (JSON.stringify(a[0].reorganisation) !== JSON.stringify(a[1].reorganisation)) words.push('a reorganisation');
  if (JSON.stringify(X.settings[0].extra) !== JSON.stringify(X.settings[1].extra)) words.push('other settings');
  p.textContent = words.length ? 'B differs from A in: ' + words.join('; ') + '.'
                               : 'B is the same as A so far: change a cause while B is selected.';
}

/* ---- Scenario ---- */

function chooseScenario(name) {
  X.scen = X.cat.scenarios.find(s => s.name === name);
  $('scenario').value = name;
  $('scenario-desc').textContent = X.scen.description;
  const n = X.scen.counts;
  $('scenario-size').textContent = n.commissioners + ' commissioners, ' + n.providers + ' providers, ' +
    n.services + ' services' + (n.agencies ? ', ' + n.agencies + ' support agencies' : '') + '; ' +
    X.scen.months + ' months from ' + MONTHS[X.scen.start_month - 1] + '.' +
    (X.scen.why ? ' ' + X.scen.why : '');
  if (X.run) resetRun();
  X.settings = [freshSettings(X.scen), null];
  if (X.compare) X.settings[1] = copySettings(X.settings[0]);
  X.editing = 0;
  $('months').value = X.scen.months;
  $('seed').value = X.scen.seed;
  $('search').value = '';
  $('found').textContent = '';
  renderEditing();
  renderControls();
  renderDiff();
}

/* Forgets the run on screen (another area was chosen). */
function resetRun() {
  X.running = false;
  X.run = null;
  QMPlots.reset(1);
  QMMarket.clear('Press Setup to build the market of the area you chose.');
  $('keep').hidden = true;
  $('comparison').hidden = true;
  $('market-show').hidden = $('story-show').hidden = true;
  clearMessages();
  renderStory();
  renderClock();
  buttons();
}

function renderEditing() {
  $('editing').hidden = !X.compare;
  $('edit-a').classList.toggle('on', X.editing === 0);
  $('edit-b').classList.toggle('on', X.editing === 1);
}

/* ---- The clock ---- */

function renderClock() {
  const r = X.run;
  if (!r) {
    $('clock-month').textContent = 'Not started';
    $('clock-when').textContent = 'Choose an area, then press Setup';
    return;
  }
  if (r.month === 0) {
    $('clock-month').textContent = 'Ready';
    $('clock-when').textContent = 'month 0 of ' + r.months + ' comes next (' +
      MONTHS[r.start_month - 1] + ', year 1)';
    return;
  }
  const m = r.month - 1, cal = (r.start_month - 1 + m) % 12;
  $('clock-month').textContent = 'Month ' + m;
  $('clock-when').textContent = MONTHS[cal] + ' of year ' + (Math.floor(m / 12) + 1) + ' \u00b7 ' +
    r.month + ' of ' + r.months + ' months run' + (r.done ? ' (the end)' : '');
}

/* ---- The story ---- */

function storyLines(rec, filter) {
  const t = filter ? (rec.by[filter] !== undefined ? rec.by[filter] : rec.common) : rec.story;
  return t ? t.replace(/\n$/, '').split('\n') : [];
}

function appendStory(rec, filter) {
  const box = $('story');
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 30;
  storyLines(rec, filter).forEach(line => {
    const p = document.createElement('p');
    const m = /^(Month \d+:|End of year \d+:)(.*)$/.exec(line);
    if (m) {
      const b = document.createElement('b');
      b.textContent = m[1];
      p.append(b, m[2]);
    } else {
      p.textContent = line;
    }
    if (line.startsWith('End of year')) p.className = 'year';
    box.appendChild(p);
  });
  const empty = box.querySelector('.empty');
  if (empty && box.querySelector('p:not(.empty)')) empty.remove();
  if (atEnd) box.scrollTop = box.scrollHeight;
}

function renderStory() {
  const box = $('story');
  box.textContent = '';
  const e = document.createElement('p');
  e.className = 'empty';
  e.textContent = X.run ? 'Nothing has happened yet: press Step or Run.' : 'The story of the run appears here.';
  box.appendChild(e);
  if (!X.run) return;
  const arm = X.run.arms[X.showStory];
  arm.months.forEach(rec => appendStory(rec, $('story-filter').value));
}

function renderFilter() {
  const sel = $('story-filter'), keep = sel.value, arm = X.run.arms[X.showStory], ent = arm.ent;
  sel.textContent = '';
  const opt = (parent, value, text) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    parent.appendChild(o);
  };
  opt(sel, '', 'everyone');
  const group = (label, names) => {
    const names2 = [...new Set(names.filter(n => n))];
    if (!names2.length) return;
    const g = document.createElement('optgroup');
    g.label = label;
    names2.forEach(n => opt(g, n, n.replace(/_/g, ' ')));
    sel.appendChild(g);
  };
  group('Commissioners', ent.commissioners.map(c => c.name));
  group('Providers', ent.providers.map(p => p.name));
  group('Services', ent.services);
  group('Support agencies', ent.agencies.map(a => a.name));
  sel.value = [...sel.options].some(o => o.value === keep) ? keep : '';
}
