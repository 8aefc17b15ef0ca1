"""The shipped model files (installed as ``textclass.models``)."""
