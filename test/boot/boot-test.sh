#!/usr/bin/env bash
# The boot test of the Debian package: the built .deb on a freshly bootstrapped Debian 12, booted
# as a container with systemd as PID 1 (systemd-nspawn -b), the service under its real unit with
# the firmware's host build playing the telephony card on a pseudo-terminal. It checks what a
# box must do: reach READY, record a call that verifies, serve the web UI and the API, let the
# bridge's device through whatever the driver's load order, come back after a watchdog kill, and
# seal the calls in progress on stop.
#
#   test/boot/boot-test.sh        as root (run by .ci/run after npm test; not part of npm test)
#
# The bootstrapped root is kept in TALLENNIN_BOOT_CACHE (default /var/cache/tallennin-boot) and
# copied for each run; a clean CI machine bootstraps it once (about a minute and a half).
# Node.js 20 is not in Debian 12, so the host's node (the one that runs the tests) is wrapped in
# a local nodejs package and installed with the .deb, which then has its dependencies for real.
# A machine that cannot boot a container makes the test fail and say why: it never passes
# without having booted. The last line is "Boot test: N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${TALLENNIN_BOOT_CACHE:-/var/cache/tallennin-boot}
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/    /'; }
finish() {
  echo "Boot test: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}
# Stops the test on a step that the rest depends on, counting it as failed.
give_up() { fail "$1" "${2:-}"; finish; }

[ "$(id -u)" -eq 0 ] || give_up "the boot test runs as root (debootstrap, systemd-nspawn)"
sh "$repo/test/support/system-deps.sh" boot || give_up "the Debian packages of the boot test"
command -v node >/dev/null || give_up "node on the host"

work=$(mktemp -d /var/tmp/tallennin-boot-test.XXXXXX)
root="$work/root"
nspawn_pid=""
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill "$nspawn_pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$nspawn_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- The package, the firmware's host build and a nodejs package of the host's node ---
echo "== building the package"
deb=$(bash "$repo/systemd/build-deb.sh" --out "$work/debs" 2>"$work/build.log" | tail -1)
[ -f "$deb" ] || give_up "build-deb.sh" "$(tail -20 "$work/build.log")"
make -s -C "$repo/firmware-bridge" host >"$work/make.log" 2>&1 || give_up "the firmware's host build" "$(tail -20 "$work/make.log")"
sim="$repo/firmware-bridge/build/host/tallennin-bridge-sim"
node_version=$(node -p 'process.versions.node')
case "$node_version" in 20.*) ;; *) give_up "the host's node is $node_version, not 20.x" ;; esac
mkdir -p "$work/nodejs/DEBIAN" "$work/nodejs/usr/bin"
install -m 0755 "$(command -v node)" "$work/nodejs/usr/bin/node"
cat >"$work/nodejs/DEBIAN/control" <<CONTROL
Package: nodejs
Version: $node_version-boottest
Architecture: $(dpkg --print-architecture)
Maintainer: Tallennin developers <tallennin@localhost>
Depends: libc6, libstdc++6, libgcc-s1
Description: the host's Node.js binary, for the Tallennin boot test
CONTROL
dpkg-deb --root-owner-group -Zgzip -z1 --build "$work/nodejs" "$work/debs/nodejs.deb" >/dev/null || give_up "the nodejs package"

# --- Debian 12, bootstrapped once and copied ---
if [ ! -x "$cache/bookworm/lib/systemd/systemd" ]; then
  echo "== debootstrap bookworm into $cache (once)"
  rm -rf "$cache/bookworm.partial"
  mkdir -p "$cache"
  started=$(date +%s)
  if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,libstdc++6 \
    bookworm "$cache/bookworm.partial" "${TALLENNIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1; then
    give_up "debootstrap bookworm" "$(tail -20 "$work/debootstrap.log")"
  fi
  mv "$cache/bookworm.partial" "$cache/bookworm"
  echo "   debootstrap took $(( $(date +%s) - started )) s"
fi
cp -a "$cache/bookworm" "$root"
echo boottest >"$root/etc/hostname"
mkdir -p "$root/root/boot-test"
cp "$deb" "$work/debs/nodejs.deb" "$root/root/boot-test/"
install -m 0755 "$sim" "$root/usr/local/bin/tallennin-bridge-sim"
mkdir -p "$root/usr/local/share/tallennin-boot"
cp "$repo/firmware-bridge/scenarios/demo/"*.alaw "$root/usr/local/share/tallennin-boot/"
# One short call to a recorded number (it completes and verifies) and one that lasts an hour
# (it is in progress across the watchdog restart and when the service is stopped).
cat >"$root/usr/local/share/tallennin-boot/boot.scenario" <<'SCENARIO'
channels 4
call 500  0 0401234567 0201234567 2001 jasenmaksu.alaw 3000
call 1000 1 0451234567 0201234567 2002 maksupaiva.alaw 3600000
end 3600000
SCENARIO

