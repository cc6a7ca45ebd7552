#!/usr/bin/env bash
# Regenerates the committed outputs of the notebooks: packs the libraries, runs every notebook headless
# (eng/run-notebooks.sh, which fails on any failing cell) and writes the executed copies back into samples/notebooks,
# so that a reader browsing them sees the tables, plots and printed results. Before they are written back, the outputs
# are made machine-independent: absolute paths of this machine become <repository>, <home> or <temp>, the cells'
# execution timestamps and the transient "Installing Packages" displays are dropped.
#
# Usage: bash eng/update-notebooks.sh [NOTEBOOK.ipynb ...]     (default: every samples/notebooks/*.ipynb)
#   Needs python3 for the clean-up step. Commit the changed notebooks afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

command -v python3 >/dev/null || { echo "update-notebooks: python3 is needed to clean the outputs" >&2; exit 1; }
notebooks=("$@")
if [ "${#notebooks[@]}" -eq 0 ]; then
  shopt -s nullglob
  notebooks=(samples/notebooks/*.ipynb)
  shopt -u nullglob
fi

bash eng/pack.sh
bash eng/run-notebooks.sh "${notebooks[@]}"

for notebook in "${notebooks[@]}"; do
  executed="$root/artifacts/notebooks/$(basename "$notebook")"
  python3 - "$executed" "$notebook" "$root" "$HOME" "${TMPDIR:-/tmp}" <<'PY'
import json, re, sys

executed, target, root, home, temp = sys.argv[1:6]
with open(executed, encoding="utf-8") as f:
    notebook = json.load(f)

def clean(text):
    # Longest first: the repository may lie under the home folder.
    text = text.replace(root.rstrip("/"), "<repository>")
    text = re.sub(re.escape(temp.rstrip("/")) + r"/[^\s\"',;)]*", "<temp>", text)
    return text.replace(home.rstrip("/"), "<home>") if home not in ("", "/") else text

def clean_value(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value

for cell in notebook["cells"]:
    metadata = cell.get("metadata", {})
    for key in [k for k in metadata if k.startswith("dotnet_repl_cellExecution")]:
        del metadata[key]
    if cell["cell_type"] != "code":
        continue
    outputs = []
    for output in cell.get("outputs", []):
        html = "".join(output.get("data", {}).get("text/html", []))
        if "Installing Packages" in html:
            continue
        outputs.append(clean_value(output))
    cell["outputs"] = outputs

with open(target, "w", encoding="utf-8", newline="\n") as f:
    json.dump(notebook, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"update-notebooks: wrote {target} ({sum(len(c.get('outputs', [])) for c in notebook['cells'])} outputs)")
PY
done
