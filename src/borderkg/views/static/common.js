/* borderkg: what every view shares — the view's state in the address (#key=value&…, so a
   link reopens the same view), label placement without overlaps, PNG downloads made in the
   page, and the «таблица» of what a view shows. No names are ever put in as HTML. */
(function () {
  'use strict';
  var bkg = window.bkg = {};
  bkg.LABEL_PX = 12;
  bkg.LABEL_FONT = 'bold 12px "DejaVu Sans", "Liberation Sans", Arial, sans-serif';

  bkg.el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };

  /* The state in the address: '#year=2024&oblast=by-vitebsk-oblast&sel=m:desnogorsk'. */
  bkg.readState = function () {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
      if (!pair) return;
      var i = pair.indexOf('='), k = i < 0 ? pair : pair.slice(0, i), v = i < 0 ? '1' : pair.slice(i + 1);
      try { out[decodeURIComponent(k)] = decodeURIComponent(v); } catch (e) { /* a broken link: ignore that pair */ }
    });
    return out;
  };
  bkg.writeState = function (state) {
    var parts = [];
    Object.keys(state).sort().forEach(function (k) {
      var v = state[k];
      if (v === '' || v === null || v === undefined || v === false) return;
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v === true ? '1' : String(v)));
    });
    history.replaceState(null, '', location.pathname + location.search + (parts.length ? '#' + parts.join('&') : ''));
    var text = document.getElementById('print-state');
    if (text) text.textContent = bkg.describeState ? bkg.describeState(state) : '';
  };

  /* Labels without overlaps. items: {x, y, r, text, priority}; in screen pixels. Each label
     is tried right, left, above, below and at the four corners of its point, then a little
     further out; one that fits nowhere is not drawn
     (its name stays in the tooltip). Returns the placed boxes {item, x, y, w, h} (x, y: the
     text's top left). measure(text) gives the width in pixels. */
  bkg.placeLabels = function (items, measure, bounds, obstacles) {
    var placed = [], h = bkg.LABEL_PX + 3, pad = 2;
    var taken = (obstacles || []).slice();
    function free(box) {
      if (bounds && (box.x < bounds.x || box.y < bounds.y || box.x + box.w > bounds.x + bounds.w ||
                     box.y + box.h > bounds.y + bounds.h)) return false;
      for (var i = 0; i < taken.length; i++) {
        var o = taken[i];
        if (box.x < o.x + o.w + pad && o.x < box.x + box.w + pad && box.y < o.y + o.h && o.y < box.y + box.h) return false;
      }
      return true;
    }
    items.slice().sort(function (a, b) { return b.priority - a.priority; }).forEach(function (it) {
      var w = measure(it.text), spots = [];
      [3, 12].forEach(function (gap) {  /* beside the point first, then a little further out */
        var r = it.r + gap, d = r * 0.7;
        spots.push([it.x + r, it.y - h / 2], [it.x - r - w, it.y - h / 2], [it.x - w / 2, it.y - r - h],
                   [it.x - w / 2, it.y + r], [it.x + d, it.y - d - h], [it.x + d, it.y + d],
                   [it.x - d - w, it.y - d - h], [it.x - d - w, it.y + d]);
      });
      for (var i = 0; i < spots.length; i++) {
        var box = { item: it, x: spots[i][0], y: spots[i][1], w: w, h: h };
        if (free(box)) { placed.push(box); taken.push(box); return; }
      }
    });
    return placed;
  };
  bkg.overlapping = function (boxes) {
    /* pairs of boxes that overlap (the browser tests check there are none) */
    var out = [];
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push([a.text, b.text]);
      }
    }
    return out;
  };
  var measurer = document.createElement('canvas').getContext('2d');
  bkg.measure = function (text) { measurer.font = bkg.LABEL_FONT; return Math.ceil(measurer.measureText(text).width) + 4; };

  /* A PNG of a canvas (white behind it), downloaded with a name; done in the page. */
  bkg.downloadCanvas = function (canvas, name) {
    var a = document.createElement('a');
    a.download = name;
    a.href = canvas.toDataURL('image/png');
    document.body.appendChild(a);
    a.click();
    a.remove();
    return a.href;
  };
  bkg.whiteCanvas = function (w, h) {
    var c = document.createElement('canvas'), ratio = window.devicePixelRatio || 1;
    c.width = Math.round(w * ratio); c.height = Math.round(h * ratio);
    var ctx = c.getContext('2d');
    ctx.scale(ratio, ratio);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
    return { canvas: c, ctx: ctx };
  };
  bkg.drawBoxes = function (ctx, boxes, colour) {
    ctx.font = bkg.LABEL_FONT; ctx.textBaseline = 'top'; ctx.lineJoin = 'round';
    boxes.forEach(function (b) {
      ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,.9)'; ctx.strokeText(b.text, b.x + 2, b.y + 1);
      ctx.fillStyle = b.colour || colour || '#1b1b1b'; ctx.fillText(b.text, b.x + 2, b.y + 1);
    });
  };

  /* The table of what a view shows: head (strings), rows (arrays of strings or numbers). */
  bkg.fillTable = function (table, head, rows) {
    table.textContent = '';
    var thead = table.appendChild(bkg.el('thead')).appendChild(bkg.el('tr'));
    head.forEach(function (h) { thead.appendChild(bkg.el('th', h)); });
    var body = table.appendChild(bkg.el('tbody'));
    rows.forEach(function (r) {
      var tr = body.appendChild(bkg.el('tr'));
      r.forEach(function (v) { tr.appendChild(bkg.el('td', v, typeof v === 'number' ? 'num' : null)); });
    });
    if (!rows.length) body.appendChild(bkg.el('tr')).appendChild(bkg.el('td', 'нет данных при этих фильтрах')).colSpan = head.length;
  };
  /* The «таблица» button: the table is filled when shown, when printing, and again after a
     filter changes while it is shown (20,000 rows are not built for nothing). */
  bkg.tableButton = function (button, box, fill) {
    button.addEventListener('click', function () {
      box.hidden = !box.hidden;
      button.setAttribute('aria-pressed', box.hidden ? 'false' : 'true');
      if (!box.hidden) fill();
    });
    window.addEventListener('beforeprint', fill);
    return function () { if (!box.hidden) fill(); };
  };
})();
