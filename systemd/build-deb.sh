#!/usr/bin/env bash
# Builds the tallennin Debian package with dpkg-deb.
#
#   systemd/build-deb.sh [--out DIR] [--no-build]
#
# Run from anywhere inside the repository. Compiles the TypeScript (npm run build:ts) and the web
# UI (npm run build:web) unless --no-build is given (dist/ and web/dist/ must then exist; both are
# ignored by git, so a fresh clone has neither until it is built), stages the files under a
# temporary root, installs the production dependencies there (`npm ci --omit=dev
# --ignore-scripts`: argon2 and @serialport/bindings-cpp ship prebuilt native binaries in their
# npm packages, node-gyp-build picks them from prebuilds/, so nothing is compiled), checks that
# those binaries load, writes the copyright file, the changelog and the manual pages, and writes
# DIR/tallennin_<version>_<arch>.deb (DIR defaults to the repository's build/ folder).
# Prints the path of the .deb as its last line. Needs dpkg-dev and help2man.
#
# The package's layout (Debian 12):
#   /usr/lib/tallennin/{bin,dist,web/dist,package.json,node_modules}   the service and its web UI
#   /usr/bin/tallennin -> ../lib/tallennin/bin/tallennin.js        the CLI
#   /usr/sbin/tallennin-create-master-key                         makes the master key once
#   /lib/systemd/system/tallennin.service, /usr/lib/sysusers.d/tallennin.conf,
#   /usr/lib/tmpfiles.d/tallennin.conf, /lib/udev/rules.d/99-tallennin-bridge.rules
#   /etc/tallennin/config.json (conffile, 0640; postinst gives it to group tallennin)
#   /usr/share/doc/tallennin/{copyright,changelog.gz,installing.md,PROTOCOL.md,examples/lan.conf.example}
#   /usr/share/man/man1/tallennin.1.gz, /usr/share/man/man8/tallennin-create-master-key.8.gz
#   /usr/share/lintian/overrides/tallennin
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
for tool in dpkg-deb dpkg-shlibdeps dpkg-parsechangelog help2man; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing: apt-get install dpkg-dev help2man" >&2; exit 1; }
done
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
  # Native binaries for other systems are dead weight on this one: only linux-<arch>, and of
  # those only the glibc builds (Debian's libc; the musl ones are for Alpine and link no libc
  # that Debian has). Their library dependencies go into Depends (dpkg-shlibdeps, below).
  find node_modules -type d -name prebuilds -prune -print | while read -r prebuilds; do
    find "$prebuilds" -mindepth 1 -maxdepth 1 -type d ! -name "linux-$node_arch" -exec rm -rf {} +
    find "$prebuilds" -type f -name '*.musl.node' -delete
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

# --- Licences: /usr/share/doc/tallennin/copyright (DEP-5), from the node_modules just staged ---
# Fails, naming the package, when a shipped dependency has no licence or one not allowed.
doc="$root/usr/share/doc/tallennin"
mkdir -p "$doc"
node systemd/debian/make-copyright.mjs "$app" > "$doc/copyright"

# --- Leftovers in node_modules that nothing runs: development configs, editor backups, the C++
# sources and type declarations of prebuilt or plain-JS packages ---
find "$app/node_modules" \( -name '.eslintrc*' -o -name 'eslint.config.*' -o -name '.npmignore' \
  -o -name '.editorconfig' -o -name '.prettierrc*' -o -name '.travis.yml' -o -name '.nycrc*' \
  -o -name '*~' -o -name '*.orig' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
  -o -name '*.map' -o -name '*.cc' -o -name '*.cpp' -o -name '*.c' -o -name '*.h' -o -name 'binding.gyp' \) \
  -type f -delete
find "$app/node_modules" \( -name '.github' -o -name '.vscode' \) -type d -prune -exec rm -rf {} +
# A package's own build scripts (@swc/helpers runs them with zx) are never run on the box.
rm -rf "$app/node_modules/@swc/helpers/scripts"
find "$app/node_modules" -depth -type d -empty -delete
# A file in node_modules is executable exactly when it is a script (#!): npm tarballs carry stray
# exec bits (a README, C++ sources) and scripts without them. The native modules (.node) are
# shared objects that Node loads, not programs: 0644 like any library.
node --input-type=module - "$app/node_modules" <<'JS'
import { chmodSync, closeSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) {
      const head = Buffer.alloc(2);
      const fd = openSync(path, 'r');
      const read = readSync(fd, head, 0, 2, 0);
      closeSync(fd);
      chmodSync(path, read === 2 && head.toString('latin1') === '#!' ? 0o755 : 0o644);
    }
  }
};
walk(process.argv[2]);
JS
ln -s ../lib/tallennin/bin/tallennin.js "$root/usr/bin/tallennin"
install -m 0755 systemd/tallennin-create-master-key "$root/usr/sbin/tallennin-create-master-key"

