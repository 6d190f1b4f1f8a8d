import * as nodeModule from 'node:module';

type LoadFn = (request: string, parent: null, isMain: boolean) => unknown;

/**
 * Loads a package with Node's own loader instead of jest's. PGlite's CommonJS build calls
 * `import()` (for fs, zlib, node:module), which jest's module sandbox rejects unless node
 * runs with --experimental-vm-modules, and jest leaves node_modules untranspiled. Specs
 * that open PGlite mock its modules with this:
 *   jest.mock('@electric-sql/pglite', () => requireOutsideJest('@electric-sql/pglite'))
 * Production code (node, tsx) loads PGlite normally; only the test sandbox needs this.
 */
export function requireOutsideJest(id: string): unknown {
  // jest replaces `module` with its own, but keeps Node's Module class (and its loader)
  // underneath; the path still comes from jest's resolver, which honours package exports.
  const { Module } = nodeModule as unknown as { Module: { _load: LoadFn } };
  return Module._load(require.resolve(id), null, false);
}
