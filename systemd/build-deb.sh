#!/usr/bin/env bash
# Builds the tallennin Debian package with dpkg-deb.
#
#   systemd/build-deb.sh [--out DIR] [--no-build]
#
# Run from anywhere inside the repository. Compiles the TypeScript (npm run build:ts) and the web
# UI (npm run build:web) unless --no-build is given (dist/ and web/dist/ must then exist; both are
# ignored by git, so a fresh clone has neither until it is built), stages the files under a temporary root, installs
# the production dependencies there (`npm ci --omit=dev --ignore-scripts`: argon2 and
# @serialport/bindings-cpp ship prebuilt native binaries in their npm packages, node-gyp-build
# picks them from prebuilds/, so nothing is compiled), checks that those binaries load, and
# writes DIR/tallennin_<version>_<arch>.deb (DIR defaults to the repository's build/ folder).
# Prints the path of the .deb as its last line.
#
# The package's layout (Debian 12):
#   /usr/lib/tallennin/{bin,dist,web/dist,package.json,node_modules}   the service and its web UI
#   /usr/bin/tallennin -> ../lib/tallennin/bin/tallennin.js        the CLI
#   /usr/sbin/tallennin-create-master-key                         makes the master key once
#   /lib/systemd/system/tallennin.service, /usr/lib/sysusers.d/tallennin.conf,
#   /usr/lib/tmpfiles.d/tallennin.conf, /lib/udev/rules.d/99-tallennin-bridge.rules
#   /etc/tallennin/config.json (conffile, 0640; postinst gives it to group tallennin)
#   /usr/share/doc/tallennin/{installing.md,PROTOCOL.md,examples/lan.conf.example}
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/build"
build_ts=yes

while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "build-deb.sh: --out needs a directory" >&2; exit 2; }; out=$2; shift ;;
    --out=*) out=${1#--out=} ;;
    --no-build) build_ts=no ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown argument $1 (usage: build-deb.sh [--out DIR] [--no-build])" >&2; exit 2 ;;
  esac
  shift
done

cd "$repo"
if [ "$build_ts" = yes ]; then
  npm run --silent build:ts
  npm run --silent build:web
fi
if [ ! -f dist/cli/tallennin.js ]; then
  echo "build-deb.sh: dist/cli/tallennin.js is missing: run npm run build:ts first" >&2
  exit 1
fi
# Without web/dist the service answers 404 at /: no browser could create the first administrator.
for file in index.html app.js styles.css; do
  if [ ! -f "web/dist/$file" ]; then
    echo "build-deb.sh: web/dist/$file is missing: run npm run build:web first" >&2
    exit 1
  fi
done

version=$(node -p 'require("./package.json").version')
arch=$(dpkg --print-architecture)
node_arch=$(node -p 'process.arch')

work=$(mktemp -d "${TMPDIR:-/tmp}/tallennin-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
app="$root/usr/lib/tallennin"

# --- The service ---
mkdir -p "$app" "$root/usr/bin" "$root/usr/sbin"
cp -R bin dist "$app/"
# Only the built web UI (src/main.ts serves <app>/web/dist at /), not its TypeScript sources.
mkdir -p "$app/web"
cp -R web/dist "$app/web/"
cp package.json package-lock.json "$app/"
(
  cd "$app"
  # --prefer-offline: the tarballs are normally in npm's cache already (the repository's own
  # `npm ci` put them there), so this needs the registry only for a package that is not.
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >&2
  # Native binaries for other systems are dead weight on this one.
  find node_modules -type d -name prebuilds -prune -print | while read -r prebuilds; do
    find "$prebuilds" -mindepth 1 -maxdepth 1 -type d ! -name "linux-$node_arch" -exec rm -rf {} +
  done
  # The staged native modules must load with this Node, from their prebuilds/.
  node --input-type=module -e '
    const argon2 = await import("argon2");
    const hash = await argon2.hash("packaging check");
    if (!(await argon2.verify(hash, "packaging check"))) throw new Error("argon2 does not verify");
    const { createRequire } = await import("node:module");
    const { dirname } = await import("node:path");
    const require = createRequire(process.cwd() + "/package.json");
    const bindingsDir = dirname(require.resolve("@serialport/bindings-cpp/package.json"));
    const binding = require("node-gyp-build")(bindingsDir);
    if (typeof binding.open !== "function") throw new Error("@serialport/bindings-cpp has no native open()");
  '
  rm -f package-lock.json
)
ln -s ../lib/tallennin/bin/tallennin.js "$root/usr/bin/tallennin"
install -m 0755 systemd/tallennin-create-master-key "$root/usr/sbin/tallennin-create-master-key"

# --- systemd, udev, configuration ---
install -D -m 0644 systemd/tallennin.service "$root/lib/systemd/system/tallennin.service"
install -D -m 0644 systemd/sysusers.d/tallennin.conf "$root/usr/lib/sysusers.d/tallennin.conf"
install -D -m 0644 systemd/tmpfiles.d/tallennin.conf "$root/usr/lib/tmpfiles.d/tallennin.conf"
install -D -m 0644 systemd/udev/99-tallennin-bridge.rules "$root/lib/udev/rules.d/99-tallennin-bridge.rules"
install -D -m 0644 systemd/debian/config.json "$root/etc/tallennin/config.json"

# --- Documentation ---
doc="$root/usr/share/doc/tallennin"
install -D -m 0644 docs/installing.md "$doc/installing.md"
install -D -m 0644 firmware-bridge/PROTOCOL.md "$doc/PROTOCOL.md"
install -D -m 0644 systemd/tallennin.service.d/lan.conf.example "$doc/examples/lan.conf.example"

# Modes do not depend on the builder's umask: directories 0755, files 0644, executables 0755.
chmod -R u=rwX,go=rX "$root"
chmod 0755 "$app/bin/tallennin.js"
# The configuration names agents: 0640 (root:root in the archive; tmpfiles makes it root:tallennin).
chmod 0640 "$root/etc/tallennin/config.json"

# --- Control files ---
mkdir -p "$root/DEBIAN"
installed_size=$(du -sk --apparent-size "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  systemd/debian/control.in > "$root/DEBIAN/control"
install -m 0644 systemd/debian/conffiles "$root/DEBIAN/conffiles"
install -m 0755 systemd/debian/postinst systemd/debian/prerm systemd/debian/postrm "$root/DEBIAN/"
(
  cd "$root"
  find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
    xargs -0 md5sum > DEBIAN/md5sums
)
chmod 0644 "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb="$(cd "$out" && pwd)/tallennin_${version}_${arch}.deb"
# Reproducible timestamps when the caller sets SOURCE_DATE_EPOCH; owner root:root throughout.
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
