/**
 * The shape of the imports between folders (`npm run check:deps`). docs/ARCHITECTURE.md §1 explains the layers;
 * these rules keep them: no folder imports a folder that imports it back, the shared vocabulary never reaches
 * into the server, and routes and services leave the SQL to repositories.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'Two folders import each other, directly or around a loop. Move the helper to the folder that owns it ' +
        '(docs/ARCHITECTURE.md §1 lists who may import whom): vocabulary shared with the web to src/contract, ' +
        'record-standard facts to src/standard, HTTP plumbing to src/server/http, web pieces every domain uses to ' +
        'src/web/shared, a page that gathers several domains to src/web/app.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'shared-not-to-server',
      severity: 'error',
      comment: 'The web, src/contract and src/standard stand alone: shared types and rules live in src/contract or src/standard.',
      from: { path: '^src/(web|contract|standard)/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'routes-not-to-drizzle',
      severity: 'error',
      comment: 'Routes files hold HTTP concerns; queries belong in the domain repository.',
      from: { path: '^src/server/.+[.]routes[.]ts$' },
      to: { path: '^drizzle-orm($|/)|node_modules/drizzle-orm/|^src/server/db/(schema|tables/)' },
    },
    {
      name: 'services-not-to-drizzle',
      severity: 'error',
      comment: 'Services decide and hold transactions; queries belong in the domain repository.',
      from: { path: '^src/server/.+[.]service[.]ts$' },
      to: { path: '^drizzle-orm($|/)|node_modules/drizzle-orm/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests are left out: every domain's tests use the harness in src/server/test, which builds its fixtures with
    // the domains' own services, so counting them would make each tested folder a loop with the harness.
    // (eslint's no-restricted-imports still keeps web, contract and standard tests away from the server.)
    exclude: { path: ['^src/server/db/migrations/', '[.]test[.]tsx?$', '^src/server/test/'] },
    // Type-only imports are dependencies too: a folder that needs another's types depends on it.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
