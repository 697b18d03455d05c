#!/usr/bin/env bash
# check-package.sh NUPKG SNUPKG REPO: checks what the AutoGradGen package holds.
#   layout    analyzers/dotnet/cs: generator and code fixes; lib/net10.0: runtime and attributes
#             with their XML docs; nothing Roslyn-related in lib/ or in the dependencies; the one
#             dependency System.Numerics.Tensors
#   metadata  repository and project URL (equal to Directory.Build.props' AutoGradGenRepositoryUrl),
#             MIT licence and LICENSE file, icon.png (a PNG), README.md, RELEASE-NOTES.md and
#             release notes in the nuspec, docs/diagnostics.md identical to the repository's
#   symbols   the .snupkg holds the four portable PDBs beside their assemblies
# Prints the package listing; exits non-zero with a message on the first failure.
set -euo pipefail
nupkg=$1 snupkg=$2 repo=$3
[ -f "$nupkg" ] || { echo "no $nupkg" >&2; exit 1; }
[ -f "$snupkg" ] || { echo "no symbols package $snupkg" >&2; exit 1; }

# A .nupkg is a zip: list and read it with unzip, or python3 where unzip is missing.
zip_list() { if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys,zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi; }
zip_read() { if command -v unzip >/dev/null; then unzip -p "$1" "$2"; else python3 -c 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"; fi; }
fail() { echo "package: $*" >&2; exit 1; }

entries=$(zip_list "$nupkg")
echo "== $(basename "$nupkg")"
grep -vE '^(_rels/|package/|\[Content_Types\])' <<<"$entries" | sed 's/^/   /'
for want in analyzers/dotnet/cs/AutoGradGen.Generator.dll analyzers/dotnet/cs/AutoGradGen.CodeFixes.dll \
            lib/net10.0/AutoGradGen.Runtime.dll lib/net10.0/AutoGradGen.Attributes.dll \
            lib/net10.0/AutoGradGen.Runtime.xml lib/net10.0/AutoGradGen.Attributes.xml \
            README.md RELEASE-NOTES.md LICENSE icon.png docs/diagnostics.md; do
  grep -qxF "$want" <<<"$entries" || fail "lacks $want"
done
if grep -E '^lib/.*(Generator|CodeFixes|CodeAnalysis)|^analyzers/.*(Runtime|Attributes|Workspaces)|Package\.(dll|pdb)|\.pdb$' <<<"$entries"; then
  fail "has files in the wrong place (above)"
fi

nuspec=$(zip_read "$nupkg" AutoGradGen.nuspec)
grep -q 'id="System.Numerics.Tensors"' <<<"$nuspec" || fail "nuspec lacks the System.Numerics.Tensors dependency"
if grep -q 'id="Microsoft.CodeAnalysis' <<<"$nuspec"; then
  fail "nuspec depends on Roslyn (the generator's and code fixes' references must stay private)"
fi
[ "$(grep -c '<dependency ' <<<"$nuspec")" -eq 1 ] || fail "nuspec has other dependencies than System.Numerics.Tensors"

url=$(sed -n 's:.*<AutoGradGenRepositoryUrl>\(.*\)</AutoGradGenRepositoryUrl>.*:\1:p' "$repo/Directory.Build.props")
[ -n "$url" ] || fail "Directory.Build.props sets no AutoGradGenRepositoryUrl"
grep -qF "<projectUrl>$url</projectUrl>" <<<"$nuspec" || fail "nuspec projectUrl is not $url"
grep -qE "<repository type=\"git\" url=\"$url\"" <<<"$nuspec" || fail "nuspec repository url is not $url"
grep -qF '<license type="expression">MIT</license>' <<<"$nuspec" || fail "nuspec licence is not MIT"
grep -qF '<icon>icon.png</icon>' <<<"$nuspec" || fail "nuspec has no icon"
grep -qF '<readme>README.md</readme>' <<<"$nuspec" || fail "nuspec has no readme"
grep -q '<releaseNotes>.' <<<"$nuspec" || fail "nuspec has no release notes"
zip_read "$nupkg" LICENSE | grep -q '^MIT License' || fail "LICENSE is not the MIT licence"
[ "$(zip_read "$nupkg" icon.png | head -c 8 | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "icon.png is not a PNG"
zip_read "$nupkg" docs/diagnostics.md | cmp -s - "$repo/docs/diagnostics.md" || fail "docs/diagnostics.md differs from the repository's"
echo "   metadata: projectUrl = repository url = $url, MIT + LICENSE, icon.png, README.md, release notes, docs/diagnostics.md"

symbols=$(zip_list "$snupkg")
echo "== $(basename "$snupkg")"
grep -E '\.pdb$' <<<"$symbols" | sed 's/^/   /'
for dll in analyzers/dotnet/cs/AutoGradGen.Generator analyzers/dotnet/cs/AutoGradGen.CodeFixes \
           lib/net10.0/AutoGradGen.Runtime lib/net10.0/AutoGradGen.Attributes; do
  grep -qxF "$dll.pdb" <<<"$symbols" || fail "symbols package lacks $dll.pdb"
  # A portable PDB starts with the metadata signature BSJB.
  [ "$(zip_read "$snupkg" "$dll.pdb" | head -c 4)" = BSJB ] || fail "$dll.pdb is not a portable PDB"
done
echo "package contents OK: layout, metadata, symbols"
