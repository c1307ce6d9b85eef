/**
 * The structure `npm run check` enforces (dependency-cruiser). Type-only imports count
 * (`tsPreCompilationDeps`): an import circle through types still ties the modules together.
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circle, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'workflows-stay-deterministic',
      severity: 'error',
      comment:
        'Workflow code imports only workflow code, its contracts, pure domain modules and the ' +
        'Temporal workflow SDK: no Nest, no database, no activities.',
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', '^src/[^/]+/domain/', 'node_modules/@temporalio/(workflow|common)/'],
      },
    },
    {
      name: 'activities-see-workflows-through-contracts',
      severity: 'error',
      comment: 'Activities implement the contracts in workflows/contracts/, never a workflow module.',
      from: { path: '^activities/' },
      to: { path: '^workflows/', pathNot: '^workflows/contracts/' },
    },
    {
      name: 'src-does-not-import-activities',
      severity: 'error',
      comment:
        'Services know nothing of the activities that call them; only the worker factory, the ' +
        "worker's composition root, binds activities to services.",
      from: { path: '^src/', pathNot: '^src/temporal/worker\\.factory\\.ts$' },
      to: { path: '^activities/' },
    },
    {
      name: 'sdk-stands-alone',
      comment:
        "The SDK is a package of its own: it imports its own modules, Node's and the two libraries " +
        'its package.json lists, never the server.',
      severity: 'error',
      from: { path: '^sdk/' },
      to: {
        pathNot: ['^sdk/', 'node_modules/(openapi-fetch|openapi-typescript-helpers|standardwebhooks)/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'cli-talks-through-the-sdk',
      comment: 'The CLI is a client like any other: it reaches Tally through the SDK, never the server code.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^(src|workflows|activities)/' },
    },
    {
      name: 'dashboard-talks-through-the-sdk',
      comment:
        'The dashboard runs in the browser on the public API: it imports the SDK, never the server code.',
      severity: 'error',
      from: { path: '^dashboard/' },
      to: { path: '^(src|workflows|activities|cli)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
  },
};
