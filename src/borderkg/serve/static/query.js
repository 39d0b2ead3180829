const examples = JSON.parse(document.getElementById('example-data').textContent);
const $ = (id) => document.getElementById(id);
document.querySelectorAll('[data-example]').forEach((a) => a.addEventListener('click', (e) => {
  e.preventDefault(); $('query').value = examples[a.dataset.example].text;
}));
function table(json) {
  const t = document.createElement('table'), head = t.insertRow();
  if (json.boolean !== undefined) { head.insertCell().textContent = String(json.boolean); return t; }
  json.head.vars.forEach((v) => { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); });
  json.results.bindings.forEach((b) => {
    const row = t.insertRow();
    json.head.vars.forEach((v) => { row.insertCell().textContent = b[v] ? b[v].value : ''; });
  });
  return t;
}
$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const accept = $('accept').value, started = performance.now();
  $('status').textContent = 'running…'; $('result').replaceChildren();
  try {
    const response = await fetch('/sparql', {method: 'POST', headers: {'Accept': accept},
      body: new URLSearchParams({query: $('query').value})});
    const text = await response.text(), type = response.headers.get('Content-Type') || '';
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      const pre = document.createElement('pre'); pre.className = 'error'; pre.textContent = text;
      $('result').appendChild(pre); $('status').textContent = response.status + ' (' + seconds + ' s)';
      return;
    }
    let node;
    if (type.startsWith('application/sparql-results+json')) {
      const json = JSON.parse(text); node = table(json);
      $('status').textContent = (json.results ? json.results.bindings.length + ' rows' : 'answer') + ' in ' + seconds + ' s';
    } else {
      node = document.createElement('pre'); node.textContent = text; $('status').textContent = seconds + ' s';
    }
    $('result').appendChild(node);
  } catch (err) { $('status').textContent = 'failed: ' + err; }
});
