#!/usr/bin/env bash
# Builds LicenseKit.dll with Mono's mcs, packs LicenseKit.<version>.nupkg with the native
# libraries under runtimes/<rid>/native/, extracts the package and runs the NUnit 2 tests
# (Debian's nunit-console) compiled against the extracted DLL, with the extracted native
# library: a Mono program using the package as a .NET user would.
#   bindings/dotnet/build.sh [--no-test] [--out DIR] LIB[:RID] ...
# RID: linux-x64 (default on x86_64), linux-arm64, win-x64.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
test=1
out="$root/target/bindings/dotnet"
libs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-test) test=0 ;;
        --out) out=$2; shift ;;
        *) libs+=("$1") ;;
    esac
    shift
done
[ ${#libs[@]} -gt 0 ] || libs=("$root/target/release/liblicense_ffi.so")
version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pkg/lib/net45" "$out"
mcs -nologo -target:library -langversion:7.2 -warnaserror -optimize+ \
    -doc:"$work/pkg/lib/net45/LicenseKit.xml" -out:"$work/pkg/lib/net45/LicenseKit.dll" "$here"/src/LicenseKit/*.cs
for spec in "${libs[@]}"; do
    lib=${spec%%:*}
    rid=${spec#"$lib"}
    rid=${rid#:}
    if [ -z "$rid" ]; then
        case "$(uname -m)" in
            x86_64) rid=linux-x64 ;;
            aarch64) rid=linux-arm64 ;;
            *) echo "set the RID of $lib" >&2; exit 2 ;;
        esac
    fi
    mkdir -p "$work/pkg/runtimes/$rid/native"
    cp "$lib" "$work/pkg/runtimes/$rid/native/"
done
sed "s/@VERSION@/$version/" "$here/LicenseKit.nuspec.in" > "$work/pkg/LicenseKit.nuspec"
nupkg="$out/LicenseKit.$version.nupkg"
python3 - "$work/pkg" "$nupkg" <<'PY'
import sys, zipfile, pathlib
src, dst = pathlib.Path(sys.argv[1]), sys.argv[2]
ct = ('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="nuspec" ContentType="application/octet" /><Default Extension="dll" ContentType="application/octet" />'
      '<Default Extension="so" ContentType="application/octet" /><Default Extension="xml" ContentType="application/octet" />'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /></Types>')
rels = ('<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/LicenseKit.nuspec" Id="R0" /></Relationships>')
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", rels)
    for p in sorted(src.rglob("*")):
        if p.is_file():
            z.write(p, p.relative_to(src).as_posix())
PY
echo "nupkg: $nupkg"
[ "$test" = 1 ] || exit 0
extracted="$work/extracted"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$nupkg" "$extracted"
host_rid=linux-x64
[ "$(uname -m)" = aarch64 ] && host_rid=linux-arm64
nunit=$(ls /usr/lib/cli/nunit.framework-2.6*/nunit.framework.dll | head -1)
mcs -nologo -target:library -langversion:7.2 -warnaserror -out:"$work/LicenseKit.Tests.dll" \
    -r:"$extracted/lib/net45/LicenseKit.dll" -r:"$nunit" -r:System.Web.Extensions -r:System.IO.Compression \
    -r:System.IO.Compression.FileSystem "$here"/tests/*.cs
mcs -nologo -target:exe -langversion:7.2 -warnaserror -out:"$work/LicenseDialog.exe" \
    -r:"$extracted/lib/net45/LicenseKit.dll" "$here"/examples/LicenseDialog.cs
cd "$work"
LICENSE_KIT_DIALOG_EXE="$work/LicenseDialog.exe" LICENSE_KIT_REPO="$root" LICENSE_KIT_NUPKG="$nupkg" LICENSE_KIT_EXTRACTED="$extracted/lib/net45" \
    MONO_PATH="$extracted/lib/net45" LD_LIBRARY_PATH="$extracted/runtimes/$host_rid/native" \
    nunit-console -nologo -noshadow -labels -nothread "$work/LicenseKit.Tests.dll"
