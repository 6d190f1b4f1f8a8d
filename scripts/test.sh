#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs dependencies when missing, starts NATS
# and PostgreSQL when they are not running, then typecheck, lint, format check and every
# jest tier. Real-data tests run when
# TIGHTLOOP_DATA_DIR is set, or when ../shared/data sits beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

# Exactly the locked versions. Should a registry lack a build the lock file names (npm ci
# then refuses), `npm install` still keeps the locked versions of everything else.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || {
    echo "test.sh: npm ci failed; falling back to npm install" >&2
    npm install --no-audit --no-fund
  }
fi

if [ -z "${TIGHTLOOP_DATA_DIR:-}" ] && [ -d ../shared/data ]; then
  TIGHTLOOP_DATA_DIR="$(cd ../shared/data && pwd)"
fi
export TIGHTLOOP_DATA_DIR="${TIGHTLOOP_DATA_DIR:-}"
[ -n "$TIGHTLOOP_DATA_DIR" ] || echo "note: no market data found (set TIGHTLOOP_DATA_DIR); real-data tests will be skipped" >&2

# Integration tests need real NATS (JetStream) and PostgreSQL on loopback.
bash scripts/ensure-services.sh

export NX_DAEMON=false
npm run -s typecheck
npm run -s lint
npm run -s format:check
npx jest --ci "$@"
