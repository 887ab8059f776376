#!/bin/sh
# install.sh: install forkchat from its distribution archive as a service, on Linux (systemd)
# or FreeBSD (rc.d), and say each thing it does. Run as root; safe to run again (an upgrade
# replaces the program files and the service file, never the config file).
#
#   install.sh [options] [ARCHIVE.tar.gz | DIRECTORY]
#
# The archive (or its unpacked directory) defaults to the directory this script is in when it
# is an unpacked archive, else to dist/target/forkchat-*.tar.gz of the source tree it is in
# (build it there with scripts/test -DskipTests: Maven with a JDK >= 21, no tests).
#
#                    Linux (systemd)                      FreeBSD (rc.d)
#   program files    /opt/forkchat                        /usr/local/forkchat
#   commands         /usr/local/bin/forkchatd, forkchat   the same
#   config           /etc/forkchat/forkchatd.conf         /usr/local/etc/forkchat/forkchatd.conf
#   state_dir        /var/lib/forkchat                    /var/db/forkchat
#   runtime_dir      /run/forkchat                        /var/run/forkchat
#   service          /etc/systemd/system/forkchatd.service /usr/local/etc/rc.d/forkchatd
#   user and group   forkchat (system account, no login shell)
#
# Options:
#   --prefix DIR   install the program files in DIR instead
#   --root DIR     install into DIR as if it were / (a system image, a jail, a test): creates no
#                  user, changes no owner, starts nothing (--enable only enables)
#   --enable       also enable the service and start it (systemctl enable --now / sysrc + service)
#   --dry-run      say what would be done, change nothing
#   --os linux|freebsd   the target system (default: from uname -s)
set -eu

me=install.sh
say() { printf '%s: %s\n' "$me" "$*"; }
die() { printf '%s: %s\n' "$me" "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

prefix='' root='' enable=0 dry_run=0 os='' source=''
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; root=$2; shift 2 ;;
    --root=*) root=${1#*=}; shift ;;
    --os) [ $# -ge 2 ] || die "--os needs linux or freebsd"; os=$2; shift 2 ;;
    --os=*) os=${1#*=}; shift ;;
    --enable) enable=1; shift ;;
    --dry-run|-n) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$source" ] || die "one archive or directory only"; source=$1; shift ;;
  esac
done

# quoted ARG...: the words, quoted where a shell would need it (for saying what is run).
quoted() {
  out=''
  for word in "$@"; do
    case $word in
      ''|*[!A-Za-z0-9_./:=@%+,-]*) word="'$(printf '%s' "$word" | sed "s/'/'\\\\''/g")'" ;;
    esac
    out="$out${out:+ }$word"
  done
  printf '%s' "$out"
}

# run CMD ARG...: says it and, unless --dry-run, does it.
run() {
  if [ "$dry_run" = 1 ]; then
    say "would run: $(quoted "$@")"
  else
    say "run: $(quoted "$@")"
    "$@"
  fi
}

# --- the target system -------------------------------------------------------------------------
[ -n "$os" ] || os=$(uname -s)
case $os in
  Linux|linux)
    os=linux
    default_prefix=/opt/forkchat
    etc_dir=/etc/forkchat
    state_dir=/var/lib/forkchat
    runtime_dir=/run/forkchat
    service_file=/etc/systemd/system/forkchatd.service
    ;;
  FreeBSD|freebsd)
    os=freebsd
    default_prefix=/usr/local/forkchat
    etc_dir=/usr/local/etc/forkchat
    state_dir=/var/db/forkchat
    runtime_dir=/var/run/forkchat
    service_file=/usr/local/etc/rc.d/forkchatd
    ;;
  *) die "$os is not supported: forkchat installs on Linux (systemd) and FreeBSD (rc.d)" ;;
