#!/usr/bin/env bash
# Package consumer test: pack src/Package (the one NuGet package "AutoGradGen") into a local
# feed with a unique version, restore this consumer from that feed, build it with the trim/AOT
# analyzers and warnings as errors, and run it. Prints one "PackageConsumer: PASS|FAIL" line
# last and exits non-zero on failure.
#
# The version is unique per run (0.1.0-ci.<UTC timestamp>.<pid>), so a package from an earlier
# run that sits in the NuGet global packages folder is never reused; this run's copy is removed
# from that folder on exit.
#
# Optional: AGG_PUBLISH_AOT=1 also publishes the consumer with Native AOT (needs clang and the
# ILCompiler packages) and runs the native binary.
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version="0.1.0-ci.$(date -u +%Y%m%d%H%M%S).$$"
feed="$here/artifacts/feed"                 # nuget.config points at artifacts/feed
consumer_out="$here/artifacts/consumer"     # the consumer's bin/ and obj/
work=$(mktemp -d)                           # the package project's (and its references') bin/ and obj/
packages="${NUGET_PACKAGES:-${HOME:-/root}/.nuget/packages}"
stage="setup"
steps="pack, restore from local feed, build with trim/AOT analyzers, run"

finish() {
  local rc=$?
  rm -rf "$work" "$packages/autogradgen/$version"
  if [ "$rc" -eq 0 ]; then
    echo "PackageConsumer: PASS (AutoGradGen $version: $steps)"
  else
    echo "PackageConsumer: FAIL at $stage (AutoGradGen $version, exit code $rc)"
  fi
  exit "$rc"
}
trap finish EXIT

rm -rf "$feed" "$consumer_out"
mkdir -p "$feed"

stage="pack"
echo "== pack src/Package as AutoGradGen $version into $feed"
dotnet pack "$root/src/Package/AutoGradGen.Package.csproj" -c Release -o "$feed" \
  --artifacts-path "$work" -p:Version="$version" -nologo -clp:NoSummary

stage="package layout"
nupkg="$feed/AutoGradGen.$version.nupkg"
[ -f "$nupkg" ] || { echo "no $nupkg" >&2; exit 1; }
# A .nupkg is a zip: list it and read its nuspec with unzip, or python3 where unzip is missing.
zip_list() { if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys,zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi; }
zip_read() { if command -v unzip >/dev/null; then unzip -p "$1" "$2"; else python3 -c 'import sys,zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"; fi; }
entries=$(zip_list "$nupkg")
for want in analyzers/dotnet/cs/AutoGradGen.Generator.dll analyzers/dotnet/cs/AutoGradGen.CodeFixes.dll \
            lib/net10.0/AutoGradGen.Runtime.dll lib/net10.0/AutoGradGen.Attributes.dll \
            lib/net10.0/AutoGradGen.Runtime.xml lib/net10.0/AutoGradGen.Attributes.xml README.md; do
  grep -qxF "$want" <<<"$entries" || { echo "package lacks $want" >&2; exit 1; }
done
if grep -E '^lib/.*(Generator|CodeFixes)|^analyzers/.*(Runtime|Attributes|Workspaces)|Package\.dll' <<<"$entries"; then
  echo "package has files in the wrong place (above)" >&2; exit 1
fi
zip_read "$nupkg" AutoGradGen.nuspec | grep -q 'id="System.Numerics.Tensors"' \
  || { echo "nuspec lacks the System.Numerics.Tensors dependency" >&2; exit 1; }
if zip_read "$nupkg" AutoGradGen.nuspec | grep -q 'id="Microsoft.CodeAnalysis'; then
  echo "nuspec depends on Roslyn (the generator's and code fixes' references must stay private)" >&2; exit 1
fi
echo "package layout OK: analyzers/dotnet/cs (generator, code fixes), lib/net10.0 (runtime, attributes), depends on System.Numerics.Tensors"

stage="restore+build"
echo "== build the consumer against AutoGradGen $version"
dotnet build "$here/PackageConsumer.csproj" -c Release --artifacts-path "$consumer_out" \
  -p:AutoGradGenVersion="$version" -nologo -clp:NoSummary

# The package must have reached the consumer from this run's feed, not a cache.
[ -d "$packages/autogradgen/$version" ] || { echo "AutoGradGen $version not restored into $packages" >&2; exit 1; }

stage="run"
echo "== run the consumer"
out=$(dotnet "$consumer_out/bin/PackageConsumer/release/PackageConsumer.dll")
echo "$out"
grep -qx OK <<<"$out" || { echo "the consumer did not print OK" >&2; exit 1; }

if [ "${AGG_PUBLISH_AOT:-0}" = "1" ]; then
  stage="Native AOT publish"
  echo "== publish the consumer with Native AOT"
  dotnet publish "$here/PackageConsumer.csproj" -c Release -r linux-x64 --artifacts-path "$consumer_out" \
    -p:PublishAot=true -p:AutoGradGenVersion="$version" -nologo -clp:NoSummary
  stage="Native AOT run"
  out=$("$consumer_out/publish/PackageConsumer/release_linux-x64/PackageConsumer")
  echo "$out"
  grep -qx OK <<<"$out" || { echo "the native consumer did not print OK" >&2; exit 1; }
  steps="$steps, Native AOT publish and run"
fi
stage="done"
