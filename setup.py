"""Build shim; the project is configured in pyproject.toml.

scrapyd-deploy builds its egg with ``setup.py bdist_egg`` and, without this file, writes a
setup.py of its own that would package the top-level folders instead of ``cleanwire``. The
repository root is the package, so this file would be a module of it: the build leaves it out.
"""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPy(build_py):  # type: ignore[misc]
    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules: list[tuple[str, str, str]] = super().find_package_modules(package, package_dir)
        return [module for module in modules if (module[0], module[1]) != ("cleanwire", "setup")]


setup(cmdclass={"build_py": BuildPy})
