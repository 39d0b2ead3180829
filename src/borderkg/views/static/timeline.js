/* borderkg: the timeline charts (Chart.js, drawn on canvas: labels are text, never HTML). */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('bkg-data').textContent);
  var view = window.bkgView = { ready: false, charts: [] };
  /* Hidden series are in the address (#hide=0,3 for the first chart): a link reopens the view. */
  var state = { hide: '' }, initial = bkg.readState(), refreshTable = null;
  var hidden = (initial.hide || '').split(',').filter(Boolean).map(Number);
  function legendClick(e, item, legend) {
    Chart.defaults.plugins.legend.onClick.call(this, e, item, legend);
    if (legend.chart !== view.charts[0]) return;
    var off = [];
    legend.chart.data.datasets.forEach(function (d, i) { if (!legend.chart.isDatasetVisible(i)) off.push(i); });
    state.hide = off.join(',');
    bkg.writeState(state);
    if (refreshTable) refreshTable();
  }
  Chart.defaults.font.family = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 12;  /* ticks and labels ≥ 11 px */

  /* Bars side by side: an event in several categories counts in each, so stacking them
     would stand above the number of events (the line, distinct events). */
  var bars = D.categories.map(function (c) {
    return { type: 'bar', label: c.label, data: c.counts, backgroundColor: c.colour };
  });
  if (D.categories.length > 1) {
    bars.push({ type: 'line', label: 'всего мероприятий (разных)', data: D.events, borderColor: '#222',
                backgroundColor: '#222', pointRadius: 3, tension: 0 });
  }
  view.charts.push(new Chart(document.getElementById('chart-events'), {
    data: { labels: D.quarters, datasets: bars },
    options: {
      responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      plugins: { title: { display: true, text: 'Мероприятия по кварталам и категориям', font: { size: 14 } },
                 legend: { position: 'bottom', onClick: legendClick, labels: { font: { size: 12 } } } },
      scales: { x: { stacked: false }, y: { stacked: false, beginAtZero: true, ticks: { precision: 0 },
                title: { display: true, text: 'мероприятий' } } }
    }
  }));
  view.charts.push(new Chart(document.getElementById('chart-partnerships'), {
    type: 'line',
    data: { labels: D.quarters, datasets: [
      { label: 'партнёрств всего (накопленным итогом)', data: D.cumulative, borderColor: '#c0392b',
        backgroundColor: 'rgba(192,57,43,.15)', fill: true, tension: 0 },
      { label: 'активных в квартале', data: D.active, borderColor: '#2e86c1', backgroundColor: '#2e86c1',
        pointRadius: 3, tension: 0 }
    ] },
    options: {
      responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      plugins: { title: { display: true, text: 'Число партнёрств «муниципалитет — партнёр в Беларуси»', font: { size: 14 } },
                 legend: { position: 'bottom', labels: { font: { size: 12 } } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'пар' } } }
    }
  }));
  hidden.forEach(function (i) { if (i < bars.length) view.charts[0].setDatasetVisibility(i, false); });
  view.charts[0].update();
  state.hide = hidden.filter(function (i) { return i < bars.length; }).join(',');
  bkg.describeState = function (s) {
    return s.hide ? 'Скрыты: ' + s.hide.split(',').map(function (i) { return bars[+i].label; }).join(', ') : '';
  };
  bkg.writeState(state);
  function fillTable() {
    var chart = view.charts[0], shown = bars.filter(function (b, i) { return chart.isDatasetVisible(i) && b.type === 'bar'; });
    var rows = D.quarters.map(function (q, i) {
      return [q].concat(shown.map(function (b) { return b.data[i]; }), [D.events[i], D.active[i], D.cumulative[i]]);
    });
    bkg.fillTable(document.getElementById('view-table'), ['Квартал'].concat(shown.map(function (b) { return b.label; }),
      ['Всего мероприятий', 'Активных партнёрств', 'Партнёрств накопленным итогом']), rows);
  }
  refreshTable = bkg.tableButton(document.getElementById('b-table'), document.getElementById('table-box'), fillTable);
  view.png = function () {
    var a = view.charts[0].canvas, b = view.charts[1].canvas, w = a.clientWidth, h1 = a.clientHeight, h2 = b.clientHeight;
    var out = bkg.whiteCanvas(w, h1 + h2 + 36);
    out.ctx.fillStyle = '#1b1b1b'; out.ctx.font = bkg.LABEL_FONT; out.ctx.textBaseline = 'top';
    out.ctx.fillText(document.title + (state.hide ? ' · ' + bkg.describeState(state) : ''), 6, 6);
    out.ctx.drawImage(a, 0, 26, w, h1);
    out.ctx.drawImage(b, 0, 36 + h1, w, h2);
    return Promise.resolve(out.canvas);
  };
  document.getElementById('b-png').addEventListener('click', function () {
    view.png().then(function (c) { view.lastPng = bkg.downloadCanvas(c, 'timeline.png'); });
  });
  window.addEventListener('beforeprint', function () { view.charts.forEach(function (c) { c.resize(); }); });
  view.state = state;
  view.ready = true;
  document.body.setAttribute('data-ready', '1');
})();
