#!/usr/bin/env bash
# Package consumer test: runs the README's install commands exactly as written, on a fresh copy
# of the repository, then docs/getting-started.md's, and checks what they print and what the
# package holds. Prints one "PackageConsumer: PASS|FAIL" line last and exits non-zero on failure.
#
# The commands come from fenced blocks between "<!-- ci-run: NAME -->" and "<!-- /ci-run -->":
#   README.md                install                   pack to ../autogradgen-feed, new console
#                                                      project ../HelloGradient, add the package,
#                                                      write Program.cs, dotnet run
#   docs/getting-started.md  getting-started-setup     a second console project from the same feed
#                            getting-started-program   its Program.cs (written as is)
#                            getting-started-run       dotnet run
# Each runs with bash -e in a temporary folder: the repository's files (git's tracked and
# untracked-but-not-ignored files from the working tree, so no bin/ or obj/: a fresh clone) go to
# $tmp/AutoGradGen, and the blocks create $tmp/autogradgen-feed, $tmp/HelloGradient and
# $tmp/GettingStarted beside it.
#
# What the run adds around the verbatim blocks, through the environment and the folder only:
# - AGG_VERSION, which the blocks read as ${AGG_VERSION:-0.1.0}: a unique 0.1.0-ci.<time>.<pid>,
#   so a package from an earlier run in the NuGet global packages folder is never reused; this
#   version is deleted from that folder on exit (the cache clean-up).
# - $tmp/Directory.Build.props (a copy of consumer.props): the consumer projects inherit the trim,
#   AOT and single-file analyzers and warnings as errors. The repository copy has its own
#   Directory.Build.props, so the pack does not see it.
#
# Optional: AGG_PUBLISH_AOT=1 also publishes HelloGradient with Native AOT (needs clang and the
# ILCompiler packages) and runs the native binary.
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export AGG_VERSION="0.1.0-ci.$(date -u +%Y%m%d%H%M%S).$$"
version=$AGG_VERSION
tmp=$(mktemp -d)
clone="$tmp/AutoGradGen"
feed="$tmp/autogradgen-feed"
packages="${NUGET_PACKAGES:-${HOME:-/root}/.nuget/packages}"
stage="setup"
steps="README install block (pack, new console, add package, run), package contents, getting-started"

