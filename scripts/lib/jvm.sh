# Sourced by the JVM scripts, which define `fail` first.

# Makes sure a JDK 17+ and Maven are on PATH: installs Debian's when missing
# and running as root (CI's fresh machine), else fails naming the package.
jvm_require() {
  if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >&2
    fi
  fi
  command -v javac >/dev/null || fail "a JDK (17) is required: apt-get install openjdk-17-jdk-headless"
  command -v mvn >/dev/null || fail "Maven is required: apt-get install maven"
  local major
  major=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
  [ "$major" -ge 17 ] || fail "JDK 17 or later is required, found javac $major"
}

# Builds the library and the demo tools (peer server, interop client,
# conformance runner, bench) without running tests, quietly, on stderr;
# nothing to do when no source or pom is newer than the last build.
jvm_build_tools() {
  local stamp=clients/jvm/chat-errors-demo/target/tools-built
  if [ -f "$stamp" ] && [ -z "$(find clients/jvm proto demo/proto \( -name '*.java' -o -name '*.proto' -o -name pom.xml \) \
    -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  # stdin stays with the caller: Maven would hand it to the code generator it runs.
  mvn -B -q -f clients/jvm/pom.xml -pl chat-errors-demo -am package -DskipTests </dev/null >&2
  touch "$stamp"
}

# The class path that runs the demo tools, once jvm_build_tools has run.
jvm_tools_classpath() {
  echo "$(cat clients/jvm/chat-errors-demo/target/classpath.txt):clients/jvm/chat-errors-demo/target/classes"
}
