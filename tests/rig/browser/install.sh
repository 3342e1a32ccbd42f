#!/usr/bin/env bash
# Installs the browser peer's npm packages into tests/rig/browser/ (idempotent; needs node + npm).
#   node_modules/  playwright-core (drives Debian's /usr/bin/chromium; never downloads a browser)
#                  and jquery 3.6.0 (lib-jitsi-meet reads it as the global `jquery`)
#   vendor/        @lyno/lib-jitsi-meet 2.6726.2, a real upstream build from 2021-12.
# lib-jitsi-meet is fetched with `npm pack` + tar, never `npm install`: its package.json
# has github: dependencies that npm would try (and fail, after minutes) to fetch, and the
# browser bundle needs none of them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

LJM_VERSION="2.6726.2"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_audit=false npm_config_fund=false \
       npm_config_update_notifier=false

stamp="node_modules/.treffpunkt-installed"
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    echo "rig: installing playwright-core and jquery"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$stamp"
fi

bundle="vendor/package/lib-jitsi-meet.min.js"
if [ ! -f "$bundle" ] || ! grep -q "\"version\": \"$LJM_VERSION\"" vendor/package/package.json; then
    echo "rig: fetching @lyno/lib-jitsi-meet@$LJM_VERSION (npm pack)"
    rm -rf vendor && mkdir -p vendor
    (cd vendor && npm pack --silent "@lyno/lib-jitsi-meet@$LJM_VERSION" >/dev/null \
        && tar xzf "lyno-lib-jitsi-meet-$LJM_VERSION.tgz" && rm -f "lyno-lib-jitsi-meet-$LJM_VERSION.tgz")
    [ -f "$bundle" ] || { echo "rig: $bundle missing after npm pack" >&2; exit 1; }
fi
