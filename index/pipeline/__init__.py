"""index/pipeline/, a room of the index layer. Building and maintaining an index: the build steps, the library
(uploads, jobs) and its worker process, test-only pause points.
"""
