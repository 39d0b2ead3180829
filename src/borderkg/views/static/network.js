/* borderkg: the partnership network (vis-network). Data: #bkg-data, written by network.py.
   Every name is put into the page as text (textContent / vis tooltips' innerText), never as HTML.
   Styling lives in vis groups, so each node and edge item stays small (20,000 edges must load fast). */
(function () {
  'use strict';
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById('bkg-data').textContent);
  var view = window.bkgView = { ready: false, readyAt: null, layout: null, network: null,
                                timings: { start: t0, parsed: performance.now() } };
  var state = { year: '', category: '', oblast: '', isolated: false, twin: false, agreement: false, layout: '', sel: '' };
  var el = bkg.el;
  /* The address reopens the view: filters, layout and the selected node (common.js). */
  var initial = bkg.readState();
  Object.keys(state).forEach(function (k) {
    if (initial[k] !== undefined) state[k] = typeof state[k] === 'boolean' ? initial[k] === '1' : initial[k];
  });
  var E = D.events, byId = {}, oblastName = {}, visible = [], nodeCounts = {}, nodePartners = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });
  D.oblasts.forEach(function (o) { oblastName[o.id] = o.name; });
  /* edges arrive as [from index, to index, [event indices], flags (1 twin, 2 agreement, 4 quiet),
     twin years, events per year] */
  var edgesIn = D.edges.map(function (e, i) {
    return { id: i, from: D.nodes[e[0]].id, to: D.nodes[e[1]].id, events: e[2],
             twin: !!(e[3] & 1), agreement: !!(e[3] & 2), quiet: !!(e[3] & 4), twinYears: e[4], perYear: e[5] };
  });

  function $(id) { return document.getElementById(id); }
  function fill(select, items) {
    items.forEach(function (item) {
      var o = el('option', item[1]); o.value = String(item[0]); select.appendChild(o);
    });
  }
  function nameOf(node) { return node.name || node.label; }
  function matches(i) {
    return (!state.year || E.year[i] === +state.year) &&
      (state.category === '' || E.cats[i].indexOf(+state.category) >= 0);
  }
  function edgeVisible(edge, matched) {
    if (state.oblast && byId[edge.to].oblast !== state.oblast) return false;
    if ((state.twin && !edge.twin) || (state.agreement && !edge.agreement)) return false;
    if (matched.length) return true;
    return edge.twin && state.category === '' &&
      (!state.year || !edge.twinYears.length || edge.twinYears.indexOf(+state.year) >= 0);
  }
  function yearsOf(evs) {
    var ys = {};
    evs.forEach(function (i) { if (E.year[i]) ys[E.year[i]] = 1; });
    return Object.keys(ys).sort().join(', ');
  }
  function source(i) { return D.docs[E.doc[i]] + ', строка ' + E.row[i]; }
  function edgeTitle(edge, matched) {
    var lines = [nameOf(byId[edge.from]) + ' — ' + nameOf(byId[edge.to]),
      'Совместных мероприятий: ' + matched.length + (matched.length ? ' (' + yearsOf(matched) + ')' : '')];
    if (edge.twin) lines.push('Побратимские связи');
    if (edge.agreement) lines.push('Соглашение / меморандум');
    if (edge.quiet) lines.push('Затихло: нет совместных мероприятий за последние 4 квартала данных');
    if (edge.perYear.length) lines.push('По годам: ' + edge.perYear.map(function (y) { return (y[0] || 'без даты') + ' — ' + y[1]; }).join('; '));
    matched.slice(0, 8).forEach(function (i) {
      lines.push('• ' + E.date[i] + ' — ' + E.name[i] + ' [' + source(i) + ']');
    });
    if (matched.length > 8) lines.push('… и ещё ' + (matched.length - 8) + '; щёлкните для списка');
    return lines.join('\n');
  }
  function nodeTitle(node, count, partners) {
    return [nameOf(node), node.side === 'ru' ? 'Смоленская область' : (oblastName[node.oblast] || ''),
      'Совместных мероприятий: ' + count, 'Партнёров: ' + partners].join('\n');
  }

  /* What the filters show, as vis items: only what differs from the groups' defaults. */
  function compute(first) {
    /* a node's count is its DISTINCT joint events over its visible edges (an event with two
       partner places is one event), its partners the visible edges: as the cards count them */
    var counts = {}, partners = {}, nodeSeen = {}, edgeItems = [], seen = {}, total = 0, shown = 0;
    function addEvents(id, list) {
      var s = nodeSeen[id] || (nodeSeen[id] = {});
      list.forEach(function (i) { if (!s[i]) { s[i] = 1; counts[id] = (counts[id] || 0) + 1; } });
    }
    visible = [];
    edgesIn.forEach(function (edge) {
      var matched = edge.events.filter(matches), on = edgeVisible(edge, matched);
      var item = { id: edge.id, width: 1 + 1.6 * Math.sqrt(matched.length) };
      if (!first || !on) { item.hidden = !on; item.physics = on; }
      if (first) {
        item.from = edge.from; item.to = edge.to;
        if (edge.twin) item.color = { color: '#1e8449', opacity: 0.9 };
        if (edge.agreement) item.dashes = [10, 5];
      }
      edgeItems.push(item);
      if (!on) return;
      visible[edge.id] = matched;
      shown++;
      addEvents(edge.from, matched);
      addEvents(edge.to, matched);
      partners[edge.from] = (partners[edge.from] || 0) + 1;
      partners[edge.to] = (partners[edge.to] || 0) + 1;
      matched.forEach(function (i) { if (!seen[i]) { seen[i] = 1; total++; } });
    });
    var places = 0;
    nodeCounts = counts; nodePartners = partners;
    var nodeItems = D.nodes.map(function (node) {
      var ru = node.side === 'ru', hidden = !partners[node.id] && (!ru || !state.isolated);
      var item = { id: node.id };
      if (!first || hidden) { item.hidden = hidden; item.physics = !hidden; }
      item.size = 7 + 2.5 * Math.sqrt(counts[node.id] || 0);  /* export.py node_size: the same */
      if (first) item.group = ru ? 'ru' : (node.oblast || 'unknown');
      if (!ru && !hidden) places++;
      return item;
    });
    $('stats').textContent = 'Связей: ' + shown + ' · совместных мероприятий: ' + total + ' · партнёров в Беларуси: ' + places;
    hiddenNodes = {};
    nodeItems.forEach(function (n) { if (n.hidden) hiddenNodes[n.id] = 1; });
    return { nodes: nodeItems, edges: edgeItems };
  }

  function eventList(items) {
    var ul = el('ul', null, 'events');
    items.forEach(function (it) {
      var i = it[0], card = it[1], li = el('li'), name = card ? el('a', E.name[i]) : el('span', E.name[i]);
      if (card) name.setAttribute('href', card + '#' + E.anchor[i]);
      li.appendChild(el('span', E.date[i], 'date'));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(name);
      var cats = D.hasCategories ? E.cats[i].map(function (c) { return D.categories[c]; }).join(', ') : '';
      li.appendChild(el('div', 'Источник: ' + source(i) + (cats ? ' · ' + cats : ''), 'src'));
      ul.appendChild(li);
    });
    return ul;
  }
  var detailShown = null;  /* [kind, id] of the side panel, redrawn when a filter changes */
  var hiddenNodes = {};
  function showDetail(title, items, node) {
    var box = $('detail');
    $('detail-title').textContent = title;
    box.textContent = '';
    if (node && node.card) {
      var a = el('a', 'Карточка муниципалитета →'); a.setAttribute('href', node.card);
      box.appendChild(el('p')).appendChild(a);
    }
    if (node) {
      var m = el('a', 'На карте →'); m.setAttribute('href', 'map.html#sel=' + encodeURIComponent(node.id));
      box.appendChild(el('p')).appendChild(m);
    }
    box.appendChild(el('p', 'Совместных мероприятий: ' + items.length));
    box.appendChild(eventList(items));
  }
  function showNode(id) {
    detailShown = ['node', id];
    var node = byId[id], items = [], seen = {};
    edgesIn.forEach(function (edge) {
      if ((edge.from === id || edge.to === id) && visible[edge.id]) {
        visible[edge.id].forEach(function (i) {
          if (!seen[i]) { seen[i] = 1; items.push([i, byId[edge.from].card]); }
        });
      }
    });
    items.sort(function (a, b) { return E.date[a[0]] < E.date[b[0]] ? -1 : E.date[a[0]] > E.date[b[0]] ? 1 : 0; });
    showDetail(nameOf(node), items, node);
    select(id);
  }
  function select(id) {
    state.sel = id || '';
    bkg.writeState(state);
  }
  function showEdge(id) {
    detailShown = ['edge', id];
    select('');
    var edge = edgesIn[id], card = byId[edge.from].card;
    showDetail(nameOf(byId[edge.from]) + ' — ' + nameOf(byId[edge.to]),
      (visible[id] || []).map(function (i) { return [i, card]; }));
  }

  var items = compute(true);
  items.nodes.forEach(function (n) { n.x = byId[n.id].gx; n.y = byId[n.id].gy; });
  view.timings.computed = performance.now();
  var nodes = new vis.DataSet(items.nodes), edges = new vis.DataSet(items.edges);
  function colours(fill, border) {
    return { background: fill, border: border, highlight: { background: fill, border: '#000' },
             hover: { background: fill, border: '#000' } };
  }
  var groups = { ru: { shape: 'square', color: colours(D.russianColour, '#7b241c') },
                 unknown: { color: colours('#7f7f7f', '#2c3e50') } };
  D.oblasts.forEach(function (o) { groups[o.id || 'unknown'] = { color: colours(o.colour, '#2c3e50') }; });
  var geo = state.layout ? state.layout === 'geo' : D.big;
  var options = {
    autoResize: true, groups: groups,
    layout: { improvedLayout: false, randomSeed: 7 },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 1,
             color: { color: '#7f8c9d', highlight: '#111', hover: '#111', opacity: 0.85 } },
    nodes: { shape: 'dot', borderWidth: 1 },
    interaction: { hover: true, hideEdgesOnDrag: D.big, hideEdgesOnZoom: D.big },
    physics: {
      enabled: !geo, solver: 'forceAtlas2Based',
      forceAtlas2Based: { gravitationalConstant: -80, springLength: 110, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 400, updateInterval: 50, fit: true }
    }
  };
  var network = view.network = new vis.Network($('network'), { nodes: nodes, edges: edges }, options);
  view.nodes = nodes; view.edges = edges; view.layout = geo ? 'geo' : 'force';
  view.timings.network = performance.now();

  function markReady() {
    network.once('afterDrawing', function () {
      if (!view.ready) { view.ready = true; view.readyAt = performance.now(); }
      document.body.setAttribute('data-ready', '1');
    });
    network.redraw();
  }
  network.on('stabilizationIterationsDone', function () {
    $('stats').removeAttribute('data-busy');
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    markReady();
  });
  if (geo || !visible.some(Boolean)) {  /* nothing to settle: physics would never report */
    network.setOptions({ physics: { enabled: false } });
    markReady();
  }
  /* Tooltips are computed when the pointer rests on an item (not for all 20,000 edges at
     load) and shown as text in our own box. */
  var tip = el('div', null, 'bkg-tooltip');
  tip.hidden = true;
  $('network').appendChild(tip);
  function tooltipText(kind, id) {
    if (kind === 'node') return nodeTitle(byId[id], nodeCounts[id] || 0, nodePartners[id] || 0);
    return edgeTitle(edgesIn[id], visible[id] || []);
  }
  var tipShown = null;  /* [kind, id] of the open tooltip, redrawn when a filter changes */
  function showTip(kind, params) {
    tipShown = [kind, kind === 'node' ? params.node : params.edge];
    tip.textContent = tooltipText(kind, kind === 'node' ? params.node : params.edge);
    var box = $('network').getBoundingClientRect(), p = params.pointer.DOM;
    tip.style.left = Math.min(p.x + 12, box.width - 320) + 'px';
    tip.style.top = (p.y + 12) + 'px';
    tip.hidden = false;
  }
  function hideTip() { tip.hidden = true; }
  network.on('hoverNode', function (p) { showTip('node', p); });
  network.on('hoverEdge', function (p) { showTip('edge', p); });
  network.on('blurNode', hideTip);
  network.on('blurEdge', hideTip);
  network.on('dragStart', hideTip);
  network.on('zoom', hideTip);
  view.tooltipText = tooltipText;
  /* Labels are drawn by us after vis has drawn the graph: 12 px on screen at any zoom, placed
     without overlaps (bkg.placeLabels: Smolensk municipalities and the busiest partners
     first); a label with no room is left out, its name stays in the tooltip. A big network
     gets them once zoomed in (too small to read at that scale). */
  var labelled = !D.big;
  function addLabels() { if (!labelled) { labelled = true; network.redraw(); } }
  view.addLabels = addLabels;
  view.labels = [];
  network.on('zoom', function (p) { if (p.scale > 0.45) addLabels(); });
  network.on('afterDrawing', function (ctx) {
    if (!labelled) { view.labels = []; return; }
    var box = $('network').getBoundingClientRect(), scale = network.getScale(), items = [];
    var positions = network.getPositions();
    D.nodes.forEach(function (n) {
      if (hiddenNodes[n.id]) return;
      var p = network.canvasToDOM(positions[n.id]);
      if (p.x < -50 || p.y < -50 || p.x > box.width + 50 || p.y > box.height + 50) return;
      var size = (nodes.get(n.id).size || 7) * scale;
      items.push({ x: p.x, y: p.y, r: size, text: n.label, priority: (n.side === 'ru' ? 1000 : 0) + (nodeCounts[n.id] || 0),
                   colour: n.side === 'ru' ? '#7b241c' : '#1b2631' });
    });
    items.sort(function (a, b) { return b.priority - a.priority; });
    items = items.slice(0, 400);
    /* a label may not cover another node (its own is outside its spots) */
    var discs = items.map(function (it) { return { x: it.x - it.r, y: it.y - it.r, w: 2 * it.r, h: 2 * it.r, text: '' }; });
    var boxes = bkg.placeLabels(items, bkg.measure, { x: 0, y: 0, w: box.width, h: box.height }, discs);
    ctx.save();
    var ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    bkg.drawBoxes(ctx, boxes.map(function (b) { return { text: b.item.text, x: b.x, y: b.y, colour: b.item.colour }; }));
    ctx.restore();
    view.labels = boxes.map(function (b) { return { text: b.item.text, x: b.x, y: b.y, w: b.w, h: b.h }; });
  });
  network.on('click', function (p) {
    if (p.nodes.length) showNode(p.nodes[0]); else if (p.edges.length) showEdge(p.edges[0]);
  });

  function setLayout(kind) {
    view.layout = kind;
    state.layout = kind === 'geo' ? 'geo' : 'force';
    bkg.writeState(state);
    if (kind === 'geo') {
      network.setOptions({ physics: { enabled: false } });
      D.nodes.forEach(function (n) { network.moveNode(n.id, n.gx, n.gy); });
      network.fit();
    } else {
      /* a big network gets a short run: each iteration over thousands of nodes is slow */
      $('stats').setAttribute('data-busy', '1');
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(D.big ? 40 : 400);
    }
  }
  $('l-geo').addEventListener('change', function () { setLayout('geo'); });
  $('l-force').addEventListener('change', function () { setLayout('force'); });
  fill($('f-year'), D.years.map(function (y) { return [y, y]; }));
  fill($('f-category'), D.categories.map(function (c, i) { return [i, c]; }));
  fill($('f-oblast'), D.oblasts.map(function (o) { return [o.id, o.name]; }));
  if (!D.hasCategories) $('f-category').disabled = true;
  var keys = { year: 'f-year', category: 'f-category', oblast: 'f-oblast', isolated: 'f-isolated', twin: 'f-twin',
               agreement: 'f-agreement' };
  function refresh() {
    var next = compute(false);
    nodes.update(next.nodes);
    edges.update(next.edges);
    if (!tip.hidden && tipShown) tip.textContent = tooltipText(tipShown[0], tipShown[1]);
    if (detailShown) (detailShown[0] === 'node' ? showNode : showEdge)(detailShown[1]);
    refreshTable();
    bkg.writeState(state);
  }
  Object.keys(keys).forEach(function (key) {
    $(keys[key]).addEventListener('change', function (e) {
      state[key] = e.target.type === 'checkbox' ? e.target.checked : e.target.value;
      refresh();
    });
  });
  Object.keys(keys).forEach(function (key) {
    var c = $(keys[key]);
    if (c.type === 'checkbox') c.checked = !!state[key]; else c.value = state[key];
  });
  $(geo ? 'l-geo' : 'l-force').checked = true;
  state.layout = geo ? 'geo' : 'force';
  if (state.sel && byId[state.sel]) { showNode(state.sel); network.selectNodes([state.sel]); } else state.sel = '';
  bkg.describeState = function (s) {
    var parts = [];
    if (s.year) parts.push('год ' + s.year);
    if (s.category !== '' && s.category !== undefined) parts.push('категория «' + D.categories[+s.category] + '»');
    if (s.oblast) parts.push(oblastName[s.oblast] || s.oblast);
    if (s.twin) parts.push('только побратимы');
    if (s.agreement) parts.push('только с соглашением');
    if (s.isolated) parts.push('с муниципалитетами без связей');
    return 'Фильтры: ' + (parts.join(', ') || 'нет') + (s.sel && byId[s.sel] ? ' · выбрано: ' + nameOf(byId[s.sel]) : '');
  };
  bkg.writeState(state);
  function fillTable() {
    var rows = [];
    edgesIn.forEach(function (edge) {
      var matched = visible[edge.id];
      if (!matched) return;
      var to = byId[edge.to];
      rows.push([nameOf(byId[edge.from]), nameOf(to), oblastName[to.oblast] || '', matched.length, yearsOf(matched),
                 edge.twin ? 'да' : '', edge.agreement ? 'да' : '', edge.quiet ? 'да' : '']);
    });
    rows.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : b[3] - a[3]; });
    bkg.fillTable($('view-table'), ['Муниципалитет', 'Партнёр', 'Область', 'Совместных мероприятий', 'Годы',
                                    'Побратимы', 'Соглашение', 'Затихло'], rows);
  }
  var refreshTable = bkg.tableButton($('b-table'), $('table-box'), fillTable);
  /* PNG: the canvas vis drew (with our labels) on white, with the title and the filters. */
  view.png = function () {
    var src = document.querySelector('#network canvas'), box = $('network').getBoundingClientRect(), head = 26;
    var out = bkg.whiteCanvas(box.width, box.height + head);
    out.ctx.fillStyle = '#1b1b1b'; out.ctx.font = bkg.LABEL_FONT; out.ctx.textBaseline = 'top';
    out.ctx.fillText(document.title + ' · ' + bkg.describeState(state), 6, 6);
    out.ctx.drawImage(src, 0, head, box.width, box.height);
    return Promise.resolve(out.canvas);
  };
  $('b-png').addEventListener('click', function () {
    view.png().then(function (c) { view.lastPng = bkg.downloadCanvas(c, 'network.png'); });
  });
  function refit() { network.setSize('100%', '100%'); network.redraw(); network.fit(); }
  window.addEventListener('beforeprint', refit);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', refit);
  view.refit = refit;
  view.state = state;
  view.showNode = showNode;
  view.showEdge = showEdge;
  view.setFilter = function (key, value) {
    var s = $('f-' + key);
    if (s.type === 'checkbox') s.checked = !!value; else s.value = String(value);
    s.dispatchEvent(new Event('change'));
  };
})();
