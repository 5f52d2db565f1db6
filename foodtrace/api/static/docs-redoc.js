/* Starts ReDoc on /redoc from this origin's assets (no inline script, no web fonts from another host). */
Redoc.init(document.body.dataset.openapi, { hideDownloadButton: false }, document.getElementById('redoc'));
