/* Starts Swagger UI on /docs from this origin's assets (no inline script, no other host). */
window.ui = SwaggerUIBundle({
  url: document.body.dataset.openapi,
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
