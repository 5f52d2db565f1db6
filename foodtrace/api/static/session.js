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
  opts.headers = Object.assign({'Accept': 'application/json'}, guard, opts.headers || {});
  opts.credentials = 'same-origin';
  const r = await fetch(path, opts);
  if (r.status === 401) {
    location.assign('/signin?next=' + encodeURIComponent(location.pathname + location.search));
  }
  if (!r.ok) {
    let m = r.status + '';
    try { const j = await r.json(); m = j.error.message + (j.error.details || []).map(d => ' — ' + (d.field || '') + ': ' + d.reason).join(''); } catch (e) {}
    throw new Error(m);
  }
  return r;
}
const enc = c => encodeURIComponent(c);
function esc(s) { const d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML; }
