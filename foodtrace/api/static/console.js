/* The inspector console: a lot's trace as a graph (cytoscape.js with the dagre layout, both vendored
   under /assets/app/vendor), grouped on the server by layer and holder and opened on request; search,
   CSV download, supervision records, and a recall that is previewed before it is started.
   Uses $, api, enc, esc and LANG from the session block (_session.html, static/session.js); its texts come from the
   page's JSON block #console-text. No inline handlers: the page's CSP allows scripts from this origin. */
(function () {
  'use strict';
  const T = JSON.parse($('console-text').textContent);
  const MARK_FILL = {failed_test: '#fde8e7', recalled: '#fde8e7', missing_certificate: '#fff4e0', gap: '#f1f1f1'};
  const MARK_LINE = {failed_test: '#b3261e', recalled: '#b3261e', missing_certificate: '#d97706', gap: '#6b7280'};
  const state = {code: null, expand: new Set(), focus: null, view: null};
  let cy = null;
  if (window.cytoscape && window.cytoscapeDagre) { cytoscape.use(cytoscapeDagre); }

  function fill(n) { return n.marks.length ? (MARK_FILL[n.marks[0]] || '#f1f1f1') : (n.type === 'lot' ? '#eef6ef' : '#e8eef6'); }
  function line(n) { return n.marks.length ? (MARK_LINE[n.marks[0]] || '#2f6b3a') : (n.type === 'lot' ? '#2f6b3a' : '#1f3a5f'); }

  function elements(view) {
    const els = view.nodes.map(n => ({group: 'nodes', data: {
      id: n.id, label: view.texts[n.id].label, title: view.texts[n.id].title, type: n.type, code: n.code || '',
      fill: fill(n), line: line(n), marks: n.marks.join(' '), root: n.root ? 1 : 0, focus: n.focus ? 1 : 0,
      count: n.count, members: n.members}}));
    view.edges.forEach((e, i) => els.push({group: 'edges', data: {id: 'e' + i, source: e.source, target: e.target,
      count: e.count, weight: Math.min(6, 1.2 + Math.log2(e.count))}}));
    return els;
  }

  const STYLE = [
    {selector: 'node', style: {
      'shape': 'round-rectangle', 'width': 200, 'height': 58, 'background-color': 'data(fill)',
      'border-color': 'data(line)', 'border-width': 1.5, 'label': 'data(label)', 'text-wrap': 'wrap',
      'text-max-width': 186, 'font-size': 12, 'line-height': 1.25, 'text-valign': 'center', 'text-halign': 'center',
      'color': '#1d2a1f', 'font-family': 'system-ui, "Noto Sans CJK SC", sans-serif'}},
    {selector: 'node[type != "lot"]', style: {'border-style': 'double', 'border-width': 5}},
    {selector: 'node[marks != ""]', style: {'border-width': 3}},
    {selector: 'node[root = 1]', style: {'border-width': 4.5, 'font-weight': 'bold'}},
    {selector: 'node[focus = 1]', style: {'overlay-color': '#1f6feb', 'overlay-opacity': 0.18, 'overlay-padding': 6}},
    {selector: 'node:selected', style: {'overlay-color': '#1f6feb', 'overlay-opacity': 0.25, 'overlay-padding': 6}},
    {selector: 'edge', style: {'width': 'data(weight)', 'line-color': '#8791a5', 'target-arrow-color': '#8791a5',
      'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.9}},
  ];

  function draw(view, centre, pan) {
    const box = $('graph');
    if (cy) { cy.destroy(); }
    cy = cytoscape({container: box, elements: elements(view), style: STYLE, wheelSensitivity: 0.3,
                    minZoom: 0.05, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: true});
    cy.layout({name: 'dagre', rankDir: 'LR', nodeSep: 16, rankSep: 64, edgeSep: 8, fit: true, padding: 12,
               animate: false}).run();
    if (centre) {
      const n = cy.getElementById(centre);
      if (n.nonempty()) { n.select(); detail(n); if (pan) { cy.center(n); } }
    }
    cy.on('tap', 'node', ev => {
      const n = ev.target;
      if (n.data('type') !== 'lot') { state.expand.add(n.id()); load(null); } else { detail(n); }
    });
    window.consoleGraph = cy;  /* for the browser tests: node boxes and labels */
    box.dataset.ready = String(Date.now());
  }

  function detail(n) {
    $('detail').textContent = n.data('title');
    $('detail').hidden = false;
  }

  function summary(view) {
    $('summary').textContent = '· ' + T.summary.replace('{lots}', view.lots).replace('{nodes}', view.nodes.length);
    $('truncated').hidden = !view.truncated;
    const reasons = [];
    view.nodes.forEach(n => n.reasons.forEach(r => reasons.push('<li>' + esc(n.code) + ' · ' + esc(r[LANG]) + '</li>')));
    $('reasons').innerHTML = Array.from(new Set(reasons)).join('');
  }

  async function load(centre, pan) {
    const q = new URLSearchParams({lang: LANG});
    state.expand.forEach(id => q.append('expand', id));
    if (state.focus) { q.set('focus', state.focus); }
    const view = await (await api('/api/v1/lots/' + enc(state.code) + '/graph?' + q.toString())).json();
    state.view = view;
    state.code = view.root;
    $('graph-box').hidden = false;
    summary(view);
    draw(view, centre, pan);
  }

  function fail(e) { $('error').textContent = e.message; }

  $('search').addEventListener('submit', async ev => {
    ev.preventDefault(); $('error').textContent = '';
    state.code = $('code').value.trim(); state.expand = new Set(); state.focus = null;
    $('detail').hidden = true; $('recall-result').innerHTML = ''; $('recall-preview').innerHTML = ''; $('recall-error').textContent = '';
    try {
      await load('lot:' + state.code);
      $('search').querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
      $('recall-box').hidden = false; $('csv').disabled = false;
      supervision(state.code);
    } catch (e) {
      // what was shown belongs to the code searched before: it goes, so that nobody reads it as this code's
      state.view = null;
      ['graph-box', 'recall-box', 'supervision-box'].forEach(id => { $(id).hidden = true; });
      $('csv').disabled = true;
      $('error').textContent = refusalText($('search'), e);
    }
  });

  $('find').addEventListener('submit', async ev => {
    ev.preventDefault(); $('find-note').textContent = '';
    const code = $('find-code').value.trim();
    if (!code || !state.view) { return; }
    if (cy && cy.getElementById('lot:' + code).nonempty()) {
      cy.elements().unselect(); const n = cy.getElementById('lot:' + code); n.select(); cy.center(n); detail(n); return;
    }
    if (!state.view.nodes.some(n => (n.members || []).includes(code))) { $('find-note').textContent = T.not_found; return; }
    state.focus = code;
    try { await load('lot:' + code, true); } catch (e) { fail(e); }
  });

  $('fit').addEventListener('click', () => { if (cy) { cy.fit(undefined, 12); } });
  $('collapse').addEventListener('click', async () => {
    state.expand = new Set(); state.focus = null;
    try { await load(null); } catch (e) { fail(e); }
  });

  $('csv').addEventListener('click', async () => {
    try {
      const blob = await (await api('/api/v1/lots/' + enc(state.code) + '/trace.csv?lang=' + LANG)).blob();
      const a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = 'trace-' + state.code + '.csv';
      document.body.appendChild(a); a.click(); a.remove();
    } catch (e) { fail(e); }
  });

  async function supervision(code) {
    const recs = await (await api('/api/v1/supervision/lots/' + enc(code))).json();
    $('supervision').innerHTML = recs.length ? recs.map(r => '<li class="record" data-type="' + esc(r.type) + '"><b>' +
      esc(T.types[r.type] || r.type) + '</b> ' + esc(r.record_id) + ' · ' + esc(r.time.slice(0, 10)) +
      (r.subjects.length ? ' · ' + esc(r.subjects.join(', ')) : '') + (r.summary ? ' · ' + esc((r.said || {})[LANG] || r.summary) : '') +
      '</li>').join('') : '<li>' + esc(T.none) + '</li>';
    $('supervision-box').hidden = false;
  }

  function holdersTable(rep) {
    const rows = rep.exposure.holders.map(h => {
      const tot = Object.entries(h.totals).map(([u, v]) => [v.received + ' ' + (T.units[u] || u), v.still_held + ' ' + (T.units[u] || u)]);
      return '<tr class="holder"><td>' + esc(h.name || h.party) + ' <span class="muted">' + esc(h.party) + '</span></td><td>' +
        tot.map(x => esc(x[0])).join('<br>') + '</td><td>' + tot.map(x => esc(x[1])).join('<br>') + '</td><td>' + h.lots.length + '</td></tr>';
    }).join('');
    return '<p class="muted">' + esc(T.lots_recalled) + ': ' + rep.exposure.sources.length + ' · ' + esc(T.lots_affected) +
      ': ' + rep.exposure.affected.length + '</p><div class="scroll"><table><tr><th>' + esc(T.party) + '</th><th>' + esc(T.received) + '</th><th>' +
      esc(T.held) + '</th><th>' + esc(T.lots) + '</th></tr>' + rows + '</table></div>';
  }

  function recallBody(dry) {
    return JSON.stringify({codes: [state.code], reason: $('reason').value.trim(), dry_run: dry});
  }

  $('recall').addEventListener('submit', async ev => {
    ev.preventDefault(); $('recall-error').textContent = ''; $('recall-result').innerHTML = '';
    try {
      const rep = await (await api('/api/v1/recalls', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: recallBody(true)})).json();
      $('recall-preview').innerHTML = '<p class="warn">' + esc(T.preview_note) + '</p>' + holdersTable(rep) +
        '<div class="row"><button id="recall-confirm" class="danger" type="button">' + esc(T.confirm) + '</button>' +
        '<button id="recall-cancel" type="button" class="plain">' + esc(T.cancel) + '</button></div>';
      $('recall-cancel').addEventListener('click', () => { $('recall-preview').innerHTML = ''; });
      $('recall-confirm').addEventListener('click', confirmRecall);
      $('recall').querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    } catch (e) { recallFail(e); }
  });

  /* A refused recall is said next to its form (on a phone the search box is screens away), by the field's label. */
  function recallFail(e) { $('recall-error').textContent = refusalText($('recall'), e); }

  async function confirmRecall() {
    $('recall-confirm').disabled = true; $('recall-error').textContent = '';
    try {
      const rep = await (await api('/api/v1/recalls', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: recallBody(false)})).json();
      $('recall-preview').innerHTML = '';
      $('recall-result').innerHTML = '<p role="status">' + esc(T.started) + ' · ' + esc(T.recall_id) + ': <b id="recall-id">' +
        esc(rep.recall_id) + '</b></p><h2>' + esc(T.holders) + '</h2>' + holdersTable(rep);
      await load(null);  /* the graph again: the lots now carry the recall */
    } catch (e) { recallFail(e); if ($('recall-confirm')) { $('recall-confirm').disabled = false; } }
  }
})();
