"""An offline emulator of the Amazon EventBridge Schema Registry API (the ``schemas`` service).

It speaks the service's rest-json protocol over HTTP, as botocore's service model (schemas
2019-12-02) describes it, so the real boto3 ``schemas`` client works against it unchanged::

    with Emulator() as emu:
        client = boto3.client("schemas", endpoint_url=emu.endpoint_url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")

Implemented operations are listed in ``IMPLEMENTED_OPERATIONS``; every other operation of the
model answers HTTP 501 with the error code ``NotImplementedException``.

Where the emulator knowingly differs from AWS:

- No authentication: signatures are not checked, any credentials work, and there is one
  account (``123456789012``) and one region (``us-east-1``, configurable on ``Emulator``) whose
  ARNs are used whatever region the client signs for. No IAM, no resource policies.
- No AWS-provided registries (``aws.events``, ``discovered-schemas``); ``ListRegistries`` with
  ``Scope=AWS`` answers an empty list. No discoverers or resource policies.
- ``CreateSchema`` on an existing schema answers ``ConflictException`` (409). The model does
  not list ConflictException among CreateSchema's errors; botocore still reads the code.
  ``CreateSchema``/``UpdateSchema`` in a missing registry answer ``NotFoundException``, which the
  model does not list for ``CreateSchema`` either.
- Content is checked only for being JSON of 1..100,000 characters; it is not validated as an
  OpenAPI 3 or JSON Schema Draft 4 document, as the service does.
- Schema names must be 1..385 characters without whitespace or control characters (the model
  has no pattern; AWS's own registry has partner schema names with ``/``, so this is an
  assumption), registry names 1..64 of ``[.-_A-Za-z0-9]``; at most 50 tags.
- ``UpdateSchema`` whose Content (and Type) equal the latest version's creates no new version
  and answers the latest one. Neither botocore's model nor the API reference says what AWS
  does here (not verified against AWS; another vendor's EventBridge documents this same rule).
  Without Content, UpdateSchema changes only the Description; a Type
  change without Content is a BadRequestException. The description is per schema, not per
  version. ``ClientTokenId`` (an ``idempotencyToken`` in the model) is honoured per schema:
  an UpdateSchema with a token seen before (of the last 100) changes nothing and answers the
  version that call answered, whatever its body (AWS may instead refuse a reused token with
  other parameters; not documented).
- ``DeleteSchemaVersion`` may delete any version, the latest included; deleting the last
  remaining version deletes the schema. Version numbers are never reused.
- ``DeleteRegistry`` deletes the registry with all its schemas, empty or not.
- ``ExportSchema`` supports ``Type=JSONSchemaDraft4`` (the only type the API reference names). A
  JSONSchemaDraft4 version is exported as stored; an OpenApi3 version is converted as the
  registry's own exports show it (see ``export``: draft-04, the ``AWSEvent`` envelope as the
  root with its ``x-amazon-events-*`` keys, components under ``definitions`` with their refs
  rewritten, ``nullable`` in draft 4's terms, keys sorted), except that a property named
  ``readOnly`` keeps its name (AWS renames it ``x-amazon-open-api-schema-readOnly`` and leaves
  ``required`` naming ``readOnly``). An OpenApi3 document without ``components.schemas.AWSEvent``
  answers BadRequestException (what AWS does with one is not documented).
- Code bindings (see ``bindings``): ``Python36`` only, whose binding is the package
  ``eventcontracts generate`` writes for the version (pydantic models, the typed envelope,
  ``publish``), zipped with a ``pyproject.toml`` so that ``pip install`` takes the zip; it
  depends on ``eventcontracts-runtime``, not on AWS's Python 3.6 marshaller classes. Every
  other language (``Java8``, ``TypeScript3``, ``Go1``) answers NotFoundException (404). A
  binding is made in the background as AWS makes it: ``PutCodeBinding`` answers 202
  ``CREATE_IN_PROGRESS``, ``DescribeCodeBinding`` then ``CREATE_COMPLETE`` (or
  ``CREATE_FAILED``, for a version no code can be generated of: no event source, no detail);
  ``DescribeCodeBinding`` and ``GetCodeBindingSource`` before a ``PutCodeBinding``, and
  ``GetCodeBindingSource`` before ``CREATE_COMPLETE``, answer NotFoundException (the message
  says the status, and why a binding failed). ``PutCodeBinding`` of a binding that exists answers
  it as it is. Bindings are kept in memory only (not in the state file) and belong to the
  version's content: a schema made again with other content has none.
  ``Emulator(code_binding_seconds=N)`` keeps a new binding in progress at least N seconds.
- ``GetDiscoveredSchema`` (see ``discovery``) infers the schema as ``eventcontracts infer`` does
  (the rules are in the README's ``infer`` section), in the shape of ``discovered-schemas``;
  both ``Type`` values of the model are answered (the console offers OpenApi3 only). 1 to 10
  events, each a JSON object of a single type of event (one source and detail-type), else
  BadRequestException; a JSON object without ``source`` and ``detail-type`` is inferred whole
  as one ``Event`` component, as the AWS CLI's example of the operation shows.
- ``SearchSchemas`` matches when every whitespace-separated keyword occurs (case-insensitively)
  in the schema name or its latest content; AWS's ranking/matching is not documented.
- Pagination: listings are sorted by name (versions by number); ``Limit`` defaults to and is
  capped at 100; ``NextToken`` is an opaque token that is valid only for the same listing and
  never expires. ``LastModified`` and created dates are ISO 8601 with milliseconds (UTC).
- No rate limits or service errors except those injected on purpose (``Faults``).
- It is a local development server, guarded as one (see ``guard``): a ``Host`` header that
  does not name it (DNS rebinding) and any request with an ``Origin`` header (a web page) are
  a ForbiddenException (403); a body that is not ``application/json``, a missing, malformed or
  repeated ``Content-Length`` with a body, ``Transfer-Encoding``, a body over 1 MiB, one that
  does not arrive within the request timeout (30 s), JSON nested over 256 levels (body or
  Content) and ``NaN``/``Infinity`` (not JSON numbers) are a BadRequestException (400). The
  real service's limits and exact messages for these are not documented; the status codes
  and error codes are the model's.
- State is kept in memory; with a state file it is loaded at start and written (atomically,
  through a temporary file and ``os.replace``) after every write. One process per state file:
  at start it removes the temporary files a killed process (kill -9) left beside it.
"""

from __future__ import annotations

from eventcontracts.emulator.faults import Faults
from eventcontracts.emulator.operations import IMPLEMENTED_OPERATIONS
from eventcontracts.emulator.server import Emulator, serve

__all__ = ["IMPLEMENTED_OPERATIONS", "Emulator", "Faults", "serve"]
