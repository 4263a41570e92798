#!/usr/bin/env bash
# Checks the JVM client clients/jvm: `mvn -B verify` generates the Java code
# from proto/chat/errors/v1/chat_errors.proto (protoc comes from Maven
# Central as com.google.protobuf:protoc), builds Java 11 bytecode and runs
# the JUnit tests, every plugin and dependency pinned in the poms.
# Needs a JDK 17 and Maven 3.8 or later; on a fresh Debian machine, as root,
# it installs them with apt-get. Then conformance/check jvm (needs cargo).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-jvm: $*" >&2; exit 1; }

# shellcheck source=scripts/lib/jvm.sh
. scripts/lib/jvm.sh
jvm_require

mvn -B -q -f clients/jvm/pom.xml verify
# -q hides Surefire's counts; print them from its reports.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
tests = failures = skipped = 0
for path in glob.glob("clients/jvm/*/target/surefire-reports/TEST-*.xml"):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests"))
    failures += int(suite.get("failures")) + int(suite.get("errors"))
    skipped += int(suite.get("skipped"))
if tests == 0:
    raise SystemExit("check-jvm: no JUnit test ran")
print(f"{tests - failures - skipped} passed, {failures} failed")
if failures or skipped:
    raise SystemExit(1)
PY

# The JVM runner against the corpus and 20,000 fuzzed inputs, every kind:
# gRPC trailers and HTTP JSON bodies, negotiate and encode.
command -v cargo >/dev/null || fail "cargo is required for conformance/check"
conformance/check jvm
