"""Files sent to the import mutations: a multipart upload (``file``) or Base64 (``contentBase64``).

The GraphQL multipart request spec carries the file beside the JSON operation, so it is not
inflated by a third and never passes through the JSON parser. Its size is bounded by the
request body limit (bytes received, ``jixiao.body_limit``); its content then by the
spreadsheet caps (``resolvers.spreadsheet``), read off the event loop like Base64 content.
"""

from __future__ import annotations

from typing import Any

from strawberry.file_uploads import Upload

from resolvers.spreadsheet import UploadedFile

ONE_OF = "请二选一提供文件：上传文件（file）或 Base64 内容（contentBase64）"


async def uploaded_file(filename: str, content_base64: str | None,
                        file: Upload | None) -> UploadedFile:
    """The file of an import input; reading it is a user error unless exactly one of the two
    was sent (raised by the use case after its permission check)."""
    if (content_base64 is None) == (file is None):
        return UploadedFile(filename, problem=ONE_OF)
    if file is None:
        return UploadedFile(filename, base64_text=content_base64)
    if isinstance(file, bytes):
        return UploadedFile(filename, raw=file)
    # Starlette's UploadFile; a variable sent as a plain JSON value instead has no ``read``.
    read: Any = getattr(file, "read", None)
    if read is None:
        return UploadedFile(filename, problem="file 须按 multipart 请求规范以文件上传")
    raw = await read()  # in a worker thread once the part was spooled to disk
    return UploadedFile(filename, raw=bytes(raw))
