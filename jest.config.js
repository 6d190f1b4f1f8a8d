// One jest config for the whole workspace; swc keeps start-up under a second.
const { compilerOptions } = require('./tsconfig.base.json');

// Workspace aliases only: other `paths` entries exist for type declarations alone.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths)
    .filter(([alias]) => alias.startsWith('@tightloop/'))
    .map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/tests'],
  testMatch: ['**/*.spec.ts'],
  // Decorator metadata for NestJS; services still name injection tokens explicitly so that
  // transpilers without metadata (tsx/esbuild, used by the CLI) run them too.
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      },
    ],
  },
  moduleNameMapper,
  testTimeout: 120000,
};
