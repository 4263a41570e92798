# Sourced by the interop scripts, which define `fail` first.

# Prints the HOST:PORT a server started in the background announces
# ("... listening on 127.0.0.1:PORT"), once it has; fails if the server
# exits first or stays silent for 30 s.
listening_addr() {
  local out=$1 pid=$2 addr
  for _ in $(seq 1 300); do
    addr=$(sed -n 's/^.* listening on \(127\.0\.0\.1:[0-9][0-9]*\)$/\1/p' "$out")
    if [ -n "$addr" ]; then
      echo "$addr"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "the server exited before listening: $(cat "$out")"
    sleep 0.1
  done
  fail "the server did not announce an address within 30 s: $(cat "$out")"
}
