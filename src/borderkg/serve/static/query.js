// The query page: YASGUI (vendored) set up for borderkg — nothing is fetched from another host:
// prefix completion from the project's own prefixes (no prefix.cc, no LOV), the saved queries
// with a form for their parameters (bound by the server: /queries/NAME?param=value), IRIs
// that open the entity page, downloads, share links (/?query=… or /?saved=NAME&param=…),
// and a map of results that carry coordinates (Leaflet, no tiles).
(function () {
  'use strict';
  const DATA = JSON.parse(document.getElementById('bkg-data').textContent);
  const $ = (id) => document.getElementById(id);
  const ORIGIN = window.location.origin;
  const SPARQL = ORIGIN + '/sparql';
  const Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;

  // --- nothing from elsewhere: our prefixes, no remote completers ------------------------
  const prefixList = Object.keys(DATA.prefixes).map((p) => p + ': <' + DATA.prefixes[p] + '>').sort();
  Yasqe.Autocompleters.prefixes.get = () => Promise.resolve(prefixList);
  Yasqe.defaults.autocompleters = ['prefixes', 'variables'];
  Yasqe.defaults.prefixCcApi = null;
  // The editor's own syntax check knows the predeclared prefixes (a query need not declare them).
  const sparqlMode = Yasqe.modes && Yasqe.modes.sparql11;
  if (sparqlMode) {
    Yasqe.defineMode('sparql11', function (config, modeConfig) {
      const mode = sparqlMode(config, modeConfig), start = mode.startState;
      mode.startState = function () {
        const state = start.apply(this, arguments);
        Object.assign(state.prefixes, DATA.prefixes);
        return state;
      };
      return mode;
    });
  }
  Yasr.plugins.table.defaults.openIriInNewWindow = false;
  Yasr.plugins.table.defaults.tableConfig.language = {
    paginate: {first: '«', last: '»', next: '›', previous: '‹'},
    info: 'Строки _START_–_END_ из _TOTAL_', infoEmpty: 'Нет строк', infoFiltered: '(отобрано из _MAX_)',
    emptyTable: 'Нет результатов', zeroRecords: 'Ничего не найдено', search: 'Поиск:',
  };
  Yasr.plugins.table.defaults.tableConfig.ordering = true;

  // --- a map of the results that carry coordinates (WKT points or ?lat/?lon) ---------------
  const POINT = /^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$/i;
  function points(yasr) {
    const results = yasr.results;
    if (!results || !results.getBindings || !results.getVariables) return [];
    const vars = results.getVariables() || [], found = [];
    const lat = vars.find((v) => /^(lat|latitude)$/i.test(v)), lon = vars.find((v) => /^(lon|long|longitude)$/i.test(v));
    for (const row of results.getBindings() || []) {
      const label = vars.filter((v) => row[v] && !POINT.test(row[v].value)).map((v) => row[v].value).slice(0, 3).join(' · ');
      for (const v of vars) {
        const m = row[v] && POINT.exec(row[v].value);
        if (m) found.push({lat: +m[2], lon: +m[1], label});
      }
      if (lat && lon && row[lat] && row[lon]) found.push({lat: +row[lat].value, lon: +row[lon].value, label});
    }
    return found.filter((p) => isFinite(p.lat) && isFinite(p.lon));
  }
  class MapPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 2; this.label = 'Карта'; }
    canHandleResults() { return points(this.yasr).length > 0; }
    getIcon() { return document.createElement('span'); }
    draw() {
      const box = document.createElement('div');
      box.className = 'bkg-map';
      this.yasr.resultsEl.appendChild(box);
      const map = L.map(box, {attributionControl: false});
      const layer = L.featureGroup(points(this.yasr).map((p) => L.circleMarker([p.lat, p.lon],
        {radius: 6, className: 'bkg-point'}).bindPopup(() => { const d = document.createElement('div'); d.textContent = p.label; return d; })));
      layer.addTo(map);
      map.fitBounds(layer.getBounds().pad(0.2), {maxZoom: 10});
      window.bkgMap = map;
    }
    destroy() { if (window.bkgMap) { window.bkgMap.remove(); window.bkgMap = null; } }
  }
  Yasr.registerPlugin('bkgMap', MapPlugin);

  // --- the editor --------------------------------------------------------------------------
  const yasgui = new Yasgui($('yasgui'), {
    requestConfig: {endpoint: SPARQL, method: 'POST'},
    copyEndpointOnNewTab: false,
    tabName: 'Запрос',
    endpointCatalogueOptions: {getData: () => [{endpoint: SPARQL}], keys: []},
    yasqe: {value: DATA.first},
    yasr: {prefixes: DATA.prefixes, pluginOrder: ['table', 'response', 'bkgMap']},
    persistenceId: null,
  });
  window.bkgYasgui = yasgui;

  // Russian labels for what YASGUI writes in English
  const WORDS = {'Simple view': 'Кратко', 'Ellipse': 'Сокращать', 'Page size: ': 'Строк на странице: ',
    'All': 'все', 'Table': 'Таблица', 'Response': 'Ответ', 'Filter query results': 'Фильтр результатов',
    'Download result': 'Скачать результат', 'Query': 'Запрос',
    'Try query in a new browser window': 'Открыть запрос в новом окне'};
  const PATTERNS = [[/^(\d+) results? in ([\d.]+) seconds?$/, '$1 строк за $2 с'],
    [/^Response in ([\d.]+) seconds?$/, 'Ответ за $1 с']];
  function russify(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue;
      if (WORDS[text] !== undefined) node.nodeValue = WORDS[text];
      for (const [pattern, russian] of PATTERNS) {
        if (pattern.test(text)) node.nodeValue = text.replace(pattern, russian);
      }
    }
    root.querySelectorAll('[placeholder],[title]').forEach((el) => {
      for (const name of ['placeholder', 'title']) {
        const value = el.getAttribute(name);
        if (value && WORDS[value]) el.setAttribute(name, WORDS[value]);
      }
    });
  }

  // --- what the current tab asks, for downloads and links -----------------------------------
  function request(tab) {
    const config = tab.getRequestConfig(), endpoint = typeof config.endpoint === 'string' ? config.endpoint : SPARQL;
    const args = (Array.isArray(config.args) ? config.args : []).filter((a) => a.name !== 'query');
    return {endpoint, args, saved: endpoint.startsWith(ORIGIN + '/queries/') ? endpoint.slice((ORIGIN + '/queries/').length) : null};
  }
  function download(tab, fmt) {
    const r = request(tab), params = new URLSearchParams();
    if (!r.saved) params.set('query', tab.getQuery());
    r.args.forEach((a) => params.append(a.name, a.value));
    params.set('format', fmt);
    return r.endpoint + '?' + params.toString();
  }
  function shareLink(tab) {
    const r = request(tab), params = new URLSearchParams();
    if (r.saved) { params.set('saved', r.saved); r.args.forEach((a) => params.append(a.name, a.value)); }
    else params.set('query', tab.getQuery());
    return ORIGIN + '/?' + params.toString();
  }
  function refreshTools() {
    const tab = yasgui.getTab();
    if (!tab) return;
    for (const fmt of ['csv', 'json', 'tsv']) $('dl-' + fmt).href = download(tab, fmt);
  }

  // --- saved queries and their parameters ---------------------------------------------------
  const byName = Object.fromEntries(DATA.examples.map((q) => [q.name, q]));
  let current = null;
  function showForm(saved, values) {
    current = saved;
    $('params-title').textContent = saved.title;
    $('params-description').textContent = saved.description;
    const fields = $('params-fields');
    fields.replaceChildren();
    for (const p of saved.params) {
      const label = document.createElement('label'), input = document.createElement('input');
      label.textContent = p.name + ' (' + p.kind + ') ';
      input.name = p.name;
      input.value = values && values[p.name] !== undefined ? values[p.name] : (p.default || '');
      input.type = p.kind === 'date' ? 'date' : (p.kind === 'int' || p.kind === 'year' ? 'number' : 'text');
      label.appendChild(input);
      fields.appendChild(label);
    }
    $('params').hidden = false;
    $('params-submit').hidden = saved.params.length === 0;
  }
  function openSaved(saved, values, run) {
    showForm(saved, values);
    const args = saved.params.map((p) => ({name: p.name, value: values && values[p.name] !== undefined ? values[p.name] : (p.default || '')}));
    const tab = yasgui.addTab(true, {name: saved.title.slice(0, 40), yasqe: {value: saved.text},
      requestConfig: {endpoint: ORIGIN + '/queries/' + saved.name, method: 'GET', args}});
    const editor = tab.getYasqe();
    if (editor) {  // edited, it is a query of its own: run by /sparql, no form
      editor.on('change', () => {
        if (editor.getValue() === saved.text || request(tab).saved !== saved.name) return;
        tab.setRequestConfig({endpoint: SPARQL, method: 'POST', args: []});
        $('params').hidden = true;
        refreshTools();
      });
    }
    if (run) tab.query().catch(() => {});
    refreshTools();
    return tab;
  }
  document.querySelectorAll('[data-example]').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    openSaved(byName[a.dataset.example], null, byName[a.dataset.example].params.length === 0);
  }));
  $('params').addEventListener('submit', (e) => {
    e.preventDefault();
    const values = Object.fromEntries([...$('params-fields').querySelectorAll('input')].map((i) => [i.name, i.value]));
    const tab = yasgui.getTab(), r = request(tab);
    if (current && r.saved === current.name) {
      tab.setRequestConfig({args: current.params.map((p) => ({name: p.name, value: values[p.name]}))});
      tab.query().catch(() => {});
      refreshTools();
    } else openSaved(current, values, true);
  });

  // --- share, IRIs, errors ------------------------------------------------------------------
  $('share').addEventListener('click', () => {
    const field = $('share-link');
    field.value = shareLink(yasgui.getTab());
    field.hidden = false;
    field.select();
  });
  $('yasgui').addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a.iri');
    if (!a) return;
    e.preventDefault();
    window.location.href = '/entity?iri=' + encodeURIComponent(a.getAttribute('href'));
  }, true);
  yasgui.on('queryResponse', () => { refreshTools(); });
  yasgui.on('tabSelect', () => setTimeout(refreshTools, 0));
  new MutationObserver(() => russify($('yasgui'))).observe($('yasgui'), {childList: true, subtree: true});
  russify($('yasgui'));

  // --- links that reopen a query: /?query=… (YASGUI reads it itself) or /?saved=NAME&param=…
  const url = new URLSearchParams(window.location.search);
  if (url.get('saved') && byName[url.get('saved')]) {
    const values = {};
    url.forEach((value, key) => { if (key !== 'saved') values[key] = value; });
    openSaved(byName[url.get('saved')], values, true);
  }
  refreshTools();
  document.body.dataset.ready = '1';
})();
