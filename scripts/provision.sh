#!/usr/bin/env bash
# Installs the system packages the full test suite needs (Debian): Chromium for browser tests,
# docker-registry + skopeo + umoci for the registry conformance suite, PostgreSQL 15 for the
# PostgreSQL integration run, zstd for cross-checking zstd blobs. Idempotent; needs root.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v umoci >/dev/null 2>&1 || need+=(umoci)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
# fonts so screenshots render text
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "provision: missing system packages: ${need[*]}" >&2
    echo "provision: install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 3
  fi
  echo "provision: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "provision: system packages ready" >&2
