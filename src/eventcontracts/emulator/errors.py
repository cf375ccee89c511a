"""The errors the emulator answers with, shaped like the service model's error shapes."""

from __future__ import annotations

# Status codes from each error shape's ``error.httpStatusCode`` in botocore's schemas model.
ERROR_STATUS: dict[str, int] = {
    "BadRequestException": 400,
    "UnauthorizedException": 401,
    "ForbiddenException": 403,
    "NotFoundException": 404,
    "ConflictException": 409,
    "GoneException": 410,
    "PreconditionFailedException": 412,
    "TooManyRequestsException": 429,
    "InternalServerErrorException": 500,
    "ServiceUnavailableException": 503,
    # Not in the model: IAM's answer to a caller without the permission, before the service.
    "AccessDeniedException": 403,
    # Not in the model: answered for operations the emulator does not implement.
    "NotImplementedException": 501,
}


class ApiError(Exception):
    """An error answered as a rest-json error: the status, ``x-amzn-errortype`` and a body."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        return ERROR_STATUS[self.code]

    def body(self) -> dict[str, str]:
        return {"Code": self.code, "Message": self.message}


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequestException", message)


def not_found(message: str) -> ApiError:
    return ApiError("NotFoundException", message)


def conflict(message: str) -> ApiError:
    return ApiError("ConflictException", message)


def forbidden(message: str) -> ApiError:
    return ApiError("ForbiddenException", message)