esac
user=forkchat group=forkchat
bin_dir=/usr/local/bin
config=$etc_dir/forkchatd.conf
[ -n "$prefix" ] || prefix=$default_prefix
case $prefix in /*) ;; *) die "--prefix must be an absolute path: $prefix" ;; esac
prefix=${prefix%/}
if [ -n "$root" ]; then
  case $root in /*) ;; *) root=$(pwd)/$root ;; esac
  root=${root%/}
fi
if [ "$dry_run" = 0 ] && [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
  die "run as root (or try --dry-run, or --root DIR)"
fi
[ "$dry_run" = 1 ] && say "dry run: nothing will be changed"
say "installing for $os${root:+ into $root (as its /)}"

work=$(mktemp -d "${TMPDIR:-/tmp}/forkchat-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM PIPE # so that the EXIT trap cleans up on a signal too

# --- the archive -------------------------------------------------------------------------------
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$source" ]; then
  if [ -f "$here/bin/forkchatd" ] && [ -f "$here/lib/jdk.sh" ]; then
    source=$here
  else
    for candidate in "$(cd "$here/.." && pwd)"/dist/target/forkchat-*.tar.gz; do
      [ -f "$candidate" ] && source=$candidate
    done
    [ -n "$source" ] || die "no archive: build it (scripts/test -DskipTests) or name it"
  fi
fi
if [ -d "$source" ]; then
  src=$(cd "$source" && pwd)
else
  [ -f "$source" ] || die "$source: no such archive or directory"
  say "unpacking $source (into a temporary directory)"
  tar -xzf "$source" -C "$work"
  src=''
  for candidate in "$work"/forkchat-*; do
    [ -d "$candidate" ] && src=$candidate
  done
  [ -n "$src" ] || die "$source does not hold a forkchat-VERSION directory"
fi
for f in bin/forkchatd bin/forkchat lib/jdk.sh etc/forkchatd.conf share/systemd/forkchatd.service share/rc.d/forkchatd; do
  [ -f "$src/$f" ] || die "$source is not a forkchat archive (no $f)"
done
version=${src##*/forkchat-}
[ "$version" != "$src" ] || version=unknown
say "forkchat $version from $source"

# --- a JDK (on this machine) ---------------------------------------------------------------------
# The same search the launchers do at every start.
. "$src/lib/jdk.sh"
if jdk=$(find_jdk 2>/dev/null && printf '%s' "$JAVA_HOME"); then
  say "JDK >= 21 found: $jdk (the launchers look again at every start)"
else
  jdk=''
  case $os in
    linux) hint="apt install openjdk-21-jre-headless, dnf install java-21-openjdk-headless, or any JDK >= 21 in /usr/lib/jvm" ;;
    freebsd) hint="pkg install openjdk21" ;;
  esac
  say "warning: no JDK >= 21 found; forkchatd will not start without one ($hint)"
fi

# --- user and group ----------------------------------------------------------------------------
if [ -n "$root" ]; then
  say "--root: not creating user $user and group $group; the target system needs them"
elif [ "$os" = linux ]; then
  if getent group "$group" >/dev/null; then
    say "group $group exists"
  else
    run groupadd --system "$group"
  fi
  if getent passwd "$user" >/dev/null; then
    say "user $user exists"
  else
    run useradd --system --gid "$group" --home-dir "$state_dir" --no-create-home \
      --shell /usr/sbin/nologin --comment "forkchat IRC daemon" "$user"
  fi
else
  if pw groupshow "$group" >/dev/null 2>&1; then
    say "group $group exists"
  else
    run pw groupadd "$group"
  fi
  if pw usershow "$user" >/dev/null 2>&1; then
    say "user $user exists"
  else
    run pw useradd "$user" -g "$group" -d "$state_dir" -s /usr/sbin/nologin -c "forkchat IRC daemon"
  fi
fi

# --- program files -----------------------------------------------------------------------------
# Installed whole into DIR.new, then swapped for DIR: no jar of an older version stays in lib/
# (the launchers put every jar there on the class path).
dest=$root$prefix
upgrade=0
if [ -e "$dest" ]; then
  if [ -f "$dest/bin/forkchatd" ] && [ -f "$dest/lib/jdk.sh" ]; then
    say "$prefix holds a forkchat installation: replacing it"
    upgrade=1
  elif [ -d "$dest" ] && [ -z "$(ls -A "$dest")" ]; then
    :
  else
    die "refusing to replace $dest: it is not a forkchat installation (no bin/forkchatd, lib/jdk.sh)"
  fi
fi
say "installing the program files into $prefix"
run mkdir -p "$(dirname "$dest")"
run rm -rf "$dest.new" "$dest.old"
run cp -R "$src" "$dest.new"
run chmod -R u=rwX,go=rX "$dest.new"
if [ -e "$dest" ]; then
  run mv "$dest" "$dest.old"
fi
run mv "$dest.new" "$dest"
run rm -rf "$dest.old"
# A running forkchatd starts each new worker JVM from the jars it was started with, which were
# just replaced: it must be restarted before it can serve new connections reliably.
if [ "$upgrade" = 1 ] && [ -z "$root" ]; then
  case $os in
    linux) systemctl is-active --quiet forkchatd.service 2>/dev/null && running="systemctl restart forkchatd" ;;
    freebsd) service forkchatd status >/dev/null 2>&1 && running="service forkchatd restart" ;;
  esac
  if [ -n "${running:-}" ]; then
    say "warning: forkchatd is running the previous installation: restart it now ($running)"
  fi
fi

# --- commands in /usr/local/bin ------------------------------------------------------------------
run mkdir -p "$root$bin_dir"
for cmd in forkchatd forkchat; do
  link=$root$bin_dir/$cmd
  target=$prefix/bin/$cmd
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then
    say "$bin_dir/$cmd -> $target exists"
  elif [ -e "$link" ] && [ ! -L "$link" ]; then
    say "warning: $bin_dir/$cmd exists and is not a symbolic link: left alone (run $target)"
  else
    run ln -sf "$target" "$link"
  fi
