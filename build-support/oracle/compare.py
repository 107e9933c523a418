"""Compares protoforge's FileDescriptorProtos with protoc's (see compare.sh).

usage: compare.py PROTOFORGE ROOT...

Per root: every .proto file under it is compiled by both tools at once (a batch either tool
rejects is halved until the files at fault are found alone). A file counts as equal when its FileDescriptorProto, SourceCodeInfo
included, is equal; "equal without SourceCodeInfo" and the differing files are listed apart.
"""

import os
import subprocess
import sys
import tempfile
import time

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


EMBEDDED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "source", "proto")


def embedded_root(tmp):
    """An include root with protoforge's embedded files but google/protobuf: protoc has its own
    (the real language features files), so that protoc is judged with them."""
    root = os.path.join(tmp, "embedded")
    for base, dirs, names in os.walk(EMBEDDED):
        rel = os.path.relpath(base, EMBEDDED)
        if rel == os.path.join("google", "protobuf"):
            continue
        for name in names:
            os.makedirs(os.path.join(root, rel), exist_ok=True)
            os.symlink(os.path.join(base, name), os.path.join(root, rel, name))
    return root


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


def compile_both(protoforge, root, names, tmp, embedded):
    """{name: (ours, theirs)} for the names both tools compile; the names either rejects.

    A batch either tool rejects is halved until the files at fault are found alone."""
    ours_out, theirs_out = os.path.join(tmp, "ours.pb"), os.path.join(tmp, "theirs.pb")
    # protoforge embeds google/api and protoforge/v1 (src/source/proto); protoc is given them.
    # --include_imports: the same run gives the extensions custom options need (see below).
    protoc = [sys.executable, "-m", "grpc_tools.protoc", "-I.", "-I" + embedded, "--include_source_info",
              "--include_imports", "--descriptor_set_out=" + theirs_out] + names
    ours = [protoforge, "build", "-I", ".", "--include-source-info", "-o", ours_out] + names
    a, b = run(ours, root), run(protoc, root)
    if a.returncode != 0 or b.returncode != 0:
        if len(names) == 1:
            return {}, {names[0]: (a.returncode == 0, b.returncode == 0, b.stderr.decode()[:300])}
        found, rejected = {}, {}
        half = len(names) // 2
        for part in (names[:half], names[half:]):
            f, r = compile_both(protoforge, root, part, tmp, embedded)
            found.update(f)
            rejected.update(r)
        return found, rejected

    def load(path):
        with open(path, "rb") as f:
            return {f.name: f for f in descriptor_pb2.FileDescriptorSet.FromString(f.read()).file}

    ours_files, everything = load(ours_out), load(theirs_out)
    pairs = {n: (ours_files.get(n), everything.get(n)) for n in names}
    # Equal bytes are equal descriptors. Otherwise custom options may only be written in another
    # order: read both again with classes that know every extension protoc saw, so that options
    # are compared as fields and not as unknown bytes.
    if all(o is not None and o.SerializeToString() == t.SerializeToString() for o, t in pairs.values()):
        return pairs, {}
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(descriptor_pb2.DESCRIPTOR.serialized_pb)
    in_pool = ["google/protobuf/descriptor.proto"]
    for name, file in everything.items():
        if name != "google/protobuf/descriptor.proto":
            pool.Add(file)
            in_pool.append(name)
    file_class = message_factory.GetMessageClassesForFiles(in_pool, pool)["google.protobuf.FileDescriptorProto"]

    def typed(file):
        return None if file is None else file_class.FromString(file.SerializeToString())

    return {n: (typed(o), typed(t)) for n, (o, t) in pairs.items()}, {}


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
        started = time.monotonic()
        names = files_under(root)
        if not names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            found, rejected = compile_both(protoforge, root, names, tmp, embedded_root(tmp))
        if len(names) > 100:
            print(f"{root}: {len(names)} files in {time.monotonic() - started:.1f} s", file=sys.stderr)
        for name, (ours_ok, theirs_ok, why) in sorted(rejected.items()):
            if ours_ok != theirs_ok:
                disagree.append((root, name, ours_ok, theirs_ok, why))
        for name, (ours, theirs) in sorted(found.items()):
            total += 1
            if ours == theirs:
                equal += 1
                continue
            if ours is None:
                differing.append((root, name, "descriptor", "missing from protoforge's set"))
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
