"""Generates the gRPC stubs from the protos into the built package (sluice.v1), so they always match the API."""
import os
from importlib import resources
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# The protos live in the Sluice repository; SLUICE_PROTO_DIR points elsewhere (a copy shipped beside a build).
PROTO_DIR = Path(os.environ.get("SLUICE_PROTO_DIR", HERE.parent.parent / "src" / "main" / "proto"))


def generate_stubs(output: Path) -> None:
    from grpc_tools import protoc

    protos = sorted(str(path.relative_to(PROTO_DIR)) for path in (PROTO_DIR / "sluice" / "v1").glob("*.proto"))
    if not protos:
        raise SystemExit(f"no protos under {PROTO_DIR / 'sluice' / 'v1'}; set SLUICE_PROTO_DIR")
    well_known = resources.files("grpc_tools") / "_proto"
    output.mkdir(parents=True, exist_ok=True)
    arguments = ["grpc_tools.protoc", f"-I{PROTO_DIR}", f"-I{well_known}", f"--python_out={output}",
                 f"--pyi_out={output}", f"--grpc_python_out={output}", *protos]
    if protoc.main(arguments) != 0:
        raise SystemExit("protoc failed to generate the sluice.v1 stubs")
    (output / "sluice" / "v1" / "__init__.py").write_text('"""Generated from src/main/proto/sluice/v1."""\n')


class BuildWithStubs(build_py):
    def run(self):
        super().run()
        generate_stubs(Path(self.build_lib))


setup(cmdclass={"build_py": BuildWithStubs})
