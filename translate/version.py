"""The package version, in the bottom layer so that any module can name it (TMX and XLIFF
headers) without importing the package root, which imports the pipeline."""

__version__ = "0.1.0"
