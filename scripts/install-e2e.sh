#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e) need, idempotently, without touching the project's node_modules:
#   - code-server 4.99.4 (VS Code 1.99.3; the newest code-server that runs on Node 20) into .cache/code-server/
#   - checks for Debian's chromium, ripgrep, the Kerberos headers and a C++ tool chain, and fails saying what to install.
#
#   bash scripts/install-e2e.sh            # prints the path of code-server's entry point on its last line
#
# Works offline except for the npm registry: code-server's native modules are compiled from source (their prebuilt
# binaries live on GitHub), against the Node headers in /usr/include/node, and @vscode/ripgrep's GitHub download is
# replaced by a tarball of Debian's /usr/bin/rg placed in its download cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=4.99.4
RIPGREP_PACKAGE=1.15.11            # @vscode/ripgrep in code-server 4.99.4's lib/vscode/npm-shrinkwrap.json
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
DEST="$ROOT/.cache/code-server"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"
STAMP="$DEST/installed-$VERSION"
APT="apt-get install -y chromium libkrb5-dev ripgrep"

missing=()
[ -x /usr/bin/chromium ] || missing+=("/usr/bin/chromium (package chromium)")
command -v rg >/dev/null || missing+=("rg (package ripgrep)")
if [ ! -f "$STAMP" ]; then
  command -v krb5-config >/dev/null || missing+=("krb5-config and the Kerberos headers (package libkrb5-dev)")
  for tool in make g++ python3; do command -v "$tool" >/dev/null || missing+=("$tool (package build-essential / python3)"); done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "The end-to-end tests need system packages that are missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Install them with: $APT build-essential python3" >&2
  exit 1
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "code-server $VERSION needs Node.js 20; this is Node.js $(node -v)." >&2
  exit 1
fi

if [ -f "$STAMP" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

echo "Installing code-server $VERSION into $DEST (compiles its native modules; a few minutes, once)…" >&2
rm -rf "$DEST"
mkdir -p "$DEST/tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE"
# @vscode/ripgrep downloads ripgrep from GitHub unless its cache (under $TMPDIR) has the asset: give it Debian's rg.
tar -C "$(dirname "$(command -v rg)")" -czf "$DEST/tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE/$RIPGREP_ASSET" rg
cat > "$DEST/package.json" <<EOF
{
  "private": true,
  "description": "code-server for the end-to-end tests, installed by scripts/install-e2e.sh",
  "dependencies": { "code-server": "$VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
# The native modules compile against the Node headers of the installed Node (Debian/NodeSource: /usr/include/node),
# since node-gyp cannot download them here. code-server's postinstall (npm install in lib/vscode, then in
# lib/vscode/extensions) refuses to run as root without unsafe-perm.
nodedir="${npm_config_nodedir:-}"
if [ -z "$nodedir" ]; then
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$node_prefix/include/node/common.gypi" ] && nodedir="$node_prefix"
fi
(
  cd "$DEST"
  env TMPDIR="$DEST/tmp" npm_config_yes=true ${nodedir:+npm_config_nodedir="$nodedir"} \
    npm install --unsafe-perm --foreground-scripts --no-audit --no-fund --no-package-lock >"$DEST/install.log" 2>&1
) || {
  echo "Installing code-server failed; the last lines of $DEST/install.log:" >&2
  tail -n 40 "$DEST/install.log" >&2
  exit 1
}
for built in \
  "$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" \
  "$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" \
  "$DEST/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node" \
  "$ENTRY"; do
  if [ ! -e "$built" ]; then
    echo "code-server's install finished but $built is missing; see $DEST/install.log" >&2
    exit 1
  fi
done
touch "$STAMP"
echo "$ENTRY"
