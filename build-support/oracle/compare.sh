#!/usr/bin/env bash
# protoforge's descriptors against protoc's, file by file: the descriptor oracle.
#
#   build-support/oracle/compare.sh [ROOT...]
#
# Each ROOT is an include root whose .proto files are all compiled by both `protoc` (grpcio-tools,
# pinned in requirements.txt and installed into build-support/oracle/.venv from PyPI) and
# `protoforge build`, with source info; every file's FileDescriptorProto is compared, first
# without SourceCodeInfo, then with it. Default roots: the testdata trees and the example service;
# pass ../shared/corpus/googleapis/current for the large run (7,235 files, about 45 s).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import grpc_tools' 2>/dev/null; then
    echo "installing grpcio-tools into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
echo "building protoforge (release)" >&2
(cd "$repo" && cargo build --release --quiet)

if [ $# -eq 0 ]; then
    set -- "$repo"/testdata/lint/* "$repo"/testdata/breaking/*/current "$repo"/testdata/breaking/*/previous \
        "$repo"/testdata/codegen/* "$repo/build-support/example-service/proto"
fi
exec "$venv/bin/python" "$here/compare.py" "$repo/target/release/protoforge" "$@"
