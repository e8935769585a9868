// kubernetes-models (and what it imports) publish ESM under the "import" export condition only: resolve those
// packages with it (jest.preset.cjs transforms them to CommonJS); every other package resolves as before.
const esmExportsOnly = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex)(\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    esmExportsOnly.test(request) ? { ...options, conditions: ['import', 'default'] } : options,
  );
