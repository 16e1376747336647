"""vschema against its peers: ``make bench`` (``python -m benchmarks``) writes RESULTS.md.

Every contender checks the same rules, translated from the same vschema validator
(`benchmarks.peers`), each peer in its strictest mode. Where a peer cannot state one of Convex's
rules, the difference is written down as a `workloads.Case` whose ``accepted_by`` names the peer,
and the pre-check asserts the peer really accepts that sample and rejects every other invalid
one; RESULTS.md lists them all. In short:

* fastjsonschema and jsonschema (JSON Schema): ``"integer"`` takes floats with no fraction
  (``1234.0`` for a `v.int64()`), ``"number"`` takes ints beyond 2**53 (no `v.float64()` limit);
* every peer takes strings with lone surrogates, which are no UTF-8 and so no Convex string
  (from JSON, orjson, pydantic and msgspec refuse them while decoding);
* msgspec and fastjsonschema take a tuple where an array belongs;
* vschema takes only exact `str` dict keys (checked before any lookup, so a key's own
  ``__eq__`` never runs): pydantic and the JSON Schema validators take a `str`-subclass key
  anywhere, msgspec in a record (its `Struct` fields refuse one); every peer takes a `str`
  subclass equal to a string literal as that literal;
* `v.id` checks Convex's ID format in full; a peer can state only a pattern (the alphabet and
  the lengths), so all of them take an ID with a wrong checksum, stray bits in its last
  character or table number 0;
* pydantic's ``validate_json`` takes an int beyond 2**53 where a float64 belongs (its strict
  float falls back to the lax schema for JSON input).

The hand-written baseline (`benchmarks.handwritten`) checks exactly vschema's rules, and the
same pre-checks hold it to them. Beyond the rules, the work differs in what comes back: vschema
and the hand-written baseline return the input unchanged, pydantic (TypedDicts) returns a
validated copy, msgspec converts into `Struct` instances, and the JSON Schema validators return
nothing.
"""
