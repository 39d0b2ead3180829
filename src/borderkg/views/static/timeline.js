/* borderkg: the timeline charts (Chart.js, drawn on canvas: labels are text, never HTML). */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('bkg-data').textContent);
  var view = window.bkgView = { ready: false, charts: [] };
  Chart.defaults.font.family = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
  Chart.defaults.animation = false;

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
      plugins: { title: { display: true, text: 'Мероприятия по кварталам и категориям' },
                 legend: { position: 'bottom' } },
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
      plugins: { title: { display: true, text: 'Число партнёрств «муниципалитет — партнёр в Беларуси»' },
                 legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'пар' } } }
    }
  }));
  view.ready = true;
  document.body.setAttribute('data-ready', '1');
})();
