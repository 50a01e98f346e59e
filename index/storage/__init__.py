"""index/storage/, a room of the index layer. The index on disk and the vector stores: files, manifest, atomic
swap, row files, the BM25 index, FAISS and Milvus behind the one VectorStore protocol (vectorstore.py;
opener.py, the one way in, picks the store), status.
"""
