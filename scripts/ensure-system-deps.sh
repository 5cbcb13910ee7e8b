#!/usr/bin/env bash
# Installs the Debian packages the tests, the demo and the benchmarks need, when missing:
#   chromium      headless browser that drives the real VS Code workbench (code-server) and the webview
#   libkrb5-dev   a native module of code-server compiles against gssapi.h
#   python3-scipy the baseline of the Chinchilla-fit benchmark
#   jq            the baseline of the JSONL ingest benchmark
# Needs root (or sudo). Idempotent and quiet when everything is present.
set -euo pipefail
pkgs=(chromium libkrb5-dev python3-scipy python3-numpy jq)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "[deps] installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
