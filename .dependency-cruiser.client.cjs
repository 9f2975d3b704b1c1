/**
 * The dashboard (`npm run check:layers`; run over client/src) is built on its own: it may import client/ and npm
 * packages only, never the server (src/) or its tooling, except the settings type the server sends it
 * (src/dashboard/dashboard.settings.ts, a types-only module), so both sides read one definition. It shares the GraphQL schema with the server as a
 * file (schema/schema.graphql, read by codegen into client/src/gql), not through an import.
 * acorn parses here: dependency-cruiser 17 runs swc without JSX, so swc cannot read the .tsx components, and
 * acorn's loose mode still finds every import (type-only ones included) at the top of a TypeScript module.
 */
module.exports = {
  forbidden: [
    {
      name: 'client-only-client',
      comment: 'client/src may import client/ and npm packages only, never src/ or the server tooling',
      severity: 'error',
      from: { path: '^client/' },
      to: {
        pathNot: ['^client/', '^node_modules/', '^src/dashboard/dashboard[.]settings[.]ts$'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'no-cycle',
      comment: 'modules may not import each other in a cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import the check cannot resolve could hide a forbidden one',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'acorn',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'browser', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts', '.json'],
      mainFields: ['module', 'browser', 'main', 'types', 'typings'],
    },
  },
};
