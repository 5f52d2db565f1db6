/* How the /stall page proves who it is: for now an API key typed once and kept in this tab's
   sessionStorage, sent as "Authorization: Bearer". When sign-in (sessions) lands, only this file
   changes: stallApi() then sends the session cookie instead. */
(function () {
  'use strict';
  const STORE = 'foodtrace-key';
  const T = JSON.parse(document.body.dataset.t);
  const key = () => sessionStorage.getItem(STORE) || '';
  function show() { document.getElementById('key-state').textContent = key() ? T.key_saved : T.key_missing; }
  document.getElementById('save-key').addEventListener('click', function () {
    const input = document.getElementById('key');
    sessionStorage.setItem(STORE, input.value.trim());
    input.value = '';
    show();
  });
  show();
  window.stallApi = async function (path, opts) {
    opts = opts || {};
    opts.headers = Object.assign({'Authorization': 'Bearer ' + key(), 'Accept': 'application/json'}, opts.headers || {});
    const r = await fetch(path, opts);
    if (!r.ok) {
      let m = String(r.status);
      try {
        const j = await r.json();
        m = j.error.message + (j.error.details || []).map(d => ' — ' + (d.field || '') + ': ' + d.reason).join('');
      } catch (e) { /* not JSON */ }
      throw new Error(m);
    }
    return r;
  };
})();
