/** Module boundaries of ARCHITECTURE.md, checked by `npm run check`. */
module.exports = {
  forbidden: [
    {
      name: 'modules-through-index',
      comment: 'A module reaches another module only through its index.ts.',
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/' },
      to: { path: '^server/modules/([^/]+)/(?!index\\.ts$)', pathNot: ['^server/modules/$1/', '^server/modules/deps\\.ts$'] },
    },
    {
      name: 'platform-does-not-know-modules',
      comment: 'Platform code is shared infrastructure; it never imports a module.',
      severity: 'error',
      from: { path: '^server/platform/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/modules/' },
    },
    {
      name: 'routes-do-not-touch-sql',
      comment: 'Routes validate and call the service; SQL lives in the repository.',
      severity: 'error',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'web-does-not-import-server',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^server/' },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: '^(server|web)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    exclude: { path: '(node_modules|web/dist)' },
  },
};