# --- Boot ---
echo "== booting the container"
# --register=no --keep-unit: no systemd-machined is needed on the host (a CI machine or a
# container host may not run systemd as its PID 1). --private-network: the container has its own
# loopback, so port 8443 is its own. The unified cgroup hierarchy and the bpf() call (which
# nspawn's own system call filter leaves out) let the container's systemd attach its BPF device
# and IP programs, so DeviceAllow= and IPAddressDeny= are enforced as on a box, also on a host
# that still mounts the cgroup v1 controllers.
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid systemd-nspawn -D "$root" --register=no --keep-unit --private-network \
  --system-call-filter=bpf -b --console=read-only >"$work/console.log" 2>&1 &
nspawn_pid=$!
leader=""
for _ in $(seq 1 60); do
  leader=$(pgrep -P "$nspawn_pid" -x systemd | head -1)
  [ -n "$leader" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$leader" ] || give_up "systemd-nspawn -b: this machine cannot boot a container" "$(tail -30 "$work/console.log")"

# A command inside the container, with a clean environment.
ct() { nsenter -t "$leader" -a -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# systemctl needs the manager's private socket, which appears a moment after PID 1 starts.
for _ in $(seq 1 120); do
  nsenter -t "$leader" -a -- test -S /run/systemd/private 2>/dev/null && break
  sleep 0.5
done
state=$(timeout 120 nsenter -t "$leader" -a -- systemctl is-system-running --wait 2>&1)
case "$state" in
  running|degraded) pass "the container booted with systemd as PID 1 ($state)" ;;
  *) give_up "systemd-nspawn -b: the container did not finish booting ($state)" "$(tail -30 "$work/console.log")" ;;
esac

# The tallennin command on the box: as the service user, with the service's credential.
cli() {
  ct systemd-run --pipe --wait --quiet --collect -p User=tallennin \
    -p LoadCredentialEncrypted=tallennin-master-key:/etc/credstore.encrypted/tallennin-master-key \
    tallennin "$@"
}
# GET over HTTPS inside the container (self-signed certificate): prints "<status> <body>".
https_get() {
  ct node -e '
    const https = require("node:https");
    https.get({ host: "127.0.0.1", port: 8443, path: process.argv[1], rejectUnauthorized: false }, (res) => {
      let body = ""; res.setEncoding("utf8"); res.on("data", (c) => (body += c));
      res.on("end", () => console.log(res.statusCode + " " + body.replace(/\s+/g, " ").slice(0, 300)));
    }).on("error", (e) => { console.log("0 " + e.message); });' "$1"
}
# Waits up to $1 seconds (wall clock: a busy machine makes each try slow) for the command after
# it to succeed.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  while [ "$SECONDS" -lt "$deadline" ]; do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@" >/dev/null 2>&1
}

# --- Install ---
out=$(ct dpkg -i /root/boot-test/nodejs.deb "/root/boot-test/$(basename "$deb")" 2>&1)
if [ $? -eq 0 ]; then pass "dpkg -i installs the package and its dependencies"; else give_up "dpkg -i" "$out"; fi
if ct test -s /etc/credstore.encrypted/tallennin-master-key; then
  pass "the postinst sealed the master key (systemd-creds)"
else
  give_up "no master key after install" "$out"
fi

# --- The device rule, before any ttyACM driver: the cgroup must let the node through ---
# No cdc_acm driver is loaded in the container, as on a box booted without the bridge: a node
# of the ACM major then fails to open with ENXIO (no such device) when the device cgroup lets
# it through, and with EPERM when the rule allowed nothing.
ct mknod -m 0666 /dev/ttyACM0 c 166 0
unit_rule=$(ct sed -n 's/^DeviceAllow=\(char-166 .*\)$/\1/p' /lib/systemd/system/tallennin.service)
open_acm() { ct systemd-run --pipe --wait --quiet --collect -p DevicePolicy=closed -p "DeviceAllow=$1" sh -c 'exec 3<>/dev/ttyACM0' 2>&1; }
packaged=$(open_acm "$unit_rule")
by_name=$(open_acm "char-ttyACM rw")
if [[ "$by_name" != *"Operation not permitted"* ]]; then
  fail "the device rule: this container does not enforce device cgroups (DeviceAllow=char-ttyACM gave: $by_name), so the rule cannot be checked here"
elif [[ "$packaged" == *"No such device or address"* ]]; then
  pass "DeviceAllow=$unit_rule lets /dev/ttyACM0 through with no cdc_acm loaded (char-ttyACM: EPERM)"
else
  fail "DeviceAllow=$unit_rule with no cdc_acm loaded" "$packaged"
fi
ct rm -f /dev/ttyACM0

# --- The bridge on a pseudo-terminal, the configuration, the start ---
ct systemd-run --unit=bridge-sim --collect /usr/local/bin/tallennin-bridge-sim \
  --scenario /usr/local/share/tallennin-boot/boot.scenario --link /dev/tallennin-bridge --wait-hello --quiet >/dev/null 2>&1
