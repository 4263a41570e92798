# Sourced by the scripts that run Node.js, which define `fail` first.

# Fails unless node (20 or later), npm and cargo are on PATH.
require_node_and_cargo() {
  command -v node >/dev/null || fail "node is required (Node.js 20 or later)"
  command -v npm >/dev/null || fail "npm is required"
  command -v cargo >/dev/null || fail "cargo is required"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || fail "Node.js 20 or later is required, found $(node --version)"
}

# Installs DIR's packages from its package-lock.json with `npm ci`, then
# prints the locked version of each PACKAGE named.
npm_ci_and_show_pins() {
  local dir=$1
  shift
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  node -e 'const [lockfile, ...names] = process.argv.slice(1);
    const lock = require(require("path").resolve(lockfile)).packages;
    console.log(names.map((name) => `${name}@${lock["node_modules/" + name].version}`).join(" "))' \
    "$dir/package-lock.json" "$@"
}

# Prints the workspace's cargo target directory.
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))'
}
