# jdk.sh: find a JDK >= 21, and the JVM options every forkchat JVM needs. Sourced, not run.
# Written for any POSIX sh (dash, FreeBSD's sh, bash): scripts/lib/common.sh sources it for the
# source tree's launchers and scripts/test, and the distribution archive ships it as lib/jdk.sh
# for the installed launchers (bin/forkchatd, bin/forkchat) and install.sh, which have no
# Maven build. This is the one place that knows how to find a JDK.
#
# find_jdk sets JAVA (the java binary) and JAVA_FEATURE (17, 21, 25 …), and exports JAVA_HOME.
# ('local' is not POSIX, but dash, FreeBSD's sh, bash and busybox all have it.)
# shellcheck disable=SC3043

# java_probe BIN: runs BIN once and sets probe_version (its feature version: 17, 21, 25 …) and
# probe_home (its java.home). Both are empty when BIN does not run. java.home is the JDK's own
# directory with every symbolic link resolved, also when BIN is /usr/bin/java (alternatives) or
# FreeBSD's /usr/local/bin/java (the javavm wrapper script), so "$probe_home/bin/java" is the
# binary that really runs: the name FreeBSD's rc.subr sees as the daemon's procname.
java_probe() {
  local props
  probe_version='' probe_home=''
  props=$("$1" -XshowSettings:properties -version 2>&1) || return 0
  probe_version=$(printf '%s\n' "$props" |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  probe_home=$(printf '%s\n' "$props" | sed -n 's/^ *java\.home = //p' | head -n 1)
}

# java_feature BIN: the feature version of the JDK whose java is BIN, or nothing.
java_feature() {
  java_probe "$1"
  printf '%s\n' "$probe_version"
}

# find_jdk: JAVA_HOME if it is >= 21, else java on the PATH if it is, else the newest >= 21
# under /usr/lib/jvm (Linux) or /usr/local/openjdk* (FreeBSD). Fails with a message otherwise.
find_jdk() {
  local candidate best='' best_version=0
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)"; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then
      continue
    fi
    java_probe "$candidate"
    if [ -n "$probe_version" ] && [ "$probe_version" -ge 21 ] && [ -n "$probe_home" ]; then
      use_jdk "$probe_home" "$probe_version"
      return 0
    fi
  done
  for candidate in /usr/lib/jvm/*/bin/java /usr/local/openjdk*/bin/java; do
    [ -x "$candidate" ] || continue
    java_probe "$candidate"
    if [ -n "$probe_version" ] && [ "$probe_version" -ge 21 ] && [ "$probe_version" -gt "$best_version" ] \
        && [ -n "$probe_home" ]; then
      best=$probe_home best_version=$probe_version
    fi
  done
  if [ -z "$best" ]; then
    echo "forkchat: needs a JDK 21 or newer; set JAVA_HOME to one (found none in JAVA_HOME, PATH, /usr/lib/jvm, /usr/local/openjdk*)" >&2
    return 1
  fi
  use_jdk "$best" "$best_version"
}

# use_jdk HOME FEATURE: the JDK found.
use_jdk() {
  JAVA_HOME=$1
  JAVA="$1/bin/java"
  JAVA_FEATURE=$2
  export JAVA_HOME
}

# forkchat_jvm_options: the JVM options every forkchat JVM needs (jnr's native access; the JDK
# channel's fd), one a line. Needs JAVA (find_jdk).
forkchat_jvm_options() {
  local v="${JAVA_FEATURE:-}"
  [ -n "$v" ] || v=$(java_feature "$JAVA")
  printf '%s\n' --enable-native-access=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  [ "$v" -ge 24 ] && printf '%s\n' --sun-misc-unsafe-memory-access=allow
  return 0
}

# forkchatd_jvm_options ARGS...: forkchat_jvm_options and the daemon's own JVM's footprint
# options, for a daemon started with ARGS. The daemon JVM is the fork model's supervisor and the
# threaded builds' whole server; measured with 16 clients (forkchat-bench): supervisor 85 -> 56 MB
# PSS, threaded builds 120 -> 60 MB, same CPU.
# - the serial collector, starting from a 16 MB heap: G1 kept ~45 MB of collector structures and
#   touched 30 MB of heap for 11 MB of objects; the heap still grows to the JVM's default maximum
#   (FORKCHATD_JAVA_OPTS comes after these: -XX:-UseSerialGC -XX:+UseG1GC picks G1 again);
# - the JDK's class-data archive mapped where it was dumped (ArchiveRelocationMode=0): relocated
#   to a random address, its 11 MB are written to and private; mapped in place they are shared
#   with every worker, which maps the same archive (the workers have done so from the start);
# - on JDK 22+ a trim of the C heap every 5 s: the compilers leave tens of MB freed but kept by
#   glibc (measured: 115 -> 82 MB PSS with 10 workers);
# - for the fork model only, the quick compiler alone (TieredStopAtLevel=1): its supervisor
#   serves no chat (accept, hand-off, its workers' output), and C2's profiled code and
#   compiler memory were 6 to 7 MB of its 57 MB with 16 clients. The threaded builds serve every
#   client in this JVM and keep C2.
forkchatd_jvm_options() {
  local v="${JAVA_FEATURE:-}"
  [ -n "$v" ] || v=$(java_feature "$JAVA")
  forkchat_jvm_options
  printf '%s\n' -XX:+UseSerialGC -Xms16m -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0
  [ "$v" -ge 22 ] && printf '%s\n' -XX:TrimNativeHeapInterval=5000
  [ "$(daemon_model "$@")" = fork ] && printf '%s\n' -XX:TieredStopAtLevel=1
  return 0
}

# daemon_model ARGS...: the model forkchatd will run with ARGS, read as it reads them: the last
# "-c model=..." wins, then the last "model = ..." line of the --config file, then the default,
# fork; in lower case. (A file that cannot be read is forkchatd's to report; here it counts as none.)
daemon_model() {
  local dm_file='' dm_set=''
  while [ $# -gt 0 ]; do
    case $1 in
      --config) [ $# -ge 2 ] && { dm_file=$2; shift; } ;;
      --config=*) dm_file=${1#--config=} ;;
      -c) [ $# -ge 2 ] && { dm_model_of "$2"; shift; } ;;
      -c*) dm_model_of "${1#-c}" ;;
    esac
    shift
  done
  if [ -z "$dm_set" ] && [ -n "$dm_file" ] && [ -r "$dm_file" ]; then
    dm_set=$(sed -n 's/^[[:space:]]*model[[:space:]]*=[[:space:]]*\([^[:space:]]*\)[[:space:]]*$/\1/p' "$dm_file" | tail -n 1)
  fi
  printf '%s\n' "${dm_set:-fork}" | tr '[:upper:]' '[:lower:]' # forkchatd ignores the case too
}

# dm_model_of KEY=VALUE: remembers VALUE in dm_set when KEY is model.
dm_model_of() {
  case $1 in
    model=*|" model="*|"model "*=*) dm_set=$(printf '%s' "${1#*=}" | tr -d '[:space:]') ;;
  esac
}