if wait_for 30 ct test -e /dev/tallennin-bridge; then
  # What the package's udev rule does for a real bridge (udev does not run in a container).
  ct sh -c 'chgrp tallennin "$(readlink -f /dev/tallennin-bridge)" && chmod 0660 "$(readlink -f /dev/tallennin-bridge)"'
else
  give_up "the firmware's host build made no pty at /dev/tallennin-bridge" "$(ct journalctl -u bridge-sim --no-pager | tail -20)"
fi
ct sed -i 's/"recordedServiceNumbers": \[\]/"recordedServiceNumbers": ["020 123 4567"]/' /etc/tallennin/config.json

out=$(ct systemctl enable --now tallennin 2>&1)
status=$?
sub=$(ct systemctl show -p SubState --value tallennin)
if [ $status -eq 0 ] && [ "$sub" = running ]; then
  pass "systemctl enable --now tallennin returns after READY=1 (running)"
else
  give_up "the service did not reach READY ($sub)" "$out"$'\n'"$(ct journalctl -u tallennin --no-pager | tail -30)"
fi

page=$(https_get /)
if [[ "$page" == "200 "*"<title>Tallennin</title>"* ]]; then pass "GET / serves the web UI (200)"; else fail "GET / of the web UI" "$page"; fi
api=$(https_get /api/v1/setup)
if [[ "$api" == '200 {"pending":true}'* ]]; then pass "GET /api/v1/setup answers 200"; else fail "GET /api/v1/setup" "$api"; fi

# --- A recorded call that verifies ---
completed() { cli recordings list --json | node -e '
  const rows = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const done = rows.find((row) => row.sealed && row.outcome === "completed");
  if (!done) process.exit(1);
  console.log(done.recordingId);'; }
if wait_for 180 completed; then
  id=$(completed)
  out=$(cli recordings verify "$id" 2>&1)
  if [ $? -eq 0 ]; then pass "the completed call's recording verifies"; else fail "recordings verify $id" "$out"; fi
else
  fail "no completed recording within 180 s" "$(cli recordings list 2>&1)"$'\n'"$(ct journalctl -u tallennin --no-pager | tail -20)"
fi

# --- The register description from the packaged configuration (a fresh box fails some checks: exit 1) ---
out=$(cli register 2>&1)
if [[ "$out" == *"Rekisterinpitäjä: Kuljetusalan Työttömyyskassa, Siltasaarenkatu 3–5, 00530 Helsinki"* && "$out" == *"P14. "* && "$out" == *"käyttöoikeustaulun tarkistus onnistui"* ]]; then
  pass "tallennin register prints the packaged register description with its checks"
else
  fail "tallennin register" "$out"
fi

# --- The watchdog: a frozen process is killed and the service comes back ---
pid=$(ct systemctl show -p MainPID --value tallennin)
restarts=$(ct systemctl show -p NRestarts --value tallennin)
ct sh -c "kill -STOP $pid"
back() {
  [ "$(ct systemctl show -p NRestarts --value tallennin)" -gt "$restarts" ] &&
    [ "$(ct systemctl show -p SubState --value tallennin)" = running ]
}
# WatchdogSec=30s, then SIGABRT, which a stopped process only takes as the SIGKILL after
# TimeoutAbortSec (= TimeoutStopSec, 30 s), then RestartSec=10s and READY: about 75 s; the
# deadline is a hang guard for a busy machine.
frozen_at=$SECONDS
# (The journal is read whole before it is searched: with pipefail, grep -q stopping at the first
# match would fail the pipeline through journalctl's SIGPIPE.)
if wait_for 420 back && [[ "$(ct journalctl -u tallennin --no-pager)" == *"Watchdog timeout"* ]]; then
  pass "a frozen service is killed by the watchdog and restarted ($((SECONDS - frozen_at)) s)"
else
  fail "no watchdog restart within 420 s" "$(ct journalctl -u tallennin --no-pager | grep -v '"level":"info"' | tail -30)"
fi

# --- A stop seals the calls in progress ---
ct systemctl stop tallennin
rows=$(cli recordings list --json 2>&1)
unsealed=$(printf '%s' "$rows" | node -e '
  const rows = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  console.log(rows.length === 0 ? "no recordings" : rows.filter((row) => !row.sealed).length);' 2>&1)
if [ "$unsealed" = 0 ]; then pass "systemctl stop seals every recording"; else fail "recordings left unsealed after stop: $unsealed" "$rows"; fi
if [[ "$(ct journalctl -u tallennin --no-pager)" == *SIGSYS* ]]; then
  fail "the journal names a SIGSYS" "$(ct journalctl -u tallennin --no-pager | grep SIGSYS | head -5)"
else
  pass "no SIGSYS from the system call filter"
fi

finish
