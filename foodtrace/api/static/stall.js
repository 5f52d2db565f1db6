/* The /stall page: a purchase by the supplier's code (typed or scanned with jsQR), a day's sales,
   one's own ledger and its export. Talks to the API in the signed-in person's session through api() (static/session.js, included
   by _session.html): the session cookie, and the CSRF token on every post; no key. */
(function () {
  'use strict';
  const $ = id => document.getElementById(id);
  const T = JSON.parse(document.body.dataset.t);
  const LANG = document.body.dataset.lang;
  const num = id => $(id).value === '' ? null : parseFloat($(id).value);
  const json = body => ({method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  function say(id, text, ok) {
    $(id).textContent = text; $(id).className = ok ? 'ok' : 'error';
    if (ok) $(id).closest('section').querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  }

  $('buy').addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = {code: $('code').value.trim(), quantity: num('quantity'), unit: $('unit').value};
    if ($('supplier').value.trim()) body.supplier = $('supplier').value.trim();
    if (num('price') !== null) body.unit_price = num('price');
    if (num('amount') !== null) body.amount = num('amount');
    try {
      const d = await (await api('/api/v1/stall/purchases', json(body))).json();
      const colon = LANG === 'en' ? ': ' : '：';
      if (d.accept) say('buy-result', T.accept + ' · ' + T.receipt + colon + d.receipt_code, true);
      else say('buy-result', T.reject + colon + d.reasons.map(r => r[LANG] || r.zh).join(LANG === 'en' ? '; ' : '；'), false);
    } catch (e) { say('buy-result', refusalText($('buy'), e), false); }
  });

  $('sell').addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = {code: $('sell-code').value.trim(), quantity: num('sell-quantity'), unit: $('sell-unit').value};
    if (num('sell-amount') !== null) body.amount = num('sell-amount');
    try {
      await api('/api/v1/stall/sales', json(body));
      say('sell-result', T.saved, true);
    } catch (e) { say('sell-result', refusalText($('sell'), e), false); }
  });

  function range() {
    const q = new URLSearchParams();
    if ($('from').value) q.set('from', $('from').value);
    if ($('to').value) q.set('to', $('to').value);
    return q;
  }
  $('show').addEventListener('click', async () => {
    const body = $('ledger').querySelector('tbody');
    body.textContent = '';
    try {
      const rows = await (await api('/api/v1/stall/ledger?' + range())).json();
      for (const r of rows) {
        const tr = document.createElement('tr');
        for (const v of [r.time.slice(0, 16).replace('T', ' '), T[r.kind], r.code, r.quantity + ' ' + r.unit,
                         r.amount == null ? '' : r.amount]) {
          const td = document.createElement('td'); td.textContent = v; tr.appendChild(td);
        }
        body.appendChild(tr);
      }
    } catch (e) { say('sell-result', e.message, false); }
  });
  $('export').addEventListener('click', async () => {
    try {
      const q = range(); q.set('lang', LANG);
      const blob = await (await api('/api/v1/stall/ledger.xlsx?' + q)).blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob); a.download = 'ledger.xlsx'; a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (e) { say('sell-result', e.message, false); }
  });

  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach(t => t.stop());
    stream = null; $('video').hidden = true; $('scan').textContent = T.scan;
  }
  function tick() {
    if (!stream) return;
    const v = $('video'), c = $('frame');
    if (v.readyState === v.HAVE_ENOUGH_DATA) {
      c.width = v.videoWidth; c.height = v.videoHeight;
      const g = c.getContext('2d'); g.drawImage(v, 0, 0, c.width, c.height);
      const found = window.jsQR(g.getImageData(0, 0, c.width, c.height).data, c.width, c.height);
      if (found && found.data) { $('code').value = found.data.trim(); stop(); return; }
    }
    requestAnimationFrame(tick);
  }
  $('scan').addEventListener('click', async () => {
    if (stream) { stop(); return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}});
      $('video').srcObject = stream; $('video').hidden = false; await $('video').play();
      $('scan').textContent = T.stop; requestAnimationFrame(tick);
    } catch (e) { stream = null; say('buy-result', T.no_camera, false); }
  });
})();
