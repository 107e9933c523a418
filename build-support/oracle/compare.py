"""Compares protoforge's FileDescriptorProtos with protoc's (see compare.sh).

usage: compare.py PROTOFORGE ROOT...

Per root: every .proto file under it is compiled by both tools at once (one file at a time when
either rejects the batch). A file counts as equal when its FileDescriptorProto, SourceCodeInfo
included, is equal; "equal without SourceCodeInfo" and the differing files are listed apart.
"""

import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


EMBEDDED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "source", "proto")


def files_under(root):
    out = []
    for base, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".proto"):
                out.append(os.path.relpath(os.path.join(base, name), root))
    return out


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True)


def compile_both(protoforge, root, names, tmp):
    """{name: (ours, theirs)} for the names both tools compile; the names either rejects."""
    ours_out, theirs_out = os.path.join(tmp, "ours.pb"), os.path.join(tmp, "theirs.pb")
    imports_out = os.path.join(tmp, "imports.pb")
    # protoforge embeds google/api and protoforge/v1 (src/source/proto); protoc is given them.
    protoc = [sys.executable, "-m", "grpc_tools.protoc", "-I.", "-I" + EMBEDDED, "--include_source_info",
              "--descriptor_set_out=" + theirs_out] + names
    ours = [protoforge, "build", "-I", ".", "--include-source-info", "-o", ours_out] + names
    a, b = run(ours, root), run(protoc, root)
    if b.returncode == 0:
        with_imports = [a for a in protoc if not a.startswith("--descriptor_set_out=")]
        with_imports.insert(3, "--include_imports")
        with_imports.insert(3, "--descriptor_set_out=" + imports_out)
        run(with_imports, root)
    if a.returncode != 0 or b.returncode != 0:
        if len(names) == 1:
            return {}, {names[0]: (a.returncode == 0, b.returncode == 0, b.stderr.decode()[:300])}
        found, rejected = {}, {}
        for name in names:
            f, r = compile_both(protoforge, root, [name], tmp)
            found.update(f)
            rejected.update(r)
        return found, rejected

    # Custom options are extensions: read both sets with classes that know every extension
    # protoc saw (else they are unknown fields, compared by byte order).
    with open(imports_out, "rb") as f:
        everything = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(descriptor_pb2.DESCRIPTOR.serialized_pb)
    for file in everything.file:
        if file.name != "google/protobuf/descriptor.proto":
            pool.Add(file)
    names_in_pool = ["google/protobuf/descriptor.proto"] + [
        f.name for f in everything.file if f.name != "google/protobuf/descriptor.proto"]
    classes = message_factory.GetMessageClassesForFiles(names_in_pool, pool)
    set_class = classes["google.protobuf.FileDescriptorSet"]

    def load(path):
        with open(path, "rb") as f:
            s = set_class.FromString(f.read())
        return {f.name: f for f in s.file}

    ours_files, theirs_files = load(ours_out), load(theirs_out)
    return {n: (ours_files.get(n), theirs_files.get(n)) for n in names}, {}


def first_difference(a, b):
    import difflib
    lines = list(difflib.unified_diff(str(b).splitlines(), str(a).splitlines(),
                                      "protoc", "protoforge", lineterm="", n=3))
    return "\n".join(lines[:40])


def main():
    protoforge, roots = os.path.abspath(sys.argv[1]), sys.argv[2:]
    total = equal = equal_without_sci = 0
    differing, disagree = [], []
    for root in roots:
        names = files_under(root)
        if not names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            found, rejected = compile_both(protoforge, root, names, tmp)
        for name, (ours_ok, theirs_ok, why) in sorted(rejected.items()):
            if ours_ok != theirs_ok:
                disagree.append((root, name, ours_ok, theirs_ok, why))
        for name, (ours, theirs) in sorted(found.items()):
            total += 1
            if ours == theirs:
                equal += 1
                continue
            a, b = type(ours)(), type(theirs)()
            a.CopyFrom(ours)
            b.CopyFrom(theirs)
            a.ClearField("source_code_info")
            b.ClearField("source_code_info")
            if a == b:
                equal_without_sci += 1
                differing.append((root, name, "SourceCodeInfo", first_difference(ours, theirs)))
            else:
                differing.append((root, name, "descriptor", first_difference(a, b)))
    for root, name, what, diff in differing[:int(os.environ.get("SHOW", "5"))]:
        print(f"--- {os.path.join(root, name)}: {what} differs\n{diff}\n")
    for root, name, ours_ok, theirs_ok, why in disagree:
        verdict = "protoforge accepts, protoc rejects" if ours_ok else "protoforge rejects, protoc accepts"
        print(f"--- {os.path.join(root, name)}: {verdict}\n{why}")
    print(f"files compiled by both: {total}; equal with SourceCodeInfo: {equal}; "
          f"equal without it: {equal + equal_without_sci}; descriptors differ: "
          f"{sum(1 for d in differing if d[2] == 'descriptor')}; "
          f"accept/reject disagreements: {len(disagree)}")
    return 0 if equal == total and not disagree else 1


if __name__ == "__main__":
    sys.exit(main())
