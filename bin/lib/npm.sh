# Sourced by bin/test: installs the npm tools the tests drive (src/test/npm/package.json, exact versions in its
# package-lock.json) into .cache/npm, once; again only when the lock changes. Today that is the MCP inspector
# (@modelcontextprotocol/inspector), whose --cli mode is the MCP client "no one here wrote" in McpInspectorTest.

# eyes_npm_tools ROOT: prints the bin directory of the installed tools; fails, saying why, when they cannot be
# installed (no npm, registry unreachable).
eyes_npm_tools() {
  local root="$1" src="$1/src/test/npm" dir="$1/.cache/npm"
  if [ -x "$dir/node_modules/.bin/mcp-inspector" ] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
    echo "$dir/node_modules/.bin"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "eyes: node and npm are needed for the MCP inspector test (install Node.js 20 or newer)" >&2
    return 1
  fi
  echo "eyes: installing the npm test tools ($(sed -n 's/.*"\(@modelcontextprotocol\/inspector\)": "\(.*\)".*/\1@\2/p' "$src/package.json")) into $dir" >&2
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  # --ignore-scripts: the inspector's postinstall only fetches its web UI; the CLI needs nothing from it
  if ! (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2; then
    rm -f "$dir/package-lock.json"
    echo "eyes: npm could not install the test tools (is the npm registry reachable?)" >&2
    return 1
  fi
  echo "$dir/node_modules/.bin"
}
