# Sourced by the Go scripts: checks the toolchain and builds the pinned
# tools (protoc-gen-go, staticcheck) from clients/go/tools/go.mod into
# clients/go/.bin, which go_tools_path puts first on PATH.
go_require() {
  command -v go >/dev/null || { echo "$0: go is required (Go 1.26 or newer)" >&2; exit 1; }
  local version
  version=$(go env GOVERSION)
  case "$version" in
    go1.2[6-9]*|go1.[3-9][0-9]*) ;;
    *) echo "$0: Go 1.26 or newer is required, found $version" >&2; exit 1 ;;
  esac
}

go_tools() {
  go_require
  (cd clients/go/tools && go build -o ../.bin/ \
    google.golang.org/protobuf/cmd/protoc-gen-go honnef.co/go/tools/cmd/staticcheck)
  export PATH="$PWD/clients/go/.bin:$PATH"
}

go_buf() {
  command -v npm >/dev/null || { echo "$0: npm is required for buf (Node 20+)" >&2; exit 1; }
  npm ci --prefix tools/buf --no-audit --no-fund --loglevel=error >/dev/null
  buf="$PWD/tools/buf/node_modules/.bin/buf"
}
