import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Frameworks and I/O libraries that the pure layers must never import.
const FRAMEWORK_AND_IO = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'nats',
  '@nats-io/*',
  'ccxt',
  'ethers',
  'csv-parse',
  'csv-stringify',
  'commander',
  'cli-progress',
  // Tracing is a port in core (loop-tracer.port.ts); its OpenTelemetry side is an adapter.
  '@opentelemetry/*',
  'pino',
];
const NODE_BUILTINS = ['fs', 'node:*', 'path', 'os', 'http', 'https', 'net', 'child_process'];

export default [
  { ignores: ['node_modules/**', 'runs/**', '.cache/**', 'dist/**', 'bench/results/**', '.nx/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            {
              sourceTag: 'scope:contracts',
              onlyDependOnLibsWithTags: ['scope:contracts'],
              bannedExternalImports: FRAMEWORK_AND_IO,
            },
            {
              sourceTag: 'scope:core',
              onlyDependOnLibsWithTags: ['scope:contracts', 'scope:core'],
              bannedExternalImports: FRAMEWORK_AND_IO,
            },
            {
              sourceTag: 'scope:adapter',
              onlyDependOnLibsWithTags: ['scope:contracts', 'scope:core', 'scope:adapter'],
            },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // noUncheckedIndexedAccess is on; a non-null assertion after a length check is the honest spelling.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plain CommonJS entry points and tool configs.
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The pure layers do no I/O: no filesystem, network or process access.
    files: ['libs/core/**/*.ts', 'libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...NODE_BUILTINS, ...FRAMEWORK_AND_IO].map((group) => ({
            group: [group],
            message: 'libs/core and libs/contracts stay pure: no framework, no I/O',
          })),
        },
      ],
    },
  },
  prettier,
];
