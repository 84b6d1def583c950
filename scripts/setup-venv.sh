#!/bin/sh
# Create the virtual environment and install docgen with its test dependencies.
set -eu
python=${1:-python3}
venv=${2:-.venv}
if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c "import ensurepip" >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    else
        echo "Python の venv がありません。python3-venv を入れてください。" >&2
        exit 1
    fi
fi
"$python" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -e '.[test]'