# --- systemd, udev, configuration ---
install -D -m 0644 systemd/tallennin.service "$root/lib/systemd/system/tallennin.service"
install -D -m 0644 systemd/sysusers.d/tallennin.conf "$root/usr/lib/sysusers.d/tallennin.conf"
install -D -m 0644 systemd/tmpfiles.d/tallennin.conf "$root/usr/lib/tmpfiles.d/tallennin.conf"
install -D -m 0644 systemd/udev/99-tallennin-bridge.rules "$root/lib/udev/rules.d/99-tallennin-bridge.rules"
install -D -m 0644 systemd/debian/config.json "$root/etc/tallennin/config.json"

# --- Documentation: guides, changelog, manual pages ---
install -D -m 0644 docs/installing.md "$doc/installing.md"
install -D -m 0644 firmware-bridge/PROTOCOL.md "$doc/PROTOCOL.md"
install -D -m 0644 systemd/tallennin.service.d/lan.conf.example "$doc/examples/lan.conf.example"
changelog_version=$(dpkg-parsechangelog -l systemd/debian/changelog -S Version)
if [ "$changelog_version" != "$version" ]; then
  echo "build-deb.sh: systemd/debian/changelog is at $changelog_version, package.json at $version: add a changelog entry" >&2
  exit 1
fi
maintainer=$(dpkg-parsechangelog -l systemd/debian/changelog -S Maintainer)
gzip -9n < systemd/debian/changelog > "$doc/changelog.gz"
# The manual pages are made from the commands' own --help (help2man), so they cannot drift.
# help2man names the page after the program file, hence the links under the installed names.
man_bin="$work/man-bin"
mkdir -p "$man_bin" "$root/usr/share/man/man1" "$root/usr/share/man/man8"
ln -s "$repo/bin/tallennin.js" "$man_bin/tallennin"
ln -s "$repo/systemd/tallennin-create-master-key" "$man_bin/tallennin-create-master-key"
help2man --no-info --no-discard-stderr --version-string="$version" --section=1 \
  --name="on-premise call-recording appliance" "$man_bin/tallennin" | gzip -9n > "$root/usr/share/man/man1/tallennin.1.gz"
help2man --no-info --no-discard-stderr --version-string="$version" --section=8 \
  --name="make Tallennin's master key as an encrypted systemd credential" \
  "$man_bin/tallennin-create-master-key" | gzip -9n > "$root/usr/share/man/man8/tallennin-create-master-key.8.gz"
# Warnings that stay, each with its reason (lintian reads them from here).
install -D -m 0644 systemd/debian/lintian-overrides "$root/usr/share/lintian/overrides/tallennin"

# Modes do not depend on the builder's umask: directories 0755, files 0644, executables 0755.
chmod -R u=rwX,go=rX "$root"
chmod 0755 "$app/bin/tallennin.js"
# The configuration names agents: 0640 (root:root in the archive; tmpfiles makes it root:tallennin).
chmod 0640 "$root/etc/tallennin/config.json"

# --- Control files ---
mkdir -p "$root/DEBIAN"
installed_size=$(du -sk --apparent-size "$root" | cut -f1)
# The shared libraries that the native modules link (libc6, libstdc++6, libgcc-s1), with the
# versions their symbols need, as dpkg-shlibdeps computes them for any Debian package. It wants
# a source tree with debian/control: a minimal one in the work directory.
mkdir -p "$work/shlibs/debian"
printf 'Source: tallennin\n\nPackage: tallennin\nArchitecture: any\n' > "$work/shlibs/debian/control"
natives=$(find "$app/node_modules" -type f -name '*.node')
# shellcheck disable=SC2086 # one word per path; the paths have no spaces
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O --warnings=0 $natives | sed -n 's/^shlibs:Depends=//p')
if [ -z "$shlibs" ]; then
  echo "build-deb.sh: dpkg-shlibdeps found no library dependencies for: $natives" >&2
  exit 1
fi
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  -e "s/@SHLIBS@/$shlibs/" -e "s/@MAINTAINER@/$maintainer/" \
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
