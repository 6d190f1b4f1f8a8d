#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step); tsx resolves the workspace path aliases.
const path = require('node:path');

process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', 'tsconfig.base.json');
require('tsx/cjs');
require('../apps/cli/src/main.ts');
