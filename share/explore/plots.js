/* plots.js: the explorer's plots that grow month by month (Chart.js from
 * Debian's libjs-chart.js).  One plot per question a class asks; with two
 * settings, A is drawn solid and B dashed in the same colours. */
'use strict';

const QMPlots = (function () {
  const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

  /* Each plot: its series (by the names of qm_series_defs) and words. */
  const PLOTS = [
    { id: 'decisions', title: 'Decisions on ending contracts',
      what: 'Contracts that reached their end this month, by what the commissioner did.',
      units: 'contracts', counts: true,
      lines: [['decisions_renew', 'Renewed with the same provider'],
              ['decisions_renegotiate', 'Renegotiated (new price)'],
              ['decisions_tender', 'Sent to tender'],
              ['decisions_decommission', 'Stopped'],
              ['decisions_rollover', 'Rolled over: no staff free to tender']] },
    { id: 'switches', title: 'Tenders and switches of provider',
      what: 'Tenders started and finished, and contracts that moved to another provider.',
      units: 'number', counts: true,
      lines: [['tenders_started', 'Tenders started'], ['tenders_completed', 'Tenders finished'],
              ['switches', 'Switches to another provider']] },
    { id: 'trust', title: 'Trust in partners',
      what: 'How far commissioners trust those they work with: 0 = not at all, 1 = fully. ' +
            'A line is absent while no partner of that kind works for them.',
      units: '0 to 1', min: 0, max: 1, zeroIsNone: true,
      lines: [['trust_mean_nhs', 'NHS providers'], ['trust_mean_independent', 'Independent providers'],
              ['trust_mean_voluntary', 'Voluntary providers'], ['trust_mean_agency', 'Support agencies']] },
    { id: 'costs', title: 'Transaction costs, by who bears them',
      what: 'Staff time spent renewing, tendering, bidding, monitoring and switching, in pounds.',
      units: '\u00a3 a month', money: true,
      lines: [['tc_commissioner', 'Borne by commissioners'], ['tc_provider', 'Borne by providers']] },
    { id: 'knowledge', title: 'Knowledge and dependency',
      what: 'What commissioners\u2019 own staff know (0 to 1), and the share of their analysis ' +
            'bought from outside agencies (dependency).',
      units: '0 to 1', min: 0, max: 1,
      lines: [['knowledge_analytic_mean', 'Analysis of data'], ['knowledge_contextual_mean', 'Local knowledge'],
              ['knowledge_procurement_mean', 'Running tenders'], ['dependency_index', 'Dependency on agencies']] },
    { id: 'developments', title: 'Service developments by stage',
      what: 'Redesigns of services under way; \u201crunning\u201d ones have launched and their ' +
            'benefit is still to come.',
      units: 'developments', stages: true, counts: true,
      lines: [['0', 'Assessing needs'], ['1', 'Writing the specification'], ['2', 'Procuring'],
              ['3', 'Implementing'], ['4', 'Running']] },
  ];

  let charts = [], index = {}, arms = 1, months = [];

  function money(v) {
    if (Math.abs(v) >= 1e6) return '£' + (v / 1e6).toFixed(1) + 'm';
    if (Math.abs(v) >= 1e3) return '£' + (v / 1e3).toFixed(0) + 'k';
    return '£' + v.toFixed(0);
  }

  function options(p) {
    const y = { beginAtZero: true, title: { display: true, text: p.units },
                ticks: { maxTicksLimit: 6 } };
    if (p.min !== undefined) { y.min = p.min; y.max = p.max; }
    if (p.money) y.ticks.callback = money;
    if (p.counts || p.money) y.ticks.precision = 0;
    return {
      animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { title: { display: true, text: 'month' }, ticks: { maxTicksLimit: 8 } }, y: y },
      plugins: { legend: { position: 'bottom',
                           labels: { boxWidth: 14, font: { size: 11 },
                                     filter: item => item.datasetIndex < p.lines.length } } },
    };
  }

  /* Builds the plots in container; series are the catalogue's definitions. */
  function init(container, series) {
    series.forEach((s, i) => { index[s.name] = i; });
    if (typeof Chart === 'undefined') return false;
    container.textContent = '';
    charts = PLOTS.map(p => {
      const box = document.createElement('div');
      box.className = 'plot';
      box.id = 'plot-' + p.id;
      box.innerHTML = '<h3></h3><p></p><div class="canvas"><canvas></canvas></div>';
      box.querySelector('h3').textContent = p.title;
      box.querySelector('p').textContent = p.what;
      container.appendChild(box);
      return new Chart(box.querySelector('canvas'), { type: 'line', data: { labels: [], datasets: [] },
                                                      options: options(p) });
    });
    return true;
  }

  /* Empties every plot for n settings (1, or 2 when comparing). */
  function reset(n) {
    arms = n;
    months = [];
    charts.forEach((c, k) => {
      const p = PLOTS[k];
      c.data.labels = [];
      c.data.datasets = [];
      for (let a = 0; a < n; a++)
        p.lines.forEach((l, j) => c.data.datasets.push({
          label: l[1] + (a ? ' (B)' : ''), data: [],
          borderColor: COLOURS[j], backgroundColor: COLOURS[j], borderWidth: a ? 2 : 2.2,
          borderDash: a ? [6, 4] : [], pointRadius: 1.5, tension: 0, spanGaps: false,
        }));
      c.update('none');
    });
  }

  function value(p, line, m) {
    if (!m) return null;
    if (p.stages) return m.dev[+line];
    const v = m.s[index[line]];
    if (v === null || v === undefined) return null;
    return p.zeroIsNone && v === 0 ? null : v;
  }

  /* Adds month m: ms[a] is setting a's month (or null past its end). */
  function push(m, ms) {
    months.push(m);
    charts.forEach((c, k) => {
      const p = PLOTS[k];
      c.data.labels.push(m);
      let d = 0;
      for (let a = 0; a < arms; a++)
        p.lines.forEach(l => c.data.datasets[d++].data.push(value(p, l[0], ms[a])));
    });
  }

  /* Redraws after one or more pushes. */
  function draw() {
    charts.forEach(c => c.update('none'));
  }

  return { init, reset, push, draw, get charts() { return charts; }, PLOTS };
})();
