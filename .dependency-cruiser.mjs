// The import graph's rules, checked in `npm test` (`npm run check:imports`): backend and extension meet only in shared/,
// shared/ imports neither, production code never imports test support, and no module imports itself round a cycle.
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'backend-and-extension-meet-in-shared',
      comment: 'The extension talks to the backend over HTTP; what both use lives in shared/.',
      severity: 'error',
      // $1 is the side the import is from: the other side is forbidden, its own folder is not.
      from: { path: '^(backend|extension)/' },
      to: { path: '^(backend|extension)/', pathNot: '^$1/' },
    },
    {
      name: 'shared-imports-neither-side',
      comment: 'shared/ runs in the browser and in Node, for both sides.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(backend|extension|test|bench)/' },
    },
    {
      name: 'production-never-imports-test-support',
      comment: 'Test support (test/) is for tests and benchmarks only.',
      severity: 'error',
      from: { path: '^(backend|extension|shared)/', pathNot: '\\.test\\.tsx?$|\\.contract\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and the layers blur.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
