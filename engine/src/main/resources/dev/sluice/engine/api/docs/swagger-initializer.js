// Starts swagger-ui on the server's own API description (a file, not an inline script: the
// Content-Security-Policy allows no inline script). "Authorize" takes the server's token.
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    // "Try it out" is a Sluice client: the server refuses a body-less POST without this header
    requestInterceptor: (request) => { request.headers['X-Sluice-Request'] = '1'; return request; },
  });
});
