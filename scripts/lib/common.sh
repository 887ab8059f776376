# Shared by forkchat's launchers: find a JDK >= 21 and make sure the build is current.
# Sourced, not run. Sets FORKCHAT_HOME, JAVA, JAVA_HOME.

FORKCHAT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# java_feature BIN: the JDK's feature version (17, 21, 25 …), or nothing if it does not run.
java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# find_jdk: JAVA_HOME if it is >= 21, else java on the PATH if it is, else the newest under
# /usr/lib/jvm (Linux) or /usr/local/openjdk* (FreeBSD).
find_jdk() {
  local candidate v
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    v=$(java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      JAVA=$(readlink -f "$candidate")
      JAVA_HOME=$(dirname "$(dirname "$JAVA")")
      export JAVA_HOME
      return 0
    fi
  done
  local best="" best_v=0
  for candidate in /usr/lib/jvm/*/bin/java /usr/local/openjdk*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$(java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then
      best=$candidate best_v=$v
    fi
  done
  if [ -z "$best" ]; then
    echo "forkchat: needs a JDK 21 or newer; set JAVA_HOME to one (found none in JAVA_HOME, PATH, /usr/lib/jvm, /usr/local/openjdk*)" >&2
    return 1
  fi
  JAVA=$(readlink -f "$best")
  JAVA_HOME=$(dirname "$(dirname "$JAVA")")
  export JAVA_HOME
}

# ensure_built: runs 'mvn package' (without tests) when the jars are missing or older than
# any source file or pom.
ensure_built() {
  local jar="$FORKCHAT_HOME/daemon/target/forkchat-daemon.jar"
  if [ -f "$jar" ] && [ -z "$(find "$FORKCHAT_HOME" -path "$FORKCHAT_HOME/.git" -prune -o \
        \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "forkchat: the project is not built and Maven (mvn) is not installed" >&2
    return 1
  fi
  echo "forkchat: building (mvn package) ..." >&2
  (cd "$FORKCHAT_HOME" && maven_quietly && mvn -q -B -DskipTests package) >&2
}

# Maven 3.8's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every build.
maven_quietly() {
  if [ "$(java_feature "$JAVA")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

# The JVM options every forkchat JVM needs (jnr's native access; the JDK channel's fd).
forkchat_jvm_options() {
  local v
  v=$(java_feature "$JAVA")
  printf '%s\n' --enable-native-access=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  [ "$v" -ge 24 ] && printf '%s\n' --sun-misc-unsafe-memory-access=allow
  return 0
}

forkchat_classpath() {
  echo "$FORKCHAT_HOME/daemon/target/forkchat-daemon.jar:$FORKCHAT_HOME/daemon/target/lib/*"
}
