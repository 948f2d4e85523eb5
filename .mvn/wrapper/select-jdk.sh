# Sourced by ./mvnw before it starts Maven. POSIX sh.
#
# Janela targets Java 21. Many machines have an older default `java` and a newer JDK installed beside it
# (here: OpenJDK 17 on the PATH, Temurin 25 under /usr/lib/jvm). So that nobody has to export JAVA_HOME by
# hand, this picks a JDK 21+ when the one Maven would use is older:
#   1. JAVA_HOME, or else the `java` on the PATH, when it is 21 or newer: used as is;
#   2. otherwise the newest JDK 21+ found in the usual install folders (Linux packages, macOS, SDKMAN,
#      IntelliJ, asdf): exported as JAVA_HOME, with one line on stderr saying so;
#   3. otherwise a clear error and exit 1.
# Set JANELA_JDK_SELECT=off to skip all of this.

janela_required_jdk=21

# Prints the major version of the JDK in folder $1, or nothing.
janela_jdk_major() {
  if [ -r "$1/release" ]; then
    janela_v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  elif [ -x "$1/bin/java" ]; then
    janela_v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  else
    return 0
  fi
  case "$janela_v" in
  1.*) janela_v=${janela_v#1.} ;;
  esac
  printf '%s\n' "${janela_v%%[!0-9]*}"
}

# The JDK home of the `java` on the PATH (its bin/java resolved through symlinks), or nothing.
janela_path_jdk() {
  janela_java=$(command -v java 2>/dev/null) || return 0
  if command -v readlink >/dev/null 2>&1; then
    janela_java=$(readlink -f "$janela_java" 2>/dev/null || printf '%s' "$janela_java")
  fi
  printf '%s\n' "${janela_java%/bin/java}"
}

janela_select_jdk() {
  [ "${JANELA_JDK_SELECT-}" != off ] || return 0
  janela_current=${JAVA_HOME:-$(janela_path_jdk)}
  if [ -n "$janela_current" ]; then
    janela_major=$(janela_jdk_major "$janela_current")
    if [ -n "$janela_major" ] && [ "$janela_major" -ge "$janela_required_jdk" ]; then
      return 0
    fi
  fi

  janela_best=""
  janela_best_major=0
  set +f # mvnw runs with globbing off; the candidate folders need it
  for janela_dir in \
    /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home \
    "${HOME-}"/.sdkman/candidates/java/* "${HOME-}"/.jdks/* "${HOME-}"/.asdf/installs/java/*; do
    [ -x "$janela_dir/bin/javac" ] || continue
    janela_major=$(janela_jdk_major "$janela_dir")
    [ -n "$janela_major" ] || continue
    if [ "$janela_major" -ge "$janela_required_jdk" ] && [ "$janela_major" -gt "$janela_best_major" ]; then
      janela_best=$janela_dir
      janela_best_major=$janela_major
    fi
  done
  set -f

  if [ -z "$janela_best" ]; then
    echo "mvnw: Janela needs a JDK $janela_required_jdk or newer; found ${janela_current:-no JDK} (Java ${janela_major:-?})." >&2
    echo "mvnw: install one (for example Temurin 21) or point JAVA_HOME at it." >&2
    exit 1
  fi
  echo "mvnw: using JDK $janela_best_major at $janela_best (the default java is older than $janela_required_jdk)" >&2
  JAVA_HOME=$janela_best
  export JAVA_HOME
}

# JDK 24+ warns when Kafka's log segments (a broker in Maven's JVM: the local stack) use sun.misc.Unsafe; JDK 21
# does not know the flag that allows it, so it is added only where it exists.
janela_allow_unsafe_memory_access() {
  janela_home=${JAVA_HOME:-$(janela_path_jdk)}
  janela_major=$(janela_jdk_major "$janela_home")
  if [ -n "$janela_major" ] && [ "$janela_major" -ge 24 ]; then
    case "${MAVEN_OPTS-}" in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
    esac
  fi
}

janela_select_jdk
janela_allow_unsafe_memory_access
