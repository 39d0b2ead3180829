/* borderkg: the partnership map (Leaflet, no tiles). Data: #bkg-data, written by map.py.
   Popups and tooltips get DOM nodes built with textContent, never HTML strings. Labels are
   placed by bkg.placeLabels (no two overlap); the filters and the selected place are in the
   address (common.js). */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('bkg-data').textContent);
  var el = bkg.el;
  var view = window.bkgView = { ready: false, arcs: 0, labels: [] };
  var muni = {}, place = {}, oblastName = {};
  D.municipalities.forEach(function (m) { muni[m.id] = m; });
  D.places.forEach(function (p) { place[p.id] = p; });
  D.oblasts.forEach(function (o) { oblastName[o.id] = o.name; });
  var state = { year: '', cat: '', oblast: '', twin: false, agr: false, sel: '' };
  function $(id) { return document.getElementById(id); }

  function eventsBox(title, subtitle, evs, links) {
    var box = el('div', null, 'popup');
    box.appendChild(el('h3', title));
    if (subtitle) box.appendChild(el('div', subtitle, 'muted'));
    (links || []).forEach(function (l) {
      var a = el('a', l[0]); a.setAttribute('href', l[1]); box.appendChild(el('div')).appendChild(a);
    });
    box.appendChild(el('div', 'Совместных мероприятий: ' + evs.length));
    var ul = el('ul');
    evs.forEach(function (ev) {
      var li = el('li');
      li.appendChild(el('span', ev.date + ' ', 'date'));
      var name = ev.card ? el('a', ev.name) : el('span', ev.name);
      if (ev.card) name.setAttribute('href', ev.card);
      li.appendChild(name);
      li.appendChild(el('div', ev.doc + ', строка ' + ev.row, 'src'));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }
  function arcPoints(a, b) {
    /* A quadratic Bezier bowed to the left of a→b, so arcs to nearby partners stay apart. */
    var dx = b[1] - a[1], dy = b[0] - a[0], c = [(a[0] + b[0]) / 2 + dx * 0.18, (a[1] + b[1]) / 2 - dy * 0.18];
    var pts = [];
    for (var i = 0; i <= 24; i++) {
      var t = i / 24, u = 1 - t;
      pts.push([u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]]);
    }
    return pts;
  }
  var map = L.map('map', { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 12,
                           zoomAnimation: false, preferCanvas: false });
  var maxRaion = Math.max.apply(null, [1].concat(D.raions.map(function (f) { return f.properties.count; })));
  var raions = L.geoJSON({ type: 'FeatureCollection', features: D.raions }, {
    style: function (f) {
      var k = f.properties.count / maxRaion;
      return { className: 'bkg-raion', color: '#8a94a6', weight: 0.8, fillColor: k ? '#2e86c1' : '#f4f6f7',
               fillOpacity: k ? 0.15 + 0.5 * k : 0.6 };
    },
    onEachFeature: function (f, layer) {
      layer.bindTooltip(el('span', f.properties.name + (f.properties.count ? ' — совместных мероприятий: ' + f.properties.count : '')), { sticky: true });
    }
  }).addTo(map);
  var arcsLayer = L.layerGroup().addTo(map), pointsLayer = L.layerGroup().addTo(map);
  var markers = {}, shownPoints = [], shownArcs = [], refreshTable = null;
  function matches(ev) {
    return (!state.year || ev.year === +state.year) && (state.cat === '' || ev.cats.indexOf(+state.cat) >= 0);
  }
  function unique(evs) {
    var seen = {};
    return evs.filter(function (ev) { var k = ev.doc + '#' + ev.row; if (seen[k]) return false; seen[k] = 1; return true; });
  }
  function draw() {
    arcsLayer.clearLayers(); pointsLayer.clearLayers();
    markers = {}; shownPoints = []; shownArcs = [];
    var perMuni = {}, perPlace = {}, total = {};
    D.arcs.forEach(function (arc) {
      var m = muni[arc.from], p = place[arc.to];
      if (state.oblast && p.oblastId !== state.oblast) return;
      if ((state.twin && !arc.twin) || (state.agr && !arc.agreement)) return;
      var evs = arc.events.map(function (i) { return D.events[i]; }).filter(matches);
      if (!evs.length && !(arc.twin && !state.year && state.cat === '')) return;
      (perMuni[m.id] = perMuni[m.id] || []).push.apply(perMuni[m.id], evs);
      (perPlace[p.id] = perPlace[p.id] || []).push.apply(perPlace[p.id], evs);
      evs.forEach(function (ev) { total[ev.doc + '#' + ev.row] = 1; });
      shownArcs.push([m, p, evs, arc]);
      var line = L.polyline(arcPoints([m.lat, m.lon], [p.lat, p.lon]), {
        className: 'bkg-arc', color: arc.twin ? '#1e8449' : D.russianColour, opacity: 0.7,
        weight: 1.5 + 1.6 * Math.sqrt(evs.length), dashArray: arc.agreement ? '8 6' : null
      });
      line.bindPopup(eventsBox(m.name + ' — ' + p.name,
        [arc.twin ? 'побратимы' : '', arc.agreement ? 'соглашение' : '', arc.quiet ? 'затихло' : '']
          .filter(Boolean).join(', '), evs, [['Карточка муниципалитета →', m.card]]), { maxWidth: 420 });
      line.bindTooltip(el('span', m.name + ' — ' + p.name + ': совместных мероприятий ' + evs.length), { sticky: true });
      arcsLayer.addLayer(line);
    });
    D.places.forEach(function (p) {
      var evs = perPlace[p.id];
      if (!evs) return;
      evs = unique(evs);
      var c = L.circleMarker([p.lat, p.lon], { className: 'bkg-place', radius: 4 + 2 * Math.sqrt(evs.length),
        color: '#2c3e50', weight: 1, fillColor: p.colour, fillOpacity: 0.9 });
      c.bindPopup(eventsBox(p.name, p.oblast, evs, [['В сети партнёрств →', 'network.html#sel=p:' + encodeURIComponent(p.id)]]),
                  { maxWidth: 420 });
      c.bindTooltip(el('span', p.name + ' (' + p.oblast + ')'));
      c.on('popupopen', function () { select('p:' + p.id); });
      pointsLayer.addLayer(c);
      markers['p:' + p.id] = c;
      shownPoints.push({ lat: p.lat, lon: p.lon, r: c.options.radius, text: p.name, priority: 500 + evs.length,
                         colour: '#1b2631' });
    });
    D.municipalities.forEach(function (m) {
      var evs = unique(perMuni[m.id] || []);
      var c = L.circleMarker([m.lat, m.lon], { className: 'bkg-muni', radius: evs.length ? 4 + 2 * Math.sqrt(evs.length) : 4,
        color: '#7b241c', weight: 1, fillColor: D.russianColour, fillOpacity: evs.length ? 0.95 : 0.35 });
      c.bindPopup(eventsBox(m.name, 'Смоленская область', evs, [['Карточка муниципалитета →', m.card],
        ['В сети партнёрств →', 'network.html#sel=m:' + encodeURIComponent(m.id)]]), { maxWidth: 420 });
      c.bindTooltip(el('span', m.name + (evs.length ? ' — совместных мероприятий: ' + evs.length : '')));
      c.on('popupopen', function () { select('m:' + m.id); });
      pointsLayer.addLayer(c);
      markers['m:' + m.id] = c;
      shownPoints.push({ lat: m.lat, lon: m.lon, r: c.options.radius, text: m.label, muni: true,
                         priority: (evs.length ? 1000 + evs.length : 100), colour: '#7b241c' });
    });
    view.arcs = shownArcs.length;
    $('stats').textContent = 'Связей: ' + shownArcs.length + ' · совместных мероприятий: ' + Object.keys(total).length +
      (D.unplaced ? ' · без координат: ' + D.unplaced : '');
    if (refreshTable) refreshTable();
    placeLabels();
  }
  /* The labels: text boxes in a pane of their own (above the arcs and circles, below
     tooltips and popups), placed without overlaps in the visible part of the map. */
  map.createPane('labels').style.zIndex = 640;
  var overlay = map.getPane('labels');
  overlay.className += ' map-labels';
  var located = false;  /* no labels before the map has its first view */
  function placeLabels() {
    if (!located) return;
    var size = map.getSize(), items = [], obstacles = [];
    shownPoints.forEach(function (pt) {
      var xy = map.latLngToContainerPoint([pt.lat, pt.lon]);
      items.push({ x: xy.x, y: xy.y, r: pt.r, text: pt.text, priority: pt.priority, colour: pt.colour, muni: pt.muni });
      obstacles.push({ x: xy.x - pt.r, y: xy.y - pt.r, w: 2 * pt.r, h: 2 * pt.r, text: '' });
    });
    /* a label may not cover another place's circle: its own circle is outside its spots */
    var boxes = bkg.placeLabels(items, bkg.measure, { x: 0, y: 0, w: size.x, h: size.y }, obstacles);
    overlay.textContent = '';
    view.labels = boxes.map(function (b) {
      var s = el('span', b.item.text, b.item.muni ? 'muni' : 'place');
      var at = map.containerPointToLayerPoint([b.x, b.y]);
      s.style.left = at.x + 'px'; s.style.top = at.y + 'px';
      overlay.appendChild(s);
      return { text: b.item.text, x: b.x, y: b.y, w: b.w, h: b.h, colour: b.item.colour, muni: !!b.item.muni };
    });
  }
  map.on('moveend zoomend resize', placeLabels);

  function fillTable() {
    var rows = shownArcs.map(function (a) {
      var years = {};
      a[2].forEach(function (ev) { if (ev.year) years[ev.year] = 1; });
      return [a[0].name, a[1].name, a[1].oblast, a[2].length, Object.keys(years).sort().join(', '),
              a[3].twin ? 'да' : '', a[3].agreement ? 'да' : '', a[3].quiet ? 'да' : ''];
    });
    rows.sort(function (x, y) { return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : y[3] - x[3]; });
    bkg.fillTable($('view-table'), ['Муниципалитет', 'Партнёр', 'Область', 'Совместных мероприятий', 'Годы',
                                    'Побратимы', 'Соглашение', 'Затихло'], rows);
  }

  function select(key) {
    state.sel = key || '';
    bkg.writeState(state);
  }
  map.on('popupclose', function () { select(''); });

  bkg.describeState = function (s) {
    var parts = [];
    if (s.year) parts.push('год ' + s.year);
    if (s.cat !== '') parts.push('категория «' + D.categories[+s.cat] + '»');
    if (s.oblast) parts.push(oblastName[s.oblast] || s.oblast);
    if (s.twin) parts.push('только побратимы');
    if (s.agr) parts.push('только с соглашением');
    return 'Фильтры: ' + (parts.join(', ') || 'нет') + (s.sel ? ' · выбрано: ' + nameOf(s.sel) : '');
  };
  function nameOf(key) {
    var m = key.slice(0, 2) === 'm:' ? muni[key.slice(2)] : place[key.slice(2)];
    return m ? m.name : key;
  }

  /* The filters: from the address first, then from the controls. */
  function fill(select, items) {
    items.forEach(function (item) { var o = el('option', item[1]); o.value = String(item[0]); select.appendChild(o); });
  }
  fill($('f-year'), D.years.map(function (y) { return [y, y]; }));
  fill($('f-category'), D.categories.map(function (c, i) { return [i, c]; }));
  fill($('f-oblast'), D.oblasts.map(function (o) { return [o.id, o.name]; }));
  if (!D.hasCategories) $('f-category').disabled = true;
  var controls = { year: 'f-year', cat: 'f-category', oblast: 'f-oblast', twin: 'f-twin', agr: 'f-agreement' };
  function applyControls() {
    Object.keys(controls).forEach(function (k) {
      var c = $(controls[k]);
      state[k] = c.type === 'checkbox' ? c.checked : c.value;
    });
  }
  var initial = bkg.readState();
  Object.keys(controls).forEach(function (k) {
    var c = $(controls[k]);
    if (initial[k] !== undefined) { if (c.type === 'checkbox') c.checked = initial[k] === '1'; else c.value = initial[k]; }
    c.addEventListener('change', function () { applyControls(); map.closePopup(); state.sel = ''; draw(); bkg.writeState(state); });
  });
  applyControls();
  draw();
  var bounds = L.latLngBounds([]);
  shownPoints.forEach(function (p) { if (p.priority > 100 || !D.arcs.length) bounds.extend([p.lat, p.lon]); });
  D.municipalities.forEach(function (m) { bounds.extend([m.lat, m.lon]); });
  if (!D.arcs.length && D.raions.length) bounds.extend(raions.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [40, 40] }); else map.setView([54.5, 29], 6);
  located = true;
  if (initial.sel && markers[initial.sel]) { markers[initial.sel].openPopup(); state.sel = initial.sel; }
  bkg.writeState(state);
  placeLabels();

  /* PNG: the map's SVG and its labels drawn on one canvas, with the title and the filters. */
  view.png = function () {
    var box = $('map').getBoundingClientRect(), head = 26;
    var svg = document.querySelector('#map .leaflet-overlay-pane svg');
    var out = bkg.whiteCanvas(box.width, box.height + head), ctx = out.ctx;
    ctx.fillStyle = '#1b1b1b'; ctx.font = bkg.LABEL_FONT; ctx.textBaseline = 'top';
    ctx.fillText(document.title + ' · ' + bkg.describeState(state), 6, 6);
    return new Promise(function (resolve) {
      function finish() {
        ctx.save(); ctx.translate(0, head);
        bkg.drawBoxes(ctx, view.labels);
        ctx.restore();
        resolve(out.canvas);
      }
      if (!svg) { finish(); return; }
      var r = svg.getBoundingClientRect(), copy = svg.cloneNode(true);
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      copy.setAttribute('width', r.width); copy.setAttribute('height', r.height);
      copy.removeAttribute('style');  /* Leaflet's translate of the element is in r already */
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, r.left - box.left, r.top - box.top + head, r.width, r.height); finish(); };
      img.onerror = finish;
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(copy));
    });
  };
  $('b-png').addEventListener('click', function () {
    view.png().then(function (c) { view.lastPng = bkg.downloadCanvas(c, 'map.png'); });
  });
  refreshTable = bkg.tableButton($('b-table'), $('table-box'), fillTable);
  /* Printing changes the map's size: let Leaflet know and fit the data again. */
  function refit() { map.invalidateSize(); if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] }); placeLabels(); }
  window.addEventListener('beforeprint', refit);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', refit);
  view.refit = refit;
  view.map = map; view.state = state; view.draw = draw; view.ready = true;
  document.body.setAttribute('data-ready', '1');
})();
