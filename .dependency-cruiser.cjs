/**
 * The layer rules (docs/architecture.md, "Layers and their rules"), checked by
 * `npm run layers`, which `npm test` runs after the linter.
 *
 * Layers, lowest first: domain → definitions → connectors → app (use cases over
 * ports) → adapters → lambdas (one entry file per Lambda) →
 * infra / local / web / cli. A layer imports only
 * layers below it. Each rule below forbids one kind of upward (or sideways)
 * import; its `comment` is what a violation prints.
 *
 * Paths are repository-relative. test/unit/architecture/layers.test.ts runs the
 * same rules on test/fixtures/layers-violation/ (with that folder as the base
 * directory) to show that they report a violation.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'nothing-imports-entry-files',
      comment:
        'lambdas/ holds only Lambda entry files (one per function id); nothing but tests imports them: shared ' +
        'code belongs in app/ (use cases), adapters/ (AWS, Lambda events) or domain/.',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^lambdas/' },
    },
    {
      name: 'use-cases-speak-no-aws',
      comment: 'app/ (use cases) works through ports; the AWS SDK belongs in adapters/aws.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: 'node_modules/@aws-sdk/' },
    },
    {
      name: 'domain-imports-only-domain',
      comment:
        'domain/ is pure: it imports only domain/ and npm packages (no definitions/, config/, connectors/, ' +
        'lambdas/ or anything that wires). Pass what it needs (a registry, a policy, today) in as arguments.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/', 'node_modules'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-circular-in-domain',
      comment: 'domain/ has no import cycles: split the shared part into a module both sides import.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^domain/', circular: true },
    },
    {
      name: 'definitions-import-only-definitions',
      comment:
        'definitions/ (routes, tables, buckets, functions, console roles) is the neutral layer every other ' +
        'layer reads: it imports only definitions/ and, for types, domain/.',
      severity: 'error',
      from: { path: '^definitions/' },
      to: { pathNot: ['^definitions/', '^domain/', 'node_modules'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'definitions-are-plain-data',
      comment:
        'definitions/ is plain data: no npm packages and no node built-ins (no aws-cdk-lib: local mode, the ' +
        'functions and the browser page read these files too).',
      severity: 'error',
      from: { path: '^definitions/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'core'] },
    },
    {
      name: 'connectors-and-use-cases-stay-below-handlers',
      comment:
        'connectors/, app/ (use cases) and adapters/ never import entry files (lambdas/), local/, infra/, web/ or cli/: ' +
        'what they need comes in as an argument (a client, a registry, a task log).',
      severity: 'error',
      from: { path: '^(connectors|app|adapters)/' },
      to: { path: '^(lambdas|local|infra|web|cli)/' },
    },
    {
      name: 'use-cases-know-no-adapters',
      comment:
        'app/ (use cases and ports) never imports adapters/: production and in-memory adapters are handed in, ' +
        'so a use case runs the same against DynamoDB and in a unit test.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^adapters/' },
    },
    {
      name: 'entry-files-stay-below-entry-points',
      comment:
        'lambdas/ (entry files) never import local/, infra/, web/ or cli/: the same code runs on AWS and ' +
        'locally, and local mode only changes endpoints.',
      severity: 'error',
      from: { path: '^lambdas/', pathNot: '^lambdas/ServeWebPages[.]ts$' },
      to: { path: '^(local|infra|web|cli)/' },
    },
    {
      name: 'page-server-stays-below-entry-points',
      comment:
        'lambdas/ServeWebPages.ts is the Lambda that serves the pages, so it (and only it) imports web/; like ' +
        'every entry file it never imports local/, infra/ or cli/.',
      severity: 'error',
      from: { path: '^lambdas/ServeWebPages[.]ts$' },
      to: { path: '^(local|infra|cli)/' },
    },
    {
      name: 'web-stays-below-entry-points',
      comment:
        'web/ (pages and browser code) never imports lambdas/, local/, infra/ or cli/: what it shares with ' +
        'the API (the role matrix, the route table) is in definitions/.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(lambdas|local|infra|cli)/' },
    },
    {
      name: 'infra-bundles-lambdas-by-path',
      comment:
        'infra/ never imports local/, cli/, web/ or lambdas/: it bundles each function from its entry path ' +
        'in definitions/functions.ts, so no handler code runs at synth.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(local|cli|web|lambdas)/' },
    },
    {
      name: 'production-never-imports-tests',
      comment:
        'Nothing outside test/ (and the benchmarks) imports test/: fixtures and builders stay with the tests.',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    // Type-only imports count: a domain type imported from a handler is still a dependency on it.
    tsPreCompilationDeps: true,
    // tsconfig `paths` resolve `dsar-store-registry` (the bundled registry) as tsc does.
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // The violation fixture breaks the rules on purpose; its test cruises it on its own.
    exclude: { path: '^(node_modules|cdk\\.out|\\.local|coverage|test/fixtures/layers-violation)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
