/* market.js: the explorer's view of the market: commissioners, providers
 * and support agencies as nodes; each contract an edge coloured by how the
 * provider is paid, thicker with trust, flashing on a tender, a switch or
 * a contract kept after a tender; engagements of agencies dotted.  Pointing
 * at anything shows its numbers. */
'use strict';

const QMMarket = (function () {
  const NS = 'http://www.w3.org/2000/svg';
  const PAY = { block: '#4e79a7', activity: '#f28e2b', outcome: '#59a14f' };
  const PAY_WORDS = { block: 'a fixed yearly sum (block)', activity: 'a price per patient treated (activity)',
                      outcome: 'by results (outcome)' };
  const KIND = { nhs_acute: '#334e68', nhs_community: '#486581', nhs_mental: '#627d98',
                 independent: '#a05195', voluntary: '#2a9d8f' };
  const KIND_WORDS = { nhs_acute: 'NHS hospital trust', nhs_community: 'NHS community trust',
                       nhs_mental: 'NHS mental health trust', independent: 'independent provider',
                       voluntary: 'voluntary (charity) provider' };
  const AGENCY_WORDS = { csu: 'commissioning support unit (NHS)', commercial: 'commercial consultancy',
                         not_for_profit: 'not-for-profit agency', freelance: 'freelance analysts',
                         public_health: 'public-health team' };
  const CONDUIT_WORDS = { placement: 'its staff work inside the commissioner',
                          product: 'a product with training', advisory: 'advice from outside' };
  const FLASH = { tender: 'flash-tender', switch: 'flash-switch', kept: 'flash-kept' };

  let svg, tip, legendEl;

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, s, cls, anchor) {
    const t = el('text', { x: x, y: y, 'text-anchor': anchor || 'middle' }, parent);
    if (cls) t.setAttribute('class', cls);
    t.textContent = s;
    return t;
  }

  function pounds(v) {
    return '£' + Math.round(v).toLocaleString('en-GB');
  }

  function words(s) {
    return String(s).replace(/_/g, ' ');
  }

  /* Shows html beside the pointer while it is over e. */
  function hover(e, html) {
    e.addEventListener('mousemove', ev => {
      const box = svg.parentNode.getBoundingClientRect();
      tip.innerHTML = html();
      tip.hidden = false;
      const x = ev.clientX - box.left + 14, y = ev.clientY - box.top + 14;
      tip.style.left = Math.min(x, box.width - tip.offsetWidth - 4) + 'px';
      tip.style.top = y + 'px';
    });
    e.addEventListener('mouseleave', () => { tip.hidden = true; });
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }

  function init(svgEl, tipEl, legend) {
    svg = svgEl;
    tip = tipEl;
    legendEl = legend;
    drawLegend();
    clear('Press Setup to build the market of the area you chose.');
  }

  function clear(message) {
    svg.textContent = '';
    svg.setAttribute('viewBox', '0 0 800 120');
    const t = text(svg, 400, 60, message, 'kind');
    t.classList.add('placeholder');
  }

  /* The key (built with the DOM: the page's content policy forbids
   * inline style attributes). */
  function drawLegend() {
    const item = (shape, colour, words) => {
      const span = document.createElement('span'), sw = document.createElement('span');
      sw.className = shape;
      sw.style.background = colour;
      span.append(sw, words);
      legendEl.appendChild(span);
    };
    legendEl.textContent = '';
    for (const p in PAY) item('sw', PAY[p], 'paid ' + PAY_WORDS[p]);
    item('sw', '#9aa5b1', 'thicker line = more trust; dashed = out to tender');
    item('sw', '#f2c200', 'flash: put out to tender');
    item('sw', '#d62728', 'flash: moved to another provider');
    item('sw', '#2ca02c', 'flash: kept after a tender');
    item('dot', KIND.nhs_acute, 'NHS provider');
    item('dot', KIND.independent, 'independent provider');
    item('dot', KIND.voluntary, 'voluntary provider');
    item('sw', '#7b3fa0', 'dotted: support bought from an agency');
  }

  /* Where each node goes: agencies, commissioners, providers in columns. */
  function layout(ent) {
    const comms = [], provs = [], ags = [];
    ent.commissioners.forEach((c, i) => { if (c.name) comms.push(i); });
    ent.providers.forEach((p, i) => { if (p.name) provs.push(i); });
    const order = k => ['nhs_acute', 'nhs_community', 'nhs_mental', 'independent', 'voluntary'].indexOf(k);
    provs.sort((a, b) => order(ent.providers[a].kind) - order(ent.providers[b].kind) || a - b);
    ent.agencies.forEach((a, i) => ags.push(i));
    const rows = Math.max(comms.length, provs.length, ags.length, 3);
    const rowH = rows <= 12 ? 48 : Math.max(11, Math.floor(620 / rows));
    const H = 50 + rows * rowH;
    const xs = ags.length ? { a: 190, c: 400, p: 590 } : { a: 0, c: 220, p: 560 };
    const place = (list, x) => {
      const pos = {};
      const top = 40 + (rows - list.length) * rowH / 2;
      list.forEach((id, j) => { pos[id] = { x: x, y: top + j * rowH + rowH / 2 }; });
      return pos;
    };
    return { H: H, rowH: rowH, xs: xs, comms: comms, provs: provs, ags: ags,
             c: place(comms, xs.c), p: place(provs, xs.p), a: place(ags, xs.a) };
  }

  function contractTip(ent, k) {
    const c = ent.commissioners[k[0]], p = ent.providers[k[2]], pay = ent.payments[k[3]];
    return '<b>' + esc(c.name) + ' \u2192 ' + esc(p.name) + '</b><br>' + esc(words(ent.services[k[1]])) +
      ', paid ' + PAY_WORDS[pay] + '<br>trust ' + (+k[4]).toFixed(2) + ' (0 to 1)<br>price ' +
      pounds(k[5]) + ' a unit, about ' + Math.round(k[6]).toLocaleString('en-GB') +
      ' units a month<br>quality as the commissioner sees it: ' + (+k[7]).toFixed(2) +
      '<br>' + (k[11] < 0 ? 'with this provider since ' + (-k[11]) + ' months before the run began'
                         : 'with this provider since month ' + k[11]) +
      '; the contract ends in month ' + k[9] +
      (k[10] ? '<br><b>out to tender now</b>' : '');
  }

  function drawContracts(g, ent, m, L) {
    const S = ent.services.length;
    const widest = Math.max(3, Math.min(9, 240 / Math.max(1, m.k.length)));
    m.k.forEach(k => {
      const a = L.c[k[0]], b = L.p[k[2]];
      if (!a || !b) return;
      const off = (k[1] - (S - 1) / 2) * Math.min(9, L.rowH / 4);
      const mx = (a.x + b.x) / 2;
      const d = 'M' + (a.x + 12) + ',' + a.y + ' C' + mx + ',' + (a.y + off) + ' ' + mx + ',' +
                (b.y + off) + ' ' + (b.x - 11) + ',' + b.y;
      const pay = ent.payments[k[3]];
      const path = el('path', { d: d, stroke: PAY[pay] || '#888', 'stroke-width': (1.5 + widest * k[4]).toFixed(2),
                                'data-commissioner': k[0], 'data-service': k[1], 'data-provider': k[2] }, g);
      path.setAttribute('class', 'contract' + (k[10] ? ' tendering' : '') + (FLASH[k[12]] ? ' ' + FLASH[k[12]] : ''));
      hover(path, () => contractTip(ent, k));
    });
  }

  function drawEngagements(g, ent, m, L) {
    m.g.forEach(e => {
      const a = L.c[e[0]], b = L.a[e[1]];
      if (!a || !b) return;
      const path = el('path', { d: 'M' + (a.x - 12) + ',' + a.y + ' L' + (b.x + 11) + ',' + b.y,
                                'stroke-width': (2 + Math.min(6, e[5] / 4000)).toFixed(1) }, g);
      path.setAttribute('class', 'engagement');
      hover(path, () => '<b>' + esc(ent.commissioners[e[0]].name) + ' buys support from ' +
        esc(ent.agencies[e[1]].name) + '</b><br>for ' + esc(words(ent.purposes[e[2]])) + '; ' +
        CONDUIT_WORDS[ent.conduits[e[3]]] + '<br>' + pounds(e[5]) + ' a month at full delivery<br>' +
        (e[4] ? 'with a knowledge-transfer clause' : 'no knowledge-transfer clause') +
        '<br>since month ' + e[6]);
    });
  }

  function count(list, f) {
    return list.filter(f).length;
  }

  function drawNodes(g, ent, m, L) {
    const small = L.rowH < 20;
    text(g, L.xs.c, 18, 'Commissioners', 'column');
    text(g, L.xs.p, 18, 'Providers', 'column');
    if (L.ags.length) text(g, L.xs.a, 18, 'Support agencies', 'column');
    L.comms.forEach(i => {
      const c = ent.commissioners[i], q = L.c[i];
      const n = el('g', {}, g);
      if (!c.active) n.setAttribute('class', 'gone');
      el('rect', { x: q.x - 11, y: q.y - 11, width: 22, height: 22, rx: 4, fill: '#1f2933' }, n);
      if (L.ags.length) text(n, q.x, q.y - 16, c.name);
      else text(n, q.x - 16, q.y + 4, c.name, null, 'end');
      hover(n, () => '<b>' + esc(c.name) + '</b>' + (c.active ? '' : ' (merged into another body)') +
        '<br>population ' + Math.round(c.population || 0).toLocaleString('en-GB') + '<br>' +
        count(m.k, k => k[0] === i) + ' contracts, ' + count(m.g, e => e[0] === i) + ' agencies engaged');
    });
    L.provs.forEach(i => {
      const p = ent.providers[i], q = L.p[i];
      const n = el('g', {}, g);
      if (!p.active) n.setAttribute('class', 'gone');
      el('circle', { cx: q.x, cy: q.y, r: small ? 5 : 10, fill: KIND[p.kind] || '#888' }, n);
      if (!small || count(m.k, k => k[2] === i)) {
        text(n, q.x + 15, q.y + (small ? 4 : 0), p.name, null, 'start');
        if (!small) text(n, q.x + 15, q.y + 13, KIND_WORDS[p.kind] + (p.entrant ? ', new entrant' : ''), 'kind', 'start');
      }
      hover(n, () => '<b>' + esc(p.name) + '</b><br>' + KIND_WORDS[p.kind] +
        (p.entrant ? ', entered the market' : '') + (p.active ? '' : '<br>has left the market') +
        '<br>' + count(m.k, k => k[2] === i) + ' contracts held');
    });
    L.ags.forEach(i => {
      const a = ent.agencies[i], q = L.a[i];
      const n = el('g', {}, g);
      el('path', { d: 'M' + q.x + ',' + (q.y - 11) + ' l11,11 l-11,11 l-11,-11 z', fill: '#7b3fa0' }, n);
      text(n, q.x - 16, q.y + 4, a.name, null, 'end');
      hover(n, () => '<b>' + esc(a.name) + '</b><br>' + AGENCY_WORDS[a.kind] + '; ' +
        CONDUIT_WORDS[a.conduit] + '<br>' + count(m.g, e => e[1] === i) + ' engagements');
    });
  }

  /* Draws month m of a run whose entities are ent. */
  function draw(ent, m) {
    tip.hidden = true;
    const L = layout(ent);
    svg.textContent = '';
    svg.setAttribute('viewBox', '0 0 800 ' + L.H);
    const edges = el('g', {}, svg), nodes = el('g', {}, svg);
    drawEngagements(edges, ent, m, L);
    drawContracts(edges, ent, m, L);
    drawNodes(nodes, ent, m, L);
  }

  /* The market before the first month: the nodes only. */
  function drawStart(ent) {
    draw(ent, { k: [], g: [] });
  }

  return { init, draw, drawStart, clear };
})();
