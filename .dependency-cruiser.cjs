/**
 * The server's layers (`npm run check:layers`; run over src, test, bench and scripts). Top to bottom; a module
 * may import its own folder, and folders of lower layers, only. Folders sharing a layer do not import each
 * other. src/domain (pure rules, no I/O) sits under the storage, configuration and HTTP helpers, which apply
 * its rules; src/errors (the error code catalogue) is the very bottom: every layer may use it, it imports nothing
 * from src. test/, bench/ and scripts/ may import anything in src/; src/ never imports them.
 * The dashboard (client/src) has its own check: .dependency-cruiser.client.cjs.
 */
const LAYERS = [
  ['main.ts'],
  ['app'],
  ['ops'],
  ['graphql', 'ingest', 'dashboard', 'legacy-socket'],
  ['resolvers'],
  ['writes', 'streams', 'dispatch'],
  ['events', 'auth', 'limits', 'uploads', 'alerts'],
  ['models', 'config', 'http', 'infra'],
  ['domain'],
  ['errors'],
];

const pathOf = (name) => (name.endsWith('.ts') ? `^src/${name.replace(/\./g, '\\.')}$` : `^src/${name}/`);
const anyOf = (names) => names.map(pathOf);
const label = (names) => names.map((name) => `src/${name}`).join(', ');

const upLayerRules = LAYERS.slice(1).map((layer, index) => {
  const above = LAYERS.slice(0, index + 1).flat();
  return {
    name: `layer-up:${layer.join('+')}`,
    comment: `${label(layer)} may not import a higher layer (${label(above)})`,
    severity: 'error',
    from: { path: anyOf(layer) },
    to: { path: anyOf(above) },
  };
});

const sameLayerRules = LAYERS.filter((layer) => layer.length > 1).map((layer) => ({
  name: `layer-sibling:${layer.join('+')}`,
  comment: `${label(layer)} share a layer and may not import each other`,
  severity: 'error',
  from: { path: `^src/(${layer.join('|')})/` },
  to: { path: `^src/(${layer.join('|')})/`, pathNot: '^src/$1/' },
}));

const layered = anyOf(LAYERS.flat());

module.exports = {
  forbidden: [
    ...upLayerRules,
    ...sameLayerRules,
    {
      name: 'layer-unknown',
      comment: 'every module of src/ belongs to a layer: add a new folder to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: layered },
    },
    {
      name: 'layer-unknown-importer',
      comment: 'every module of src/ belongs to a layer: add a new folder to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: layered },
      to: {},
    },
    {
      name: 'src-not-to-tooling',
      comment: 'src/ may not import test/, bench/, scripts/ or the dashboard (client/)',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts|client|dist)/' },
    },
    {
      name: 'no-cycle',
      comment: 'modules may not import each other in a cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'folders may not depend on each other in a cycle',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import the check cannot resolve could hide a layer violation',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript compiler API, so swc parses; with tsPreCompilationDeps `import type` counts.
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
