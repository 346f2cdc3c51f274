#!/usr/bin/env bash
# Install code-server 4.100.3 (VS Code 1.100.3 in a browser) offline from npm, following
# /work/shared/recipes/code-server.md: @vscode/test-electron and @vscode/test-web would download
# VS Code from a host these machines cannot reach. Idempotent: a finished install is detected by
# a stamp file and the script returns at once. Prints the path of the code-server executable.
#
# Install location: $MINDGAP_CODE_SERVER_DIR, default ~/.cache/mindgap/code-server-4.100.3
# (outside the git tree, so git never sees its ~300 MB).
set -euo pipefail

version=4.100.3
install_dir="${MINDGAP_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mindgap/code-server-$version}"
stamp="$install_dir/.mindgap-installed"
executable="$install_dir/node_modules/.bin/code-server"

if [ -f "$stamp" ] && [ -x "$executable" ]; then
    echo "$executable"
    exit 0
fi

log() { echo "install-code-server: $*" >&2; }
for tool in node npm rg; do
    command -v "$tool" >/dev/null 2>&1 || { log "missing '$tool' (install node 20, npm and ripgrep first)"; exit 1; }
done

start=$(date +%s)
mkdir -p "$install_dir"
cd "$install_dir"
[ -f package.json ] || echo '{"name": "mindgap-code-server", "private": true}' > package.json

# node-pty's install script calls `npx node-gyp`: npx must not stop to ask.
export npm_config_yes=true

# 1. code-server itself.
log "npm install code-server@$version"
npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
    "code-server@$version" >&2
# 2. argon2's prebuilt download fails offline; it compiles instead.
log "rebuild argon2"
npm rebuild argon2 --foreground-scripts >&2

# 3. VS Code's own runtime dependencies, native modules compiled locally, Debian's ripgrep.
vscode_dir="$install_dir/node_modules/code-server/lib/vscode"
cd "$vscode_dir"
log "npm install in lib/vscode"
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
log "rebuild native modules of lib/vscode"
npm rebuild --foreground-scripts >&2

# 4. What code-server's own postinstall would do.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
log "npm install in lib/vscode/extensions"
(cd extensions && npm install --omit=dev --no-audit --no-fund --loglevel=error >&2)

# 5. The install works only if code-server reports the expected VS Code.
"$executable" --version | grep -q "^$version" || { log "code-server --version is not $version"; exit 1; }
touch "$stamp"
log "installed in $(( $(date +%s) - start )) s"
echo "$executable"