finish() {
  local rc=$?
  if [ "${AGG_KEEP_TMP:-0}" = "1" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
  rm -rf "$packages/autogradgen/$version"
  if [ "$rc" -eq 0 ]; then
    echo "PackageConsumer: PASS (AutoGradGen $version: $steps)"
  else
    echo "PackageConsumer: FAIL at $stage (AutoGradGen $version, exit code $rc)"
  fi
  exit "$rc"
}
trap finish EXIT

# extract FILE NAME: the lines inside the fenced block that follows "<!-- ci-run: NAME -->" and
# is closed by "<!-- /ci-run -->" on the line after its closing fence. Fails if it is not there.
extract() {
  awk -v name="$2" '
    $0 == "<!-- ci-run: " name " -->" { state = 1; next }
    state == 1 && /^```/ { state = 2; next }
    state == 2 && /^```[ \t]*$/ { state = 3; next }
    state == 2 { print; n++ }
    state == 3 { if ($0 == "<!-- /ci-run -->" && n > 0) found = 1; state = 0 }
    END { exit found ? 0 : 1 }' "$1" || { echo "no ci-run block '$2' in $1" >&2; return 1; }
}

# run_block FILE NAME DIR: runs the block with bash -e in DIR, output to the terminal and to
# $tmp/NAME.out.
run_block() {
  local script="$tmp/$2.sh"
  extract "$1" "$2" > "$script"
  echo "== $2 (from ${1#"$root"/}), in ${3#"$tmp"/}"
  (cd "$3" && bash -e "$script") 2>&1 | tee "$tmp/$2.out"
  return "${PIPESTATUS[0]}"
}

stage="fresh copy"
mkdir -p "$clone"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and untracked-but-not-ignored files as they are in the working tree (deleted ones skipped).
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -xf - -C "$clone"
else
  tar -C "$root" --exclude=bin --exclude=obj --exclude=artifacts --exclude=.git -cf - . | tar -xf - -C "$clone"
fi
cp "$here/consumer.props" "$tmp/Directory.Build.props"

stage="README install block"
run_block "$root/README.md" install "$clone"

stage="README output"
out="$tmp/install.out"
grep -q '^f = xᵀAy = ' "$out" || { echo "no 'f = xᵀAy = ' line" >&2; exit 1; }
for check in '∇A = x yᵀ: True' '∇x = A y:  True' '∇y = Aᵀx:  True'; do
  grep -qxF "$check" "$out" || { echo "the README program did not print '$check'" >&2; exit 1; }
done
if grep -E ': False$' "$out"; then echo "a gradient check printed False (above)" >&2; exit 1; fi
# f = xᵀAy for the README's x, A, y, computed here independently (awk, double precision).
expected=$(awk 'BEGIN { split("1 -2 0.5", x); split("0.5 -1 2 1.5", y)
  split("2 0 -1 3 1.5 -0.5 4 1 0 2.5 -3 0.25", A)
  for (i = 1; i <= 3; i++) for (j = 1; j <= 4; j++) f += x[i] * A[(i - 1) * 4 + j] * y[j]
  printf "%.17g", f }')
got=$(sed -n 's/^f = xᵀAy = //p' "$out")
awk -v g="$got" -v e="$expected" 'BEGIN { d = g - e; exit (d < 1e-12 && d > -1e-12) ? 0 : 1 }' \
  || { echo "f = $got, expected $expected" >&2; exit 1; }
# The package must have reached the consumer from this run's feed, not an older cache entry.
[ -d "$packages/autogradgen/$version" ] || { echo "AutoGradGen $version not restored into $packages" >&2; exit 1; }
# The strict settings reached the project the README created.
for property in TreatWarningsAsErrors EnableTrimAnalyzer EnableAotAnalyzer EnableSingleFileAnalyzer; do
  [ "$(cd "$tmp/HelloGradient" && dotnet msbuild -nologo -getProperty:"$property")" = true ] \
    || { echo "HelloGradient was not built with $property=true" >&2; exit 1; }
done
echo "README program OK: f matches, ∇A = x yᵀ, ∇x = Ay, ∇y = Aᵀx (built with trim/AOT analyzers, warnings as errors)"

stage="package contents"
bash "$here/check-package.sh" "$feed/AutoGradGen.$version.nupkg" "$feed/AutoGradGen.$version.snupkg" "$clone"

stage="getting-started"
run_block "$root/docs/getting-started.md" getting-started-setup "$tmp"
extract "$root/docs/getting-started.md" getting-started-program > "$tmp/GettingStarted/Program.cs"
run_block "$root/docs/getting-started.md" getting-started-run "$tmp/GettingStarted"
grep -qE '^training accuracy: (9[0-9]|100)\.[0-9] %$' "$tmp/getting-started-run.out" \
  || { echo "getting-started: no 'training accuracy: ≥ 90 %' line" >&2; exit 1; }
first=$(sed -n 's/^step  *0: loss //p' "$tmp/getting-started-run.out" | head -1)
last=$(sed -n 's/^step [ 0-9]*: loss //p' "$tmp/getting-started-run.out" | tail -1)
awk -v a="$first" -v b="$last" 'BEGIN { exit (a != "" && b != "" && b + 0 < 0.5 * a) ? 0 : 1 }' \
  || { echo "getting-started: the loss did not fall to half ($first -> $last)" >&2; exit 1; }
echo "getting-started OK: loss $first -> $last"

if [ "${AGG_PUBLISH_AOT:-0}" = "1" ]; then
  stage="Native AOT publish"
  echo "== publish HelloGradient with Native AOT"
  (cd "$tmp/HelloGradient" && dotnet publish -c Release -r linux-x64 -p:PublishAot=true -o "$tmp/aot" -nologo)
  stage="Native AOT run"
  "$tmp/aot/HelloGradient" | tee "$tmp/aot.out"
  grep -qxF '∇A = x yᵀ: True' "$tmp/aot.out" || { echo "the native program did not print the ∇A check" >&2; exit 1; }
  steps="$steps, Native AOT publish and run"
fi
stage="done"
