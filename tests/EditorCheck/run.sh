#!/usr/bin/env bash
# Editor check, by hand (not in CI): does a real C# language server show the AGG diagnostics live?
# Installs csharp-ls 0.28.0 as a dotnet tool under artifacts/ (the latest version fails to install
# here), builds the generator (the analyzer lives in it), restores Sample/ (which references the
# generator as an analyzer, like samples/SeedExamples) and runs lsp_check.py, which prints every AGG
# diagnostic the server reports with line:column and the source text at its span.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="$here/artifacts/tools"
mkdir -p "$here/artifacts"
if [ ! -x "$tools/csharp-ls" ]; then
  dotnet tool install csharp-ls --version 0.28.0 --tool-path "$tools"
fi
dotnet build "$repo/src/Generator" -v quiet -nologo
dotnet build "$repo/src/Runtime" -v quiet -nologo
dotnet restore "$here/Sample" -v quiet
echo "--- dotnet build of Sample without Ambiguous.cs (csc reports no analyzer diagnostic once a compile error such as CS0104 exists) ---"
dotnet build "$here/Sample" -nologo -p:EditorCheckWithoutAmbiguous=true 2>&1 | grep -oE "[A-Za-z]+\.cs\([0-9]+,[0-9]+\): (error|warning) [A-Z]+[0-9]+" | sort -u || true
echo "--- csharp-ls over LSP, the server's default settings (analyzersEnabled unset) ---"
python3 "$here/lsp_check.py" "$tools/csharp-ls" "$here/Sample" off || true
echo "--- csharp-ls over LSP, csharp.analyzersEnabled = true ---"
python3 "$here/lsp_check.py" "$tools/csharp-ls" "$here/Sample" on
