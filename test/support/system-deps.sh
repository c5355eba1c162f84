#!/bin/sh
# The Debian packages the test suite needs, checked before anything else runs (npm's `pretest`,
# so `npm test` on a fresh Debian 12 machine either gets them or says so within a second, instead
# of failing ten minutes in when the browser tests look for Chromium).
#
#   test/support/system-deps.sh          the packages of `npm test`
#   test/support/system-deps.sh boot     the same, plus what test/boot/boot-test.sh needs
#
# As root, what is missing is installed (apt-get install --no-install-recommends). As anyone
# else, the script prints the one apt line to run and exits 1. It asks dpkg only, so a machine
# that has everything pays a few milliseconds.
set -eu

PACKAGES="
build-essential
clang
gcc-arm-none-eabi
libnewlib-arm-none-eabi
socat
sox
espeak-ng
chromium
openssl
git
systemd
dpkg-dev
help2man
lintian
"
# build-essential: the firmware's host build and its C unit tests; clang: the firmware receiver's
# libFuzzer target; gcc-arm-none-eabi, libnewlib-arm-none-eabi: the firmware's Cortex-M build;
# socat, sox, espeak-ng: pseudo-terminals (also the OSDP reader's line in its tests and the demo) and test audio; chromium: the browser tests
# (playwright-core drives /usr/bin/chromium); openssl: the TLS tests; git: the packaging test
# builds the .deb from the files git tracks; systemd: systemd-analyze checks of the unit;
# dpkg-dev, help2man, lintian: the Debian package is built (with its manual pages) and linted.
BOOT_PACKAGES="
debootstrap
systemd-container
"
# debootstrap, systemd-container (systemd-nspawn): the boot test installs the package on a
# freshly bootstrapped Debian 12 booted as a container.

wanted=$PACKAGES
case "${1:-}" in
  '') ;;
  boot) wanted="$PACKAGES $BOOT_PACKAGES" ;;
  *) echo "system-deps.sh: unknown argument $1 (usage: system-deps.sh [boot])" >&2; exit 2 ;;
esac

missing=""
for package in $wanted; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps.sh: installing the Debian packages the tests need:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  # shellcheck disable=SC2086 # one word per package
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
    tail -20 "$log" >&2
    rm -f "$log"
    echo "system-deps.sh: apt-get could not install:$missing" >&2
    exit 1
  fi
  rm -f "$log"
  exit 0
fi

echo "system-deps.sh: the tests need Debian packages that are not installed:$missing" >&2
echo "Install them with:" >&2
echo "  sudo apt-get install --no-install-recommends$missing" >&2
exit 1
