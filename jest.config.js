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
  // NestJS 12 ships ES modules only; jest on Node 20 cannot require them, so swc turns
  // them (and only them, among dependencies) into CommonJS too.
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper,
  testTimeout: 120000,
};
