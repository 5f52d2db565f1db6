/* The receiving desk: check a delivery at the market-entry gate (GET /api/v1/entry/{code}, nothing
   recorded), then record what the check said — "confirm receipt" only for an accepted lot, "record the
   refusal" only for a refused one — with POST /api/v1/receipts carrying the decision the clerk saw
   (`expect`): if it changed meanwhile nothing is recorded. Each check starts afresh, so lot after lot
   can be checked without reloading. Uses $, api, enc, esc and LANG from the session block
   (_session.html, static/session.js); its texts come from the page's JSON block #desk-text. */
(function () {
  'use strict';
  const T = JSON.parse($('desk-text').textContent);
  const LONG_CODE = /[A-Za-z0-9][A-Za-z0-9._\-]{15,}/g;
  let last = null;   /* the request checked, with the gate's answer */
  let busy = false;

  async function whoami() {
    if ($('receiver').value) { return; }
    try { const me = await (await api('/api/v1/me')).json(); if (me.party) { $('receiver').value = me.party; } } catch (e) { /* the field stays empty */ }
  }
  whoami();

  function short(code) { return code.length > 16 ? code.slice(0, 6) + '…' + code.slice(-6) : code; }

  /* A text with its long codes shortened; the full code on hover (title) or tap (data-full). */
  function withCodes(text) {
    let out = '', at = 0;
    String(text).replace(LONG_CODE, (m, i) => {
      out += esc(text.slice(at, i)) + '<abbr class="code" tabindex="0" title="' + esc(T.full_code + ': ' + m) +
        '" data-full="' + esc(m) + '">' + esc(short(m)) + '</abbr>';
      at = i + m.length; return m;
    });
    return out + esc(String(text).slice(at));
  }
  document.addEventListener('click', ev => {
    const a = ev.target.closest && ev.target.closest('abbr.code');
    if (a) { const full = a.dataset.full; a.textContent = a.textContent === full ? short(full) : full; }
  });

  function grouped(reasons) {
    const groups = new Map();
    reasons.forEach(r => {
      const g = groups.get(r.code) || [];
      if (!g.includes(r[LANG])) { g.push(r[LANG]); }
      groups.set(r.code, g);
    });
    return Array.from(groups, ([code, texts]) => '<li class="reason" data-code="' + esc(code) + '">' + withCodes(texts[0]) +
      (texts.length > 1 ? '<ul>' + texts.slice(1).map(x => '<li>' + withCodes(x) + '</li>').join('') + '</ul>' : '') +
      '</li>').join('');
  }

  function reset() {
    last = null;
    ['result', 'confirm', 'refuse', 'checked-box', 'confirmed'].forEach(id => { $(id).hidden = true; });
    $('confirm').disabled = false; $('refuse').disabled = false;
    $('error').textContent = ''; $('confirmed').textContent = ''; $('announce').textContent = '';
    $('desk').querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  }

  function show(d) {
    $('verdict').className = 'verdict ' + (d.accept ? 'accept' : 'reject');
    $('verdict').textContent = d.accept ? T.accept : T.reject;
    $('reasons').innerHTML = grouped(d.reasons || []);
    const checked = d.accept ? (d.checked || []) : [];
    $('checked').innerHTML = checked.map(c => '<li data-code="' + esc(c.code) + '">' + esc(c[LANG]) + '</li>').join('');
    $('checked-box').hidden = !checked.length;
    $('confirm').hidden = !d.accept; $('refuse').hidden = d.accept;
    $('result').hidden = false;
    const stop = LANG === 'en' ? '.' : '。', reasons = (d.reasons || []).map(r => r[LANG]);
    $('announce').textContent = (d.accept ? T.accept : T.reject) + stop +
      (reasons.length ? (LANG === 'en' ? ' ' : '') + reasons.join(LANG === 'en' ? '; ' : '；') + stop : '');
  }

  function summary(code, product, quantity, unit) {
    const parts = [withCodes(code)];
    if (product) { parts.push(esc(T.products[product] || product)); }
    parts.push(esc(quantity + (unit ? ' ' + (T.units[unit] || unit) : '')));
    $('lot-info').innerHTML = parts.join(' · ');
  }

  $('desk').addEventListener('submit', async ev => {
    ev.preventDefault(); reset();
    const b = {code: $('code').value.trim(), receiver: $('receiver').value.trim(), quantity: parseFloat($('quantity').value),
               document: $('document').value.trim()};
    try {
      const d = await (await api('/api/v1/entry/' + enc(b.code) + '?receiver=' + enc(b.receiver) + '&quantity=' + b.quantity)).json();
      const unit = $('unit').value || d.unit || '';
      last = Object.assign(b, {unit: unit, expect: d.accept ? 'accept' : 'reject'});
      summary(d.code, d.product, b.quantity, unit);
      show(d);
    } catch (e) { $('error').textContent = refusalText($('desk'), e); }
  });

  async function record() {
    if (!last || busy) { return; }
    if (!last.unit) { $('error').textContent = T.need_unit; $('unit').focus(); return; }
    busy = true; $('confirm').disabled = true; $('refuse').disabled = true; $('error').textContent = '';
    const sent = last;
    try {
      const d = await (await api('/api/v1/receipts', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(sent)})).json();
      if (d.accept !== (sent.expect === 'accept')) { show(d); }  /* cannot happen: the server refuses a changed answer */
      $('confirm').hidden = true; $('refuse').hidden = true;
      $('confirmed').innerHTML = d.accept
        ? esc(T.receipt_recorded) + ' · ' + esc(T.receipt) + ': <span id="receipt-code">' + esc(d.receipt_code) + '</span>'
        : esc(T.refusal_recorded);
      $('confirmed').hidden = false;
      $('announce').textContent = $('confirmed').textContent;
      last = null;
    } catch (e) {
      $('error').textContent = e.message.startsWith('409') || /expect/.test(e.message) ? T.changed : refusalText($('desk'), e);
      $('confirm').hidden = true; $('refuse').hidden = true;
    } finally { busy = false; }
  }
  $('confirm').addEventListener('click', record);
  $('refuse').addEventListener('click', record);
})();
