# Sourced by bin/* scripts: picks a JDK >= 21 and exports JAVA_HOME and JAVA.
# Order: $JAVA_HOME if it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm
# (or /Library/Java/JavaVirtualMachines on macOS). Fails with one clear sentence otherwise.

eyes_java_major() {
  # prints the feature version of the java binary $1 (e.g. 25), or nothing. The JDK's `release` file says it
  # without starting a JVM (which costs 0.1-0.3 s, on every start of every command); else ask java itself.
  local release major
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$major" ] && [ "$major" != 1 ]; then
      echo "$major"
      return 0
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

eyes_find_jdk() {
  local want=21 best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(eyes_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      export JAVA_HOME; JAVA="$JAVA_HOME/bin/java"; export JAVA; eyes_maven_opts "$major"; return 0
    fi
  fi
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    major=$(eyes_java_major "$home/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "eyes: no JDK 21 or newer found (checked JAVA_HOME and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk', or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"; JAVA="$best/bin/java"; export JAVA_HOME JAVA
  eyes_maven_opts "$best_major"
}

eyes_maven_opts() {
  # Maven 3.8's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every build. Quiet that.
  if [ "$1" -ge 24 ]; then
    case "${MAVEN_OPTS:-}" in
      *sun-misc-unsafe-memory-access*) ;;
      *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
    esac
  fi
  # Maven 3.8's console library writes colour resets (ESC[0m) even with -q -B; a quiet build prints nothing at all
  case "${MAVEN_OPTS:-}" in
    *jansi.noreset*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"; export MAVEN_OPTS ;;
  esac
}

eyes_java_version() {
  # prints the JDK's version (e.g. 25.0.3) from $1/release, without starting a JVM; nothing when unknown
  [ -r "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" | head -n 1
}
