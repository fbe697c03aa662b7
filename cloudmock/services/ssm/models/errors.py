"""The errors Parameter Store answers with, in one place (codes are the model's shape names)."""

from __future__ import annotations

from cloudmock.core.errors import ServiceError

#: what SSM says for a name that breaks its naming rules
NAME_RULES = (
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a '
    "path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a "
    "mix of letters, numbers and the following 3 symbols .-_"
)
RESERVED_PREFIX = 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).'
RESERVED_SSM_PATH = (
    'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can '
    "consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, "
    "numbers and the following 3 symbols .-_"
)
PATH_RULES = (
    "The parameter doesn't meet the parameter name requirements. The parameter name must begin "
    'with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It '
    "must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ "
    "(underscore). Special characters are not allowed. All sub-paths, if specified, must use the "
    'forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.'
)


def validation(message: str) -> ServiceError:
    return ServiceError(message, code="ValidationException")


def access_denied(message: str) -> ServiceError:
    return ServiceError(message, code="AccessDeniedException")


def parameter_not_found(message: str = "") -> ServiceError:
    # GetParameter and DeleteParameter answer with an empty message, as SSM does
    return ServiceError(message, code="ParameterNotFound")


def not_found_named(name: str) -> ServiceError:
    return parameter_not_found(f"Parameter {name} not found.")


def version_not_found(selector: object, name: str) -> ServiceError:
    return ServiceError(
        f"Systems Manager could not find version {selector} of {name}. "
        "Verify the version and try again.",
        code="ParameterVersionNotFound",
    )


def already_exists() -> ServiceError:
    return ServiceError(
        "The parameter already exists. To overwrite this value, set the overwrite option in the "
        "request to true.",
        code="ParameterAlreadyExists",
    )


def hierarchy_too_deep() -> ServiceError:
    return ServiceError(
        "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and "
        "constraints for parameter names in the Amazon Web Services Systems Manager User Guide.",
        code="HierarchyLevelLimitExceededException",
    )


def pattern_mismatch(pattern: str) -> ServiceError:
    return ServiceError(
        f"Parameter value, cannot be validated against allowedPattern: {pattern}",
        code="ParameterPatternMismatchException",
    )


def invalid_allowed_pattern(pattern: str, why: str) -> ServiceError:
    return ServiceError(
        f"The request doesn't meet the regular expression requirement: {pattern!r} is not a "
        f"valid regular expression ({why}).",
        code="InvalidAllowedPatternException",
    )


def max_versions(name: str, oldest: int) -> ServiceError:
    return ServiceError(
        f"You attempted to create a new version of {name} by calling the PutParameter API with "
        f"the overwrite flag. Version {oldest}, the oldest version, can't be deleted because it "
        "has a label associated with it. Move the label to another version of the parameter, and "
        "try again.",
        code="ParameterMaxVersionLimitExceeded",
    )


def parameter_limit() -> ServiceError:
    return ServiceError(
        "You have exceeded the number of parameters for this Amazon Web Services account. Delete "
        "one or more parameters and try again.",
        code="ParameterLimitExceeded",
    )


def label_limit() -> ServiceError:
    return ServiceError(
        "A parameter version can have a maximum of ten labels. Move one or more labels to another "
        "version and try again.",
        code="ParameterVersionLabelLimitExceeded",
    )


def invalid_filter_key(key: str, valid: list[str]) -> ServiceError:
    return ServiceError(
        f"The following filter key is not valid: {key}. Valid filter keys include: "
        f"[{', '.join(valid)}].",
        code="InvalidFilterKey",
    )


def invalid_filter_option(option: str, valid: list[str]) -> ServiceError:
    return ServiceError(
        f"The following filter option is not valid: {option}. Valid options include: "
        f"[{', '.join(valid)}].",
        code="InvalidFilterOption",
    )


def invalid_filter_value(message: str) -> ServiceError:
    return ServiceError(message, code="InvalidFilterValue")


def invalid_next_token() -> ServiceError:
    return ServiceError("The specified token isn't valid.", code="InvalidNextToken")


def invalid_resource_id() -> ServiceError:
    return ServiceError(
        "The resource ID isn't valid. Verify that you entered the correct ID and try again.",
        code="InvalidResourceId",
    )


def too_many_tags() -> ServiceError:
    return ServiceError(
        "The Targets parameter includes too many tags. Remove one or more tags and try the "
        "command again.",
        code="TooManyTagsError",
    )


def policy_error(code: str, message: str) -> ServiceError:
    return ServiceError(message, code=code)


class Unsupported(ServiceError):
    """A value cloudmock does not model yet (a member's value, not the member): refused loudly.

    The same error the plugin's ``refuse`` hook answers for a member no handler takes.
    """

    code = "UnsupportedOperationException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