done

# --- config file -------------------------------------------------------------------------------
# Written once, from the archive's etc/forkchatd.conf (every setting, commented, at its default)
# with state_dir and runtime_dir set for the service; an existing one is the admin's and stays.
run mkdir -p "$root$etc_dir"
if [ -e "$root$config" ]; then
  say "keeping $config (it is yours; every setting and default of $version: $prefix/etc/forkchatd.conf)"
else
  {
    printf '# Written by install.sh (forkchat %s) for %s; every other setting is at its default.\n' "$version" "$os"
    sed -e "s|^#state_dir = .*|state_dir = $state_dir|" -e "s|^#runtime_dir = .*|runtime_dir = $runtime_dir|" \
      "$src/etc/forkchatd.conf"
  } >"$work/forkchatd.conf"
  grep -q "^state_dir = $state_dir\$" "$work/forkchatd.conf" || printf 'state_dir = %s\n' "$state_dir" >>"$work/forkchatd.conf"
  grep -q "^runtime_dir = $runtime_dir\$" "$work/forkchatd.conf" || printf 'runtime_dir = %s\n' "$runtime_dir" >>"$work/forkchatd.conf"
  say "writing $config with state_dir = $state_dir, runtime_dir = $runtime_dir"
  run install -m 0640 "$work/forkchatd.conf" "$root$config"
  # forkchatd reads it as $user; nobody else needs to (it may hold passwords one day).
  [ -n "$root" ] || run chgrp "$group" "$config"
fi
if [ -n "$jdk" ] && [ "$dry_run" = 0 ]; then
  if "$dest/bin/forkchatd" check-config "$root$config" >/dev/null 2>"$work/check.err"; then
    say "check-config $config: ok"
  else
    say "warning: forkchatd $version refuses $config: $(cat "$work/check.err")"
  fi
fi

# --- state directory -----------------------------------------------------------------------------
# the message log (log/) lives here. The runtime directory ($runtime_dir) is made at every start, by
# systemd (RuntimeDirectory=) or by the rc.d script, since /run is emptied at boot.
if [ -d "$root$state_dir" ]; then
  say "$state_dir exists (kept as it is)"
elif [ -n "$root" ]; then
  run install -d -m 0700 "$root$state_dir"
else
  run install -d -o "$user" -g "$group" -m 0700 "$state_dir"
fi

# --- service file --------------------------------------------------------------------------------
if [ "$os" = linux ]; then
  sed -e "s|/opt/forkchat/|$prefix/|g" "$src/share/systemd/forkchatd.service" >"$work/service"
  mode=0644
else
  sed -e "s|^: \${forkchatd_home:=.*}|: \${forkchatd_home:=$prefix}|" "$src/share/rc.d/forkchatd" >"$work/service"
  # The rc.d script names the JDK (rc.subr matches the daemon's process against its java).
  if [ -n "$jdk" ] && [ -z "$root" ]; then
    sed -e "s|^: \${forkchatd_java_home:=.*}|: \${forkchatd_java_home:=$jdk}|" "$work/service" >"$work/service.jdk"
    mv "$work/service.jdk" "$work/service"
  fi
  mode=0555
fi
service_changed=0
if [ -f "$root$service_file" ] && cmp -s "$work/service" "$root$service_file"; then
  say "$service_file is up to date"
else
  say "installing $service_file"
  run mkdir -p "$(dirname "$root$service_file")"
  run install -m "$mode" "$work/service" "$root$service_file"
  service_changed=1
fi
if [ "$os" = linux ] && [ "$service_changed" = 1 ]; then
  if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
  else
    say "systemd is not running${root:+ in $root}: no daemon-reload"
  fi
fi

# --- enable and start ----------------------------------------------------------------------------
if [ "$enable" = 1 ]; then
  if [ "$os" = linux ]; then
    if [ -n "$root" ]; then
      run systemctl --root="$root" enable forkchatd.service
    elif [ -d /run/systemd/system ]; then
      run systemctl enable --now forkchatd.service
    else
      die "--enable: systemd is not running on this machine"
    fi
  else
    if [ -n "$root" ]; then
      run sysrc -R "$root" forkchatd_enable=YES
    else
      run sysrc forkchatd_enable=YES
      run service forkchatd start
    fi
  fi
fi

say "done."
if [ "$enable" = 0 ]; then
  case $os in
    linux) say "start it with: systemctl enable --now forkchatd    logs: journalctl -u forkchatd" ;;
    freebsd) say "start it with: sysrc forkchatd_enable=YES && service forkchatd start    logs: /var/log/messages" ;;
  esac
fi
