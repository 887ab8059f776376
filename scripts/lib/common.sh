# Shared by forkchat's launchers: find a JDK >= 21 and make sure the build is current.
# Sourced, not run. Sets FORKCHAT_HOME, JAVA, JAVA_HOME.

FORKCHAT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Finding the JDK (find_jdk, java_feature, forkchat_jvm_options) is shared with the launchers
# installed from the distribution archive, which have no Maven build: it lives in jdk.sh.
. "$(dirname "${BASH_SOURCE[0]}")/jdk.sh"

# ensure_built: runs 'mvn package' (without tests) when the jars are missing or older than
# any source file or pom.
ensure_built() {
  local jar="$FORKCHAT_HOME/daemon/target/forkchat-daemon.jar"
  local client_jar="$FORKCHAT_HOME/client/target/forkchat-client.jar"
  # The older of the two jars is the one the sources must not be newer than.
  [ -f "$client_jar" ] && [ "$client_jar" -ot "$jar" ] && jar=$client_jar
  if [ -f "$jar" ] && [ -f "$client_jar" ] && [ -z "$(find "$FORKCHAT_HOME" -path "$FORKCHAT_HOME/.git" -prune -o \
        \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "forkchat: the project is not built and Maven (mvn) is not installed" >&2
    return 1
  fi
  echo "forkchat: building (mvn package) ..." >&2
  (cd "$FORKCHAT_HOME" && maven_quietly && mvn -q -B -DskipTests package) >&2
  # Maven leaves a module's jar untouched when its own classes did not change: mark both jars
  # as built now, or a change in another module would make every launch build again.
  touch "$FORKCHAT_HOME/daemon/target/forkchat-daemon.jar" "$client_jar"
}

# Maven 3.8's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every build.
maven_quietly() {
  if [ "$(java_feature "$JAVA")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

forkchat_classpath() {
  echo "$FORKCHAT_HOME/daemon/target/forkchat-daemon.jar:$FORKCHAT_HOME/daemon/target/lib/*"
}

# The client's class path (scripts/forkchat): its jar and its runtime dependencies.
client_classpath() {
  echo "$FORKCHAT_HOME/client/target/forkchat-client.jar:$FORKCHAT_HOME/client/target/lib/*"
}
