from setuptools import setup

# scrapyd-deploy builds its egg with `setup.py bdist_egg`; without this file it writes one of
# its own that would package the top-level folders instead of `cleanwire` (see pyproject.toml).
setup()
