/* The pages of a signed-in person (desk, console): fetch() sends the session cookie, and on
   every state-changing request the session's CSRF token (X-CSRF-Token) from #session. No key is
   typed or kept in the browser. A 401 (the session ended) goes back to the sign-in page. */
'use strict';
const $ = id => document.getElementById(id);
const LANG = document.documentElement.lang.startsWith('en') ? 'en' : 'zh';
const CSRF = ($('session') || {dataset: {}}).dataset.csrf || '';
async function api(path, opts = {}) {
  const method = (opts.method || 'GET').toUpperCase();
  const guard = (method === 'GET' || method === 'HEAD') ? {} : {'X-CSRF-Token': CSRF};
  // refusals come in the page's language, whatever the browser's is
  opts.headers = Object.assign({'Accept': 'application/json', 'Accept-Language': LANG === 'en' ? 'en' : 'zh-CN'},
                               guard, opts.headers || {});
  opts.credentials = 'same-origin';
  const r = await fetch(path, opts);
  if (r.status === 401) {
    location.assign('/signin?next=' + encodeURIComponent(location.pathname + location.search));
  }
  if (!r.ok) {
    let m = r.status + '', head = m, details = [];
    try {
      const j = await r.json(); head = j.error.message; details = j.error.details || [];
      m = head + details.map(d => ' — ' + (d.field || '') + ': ' + d.reason).join('');
    } catch (e) {}
    const err = new Error(m); err.head = head; err.details = details;
    throw err;
  }
  return r;
}
/* An API refusal ``e`` (from api()) said for ``form``: each field it names by the label of the form's input of
   that name, that input marked invalid (aria-invalid) and the first one focused; other fields by their name. */
function refusalText(form, e) {
  form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  if (!e.details || !e.details.length) return e.message;
  let first = null;
  const parts = e.details.map(d => {
    const names = d.field ? [d.field, d.field.split('.').pop()] : [];
    const el = names.map(n => form.elements.namedItem(n)).find(x => x && x.id);
    const label = el && form.querySelector('label[for="' + el.id + '"]');
    if (el) { el.setAttribute('aria-invalid', 'true'); first = first || el; }
    const name = label ? label.textContent.trim() : (d.field || '');
    return (name ? name + (LANG === 'en' ? ': ' : '：') : '') + d.reason;
  });
  if (first) first.focus();
  return e.head + (LANG === 'en' ? ' — ' : '——') + parts.join(LANG === 'en' ? '; ' : '；');
}
const enc = c => encodeURIComponent(c);
function esc(s) { const d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML; }
