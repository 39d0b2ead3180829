/* borderkg: the partnership map (Leaflet, no tiles). Data: #bkg-data, written by map.py.
   Popups and tooltips get DOM nodes built with textContent, never HTML strings. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('bkg-data').textContent);
  var view = window.bkgView = { ready: false, arcs: 0 };
  var muni = {}, place = {};
  D.municipalities.forEach(function (m) { muni[m.id] = m; });
  D.places.forEach(function (p) { place[p.id] = p; });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function eventsBox(title, subtitle, evs, card) {
    var box = el('div', null, 'popup');
    box.appendChild(el('h3', title));
    if (subtitle) box.appendChild(el('div', subtitle, 'muted'));
    if (card) { var a = el('a', 'Карточка муниципалитета →'); a.setAttribute('href', card); box.appendChild(el('div')).appendChild(a); }
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

  var map = L.map('map', { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 12 });
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
  var year = '';

  function draw() {
    arcsLayer.clearLayers(); pointsLayer.clearLayers();
    var perMuni = {}, perPlace = {}, shown = 0, total = {};
    D.arcs.forEach(function (arc) {
      var evs = arc.events.map(function (i) { return D.events[i]; })
        .filter(function (ev) { return !year || ev.year === +year; });
      if (!evs.length && !(arc.twin && !year)) return;
      var m = muni[arc.from], p = place[arc.to];
      (perMuni[m.id] = perMuni[m.id] || []).push.apply(perMuni[m.id], evs);
      (perPlace[p.id] = perPlace[p.id] || []).push.apply(perPlace[p.id], evs);
      evs.forEach(function (ev) { total[ev.doc + '#' + ev.row] = 1; });
      shown++;
      var line = L.polyline(arcPoints([m.lat, m.lon], [p.lat, p.lon]), {
        className: 'bkg-arc', color: arc.twin ? '#1e8449' : D.russianColour, opacity: 0.7,
        weight: 1.5 + 1.6 * Math.sqrt(evs.length), dashArray: arc.agreement ? '8 6' : null
      });
      line.bindPopup(eventsBox(m.name + ' — ' + p.name,
        (arc.twin ? 'побратимы' : '') + (arc.agreement ? (arc.twin ? ', ' : '') + 'соглашение' : ''), evs, m.card),
        { maxWidth: 420 });
      line.bindTooltip(el('span', m.name + ' — ' + p.name + ': ' + evs.length), { sticky: true });
      arcsLayer.addLayer(line);
    });
    D.places.forEach(function (p) {
      var evs = perPlace[p.id];
      if (!evs) return;
      var c = L.circleMarker([p.lat, p.lon], { className: 'bkg-place', radius: 4 + 2 * Math.sqrt(evs.length),
        color: '#2c3e50', weight: 1, fillColor: p.colour, fillOpacity: 0.9 });
      c.bindPopup(eventsBox(p.name, p.oblast, unique(evs)), { maxWidth: 420 });
      c.bindTooltip(el('span', p.name + ' (' + p.oblast + ')'));
      pointsLayer.addLayer(c);
    });
    D.municipalities.forEach(function (m) {
      var evs = unique(perMuni[m.id] || []);
      var c = L.circleMarker([m.lat, m.lon], { className: 'bkg-muni', radius: 4 + 2 * Math.sqrt(evs.length),
        color: '#7b241c', weight: 1, fillColor: D.russianColour, fillOpacity: evs.length ? 0.95 : 0.35 });
      c.bindPopup(eventsBox(m.name, 'Смоленская область', evs, m.card), { maxWidth: 420 });
      c.bindTooltip(el('span', evs.length ? m.label : m.name), { permanent: evs.length > 0, direction: 'right',
        className: evs.length ? 'bkg-label' : '' });
      pointsLayer.addLayer(c);
    });
    view.arcs = shown;
    document.getElementById('stats').textContent = 'Связей: ' + shown + ' · совместных мероприятий: ' + Object.keys(total).length +
      (D.unplaced ? ' · без координат: ' + D.unplaced : '');
  }
  function unique(evs) {
    var seen = {};
    return evs.filter(function (ev) { var k = ev.doc + '#' + ev.row; if (seen[k]) return false; seen[k] = 1; return true; });
  }

  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var box = el('div', null, 'map-legend');
    function row(swatch, text) { var r = el('div'); r.appendChild(swatch); r.appendChild(document.createTextNode(' ' + text)); box.appendChild(r); }
    function sw(style, cls) { var s = el('span', null, 'swatch ' + (cls || '')); s.setAttribute('style', style); return s; }
    row(sw('background:' + D.russianColour + ';border-radius:50%'), 'муниципалитет Смоленской обл.');
    D.oblasts.forEach(function (o) { row(sw('background:' + o.colour, 'dot'), o.name); });
    row(sw('border-top-color:' + D.russianColour, 'line'), 'совместные мероприятия');
    row(sw('', 'line twin'), 'побратимы');
    row(sw('border-top-color:' + D.russianColour, 'line agreement'), 'соглашение');
    row(sw('background:#2e86c1;opacity:.6', 'area'), 'район с мероприятиями');
    return box;
  };
  legend.addTo(map);

  var select = document.getElementById('f-year');
  D.years.forEach(function (y) { var o = el('option', y); o.value = String(y); select.appendChild(o); });
  select.addEventListener('change', function () { year = select.value; draw(); });
  draw();

  var bounds = L.latLngBounds([]);
  D.municipalities.concat(D.places).forEach(function (p) { bounds.extend([p.lat, p.lon]); });
  if (D.raions.length) bounds.extend(raions.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] }); else map.setView([54.5, 29], 6);
  view.map = map; view.ready = true;
  document.body.setAttribute('data-ready', '1');
})();
