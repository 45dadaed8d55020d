"""pySigma as the oracle of the differential Sigma tests: each rule is converted by pysigma-backend-duckdb into
DuckDB SQL and run over the events, one event at a time (a table of that event's row).

One request per line on stdin, one answer per line on stdout (a long-lived process, so a property-based test
pays for pySigma's start once). A request (JSON): {"fields": [every field name a rule or event may use],
"rules": [{"key", "yaml"}], "events": [flat JSON objects]}. The answer: {"results": {key: {"matches": [event index],
"errors": {event index: message}} | {"refused": message}}}.

Events are stored as text columns (a field's text as the engine reads it; numbers compare through TRY_CAST), and
defects of pysigma-backend-duckdb 0.1.4 that contradict the Sigma specification itself (2.0, "Modifiers" and
"Value types": strings match case-insensitively unless `cased`; a missing field matches no value) are corrected
here, not choices the specification leaves open:
- a value without wildcards is compared with `=` (case-sensitive), and `%` and `_` in a value are not escaped
  (they act as SQL wildcards): every string comparison becomes ILIKE (LIKE with `cased`) with `\\` as escape;
- `fieldref` compares with `=` (case-sensitive) or with the other field's value as a LIKE pattern: it becomes
  lower-cased equality, contains, starts_with, ends_with;
- SQL's three-valued logic makes `not selection` unknown (no match) when the field is missing: every field
  test is wrapped in COALESCE(test, false), so a missing field is a plain "does not match".
Everything else (how pySigma reads modifiers, wildcards, escapes, windash, base64offset, cidr, conditions) is
pySigma's own.
"""
import json
import sys

import duckdb
from sigma.collection import SigmaCollection
from sigma.conversion.state import ConversionState
from sigma.processing.pipeline import ProcessingPipeline
from sigma.types import SigmaString
from sigma_backend_duckdb import DuckDBBackend


class SpecDuckDBBackend(DuckDBBackend):
    escape_char = "\\"
    add_escaped = "%_\\"
    wildcard_match_expression = "{field} ILIKE '{value}' ESCAPE '\\'"
    case_sensitive_match_expression = "{field} LIKE {value} ESCAPE '\\'"

    field_equals_field_expression = "lower({field1}) = lower({field2})"
    field_equals_field_startswith_expression = "starts_with(lower({field1}), lower({field2}))"
    field_equals_field_endswith_expression = "ends_with(lower({field1}), lower({field2}))"
    field_equals_field_contains_expression = "contains(lower({field1}), lower({field2}))"

    # Events are stored as text (see load_event): numbers compare as numbers, a text that is no number never matches.
    compare_op_expression = "TRY_CAST({field} AS DOUBLE) {operator} {value}"

    def convert_condition_field_eq_val_num(self, cond, state: ConversionState):
        return f"TRY_CAST({self.escape_and_quote_field(cond.field)} AS DOUBLE) = {cond.value}"

    def convert_condition_field_eq_val(self, cond, state: ConversionState):
        converted = super().convert_condition_field_eq_val(cond, state)
        return f"COALESCE(({converted}), false)" if isinstance(converted, str) else converted

    def convert_condition_field_eq_val_str(self, cond, state: ConversionState):
        return self.wildcard_match_expression.format(
            field=self.escape_and_quote_field(cond.field),
            value=self.convert_value_str(cond.value, state, no_quote=True),
        )

    def convert_value_str(self, s: SigmaString, state: ConversionState, no_quote: bool = False, glob_wildcards: bool = False) -> str:
        # LIKE, not GLOB, for `cased`: the same wildcards and escapes as ILIKE.
        return super().convert_value_str(s, state, no_quote=no_quote, glob_wildcards=False)


def text_of(value):
    """A JSON value as the Sigma engine reads a field's text: numbers in shortest form, booleans true/false."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_of(event, fields):
    """One row per combination of list elements (a list field matches when one of its elements does)."""
    rows = [{}]
    for field in fields:
        value = event.get(field)
        choices = value if isinstance(value, list) else [value]
        if len(choices) == 0:
            choices = [None]
        rows = [dict(row, **{field: choice}) for row in rows for choice in choices]
    return rows


def load_event(con, event, fields):
    """Every field as text, so that string tests never fail on a column's type (SQL would refuse ILIKE on a number)."""
    con.execute("DROP TABLE IF EXISTS logs")
    columns = ", ".join(f'"{field}" VARCHAR' for field in fields)
    con.execute(f"CREATE TABLE logs ({columns})")
    marks = ", ".join("?" for _ in fields)
    for row in rows_of(event, fields):
        con.execute(f"INSERT INTO logs VALUES ({marks})", [text_of(row[field]) for field in fields])


def answer(request, con):
    fields = request["fields"]
    queries = {}
    results = {}
    for rule in request["rules"]:
        try:
            converted = SpecDuckDBBackend(processing_pipeline=ProcessingPipeline()).convert(SigmaCollection.from_yaml(rule["yaml"]))
            # A list of conditions converts to one query each: the rule matches when any does.
            queries[rule["key"]] = " UNION ALL ".join(f"({query})" for query in converted)
        except Exception as error:  # noqa: BLE001 - every refusal is reported with its reason
            results[rule["key"]] = {"refused": f"{type(error).__name__}: {error}"}
    for key in queries:
        results[key] = {"matches": [], "errors": {}, "sql": queries[key]}
    for index, event in enumerate(request["events"]):
        load_event(con, event, fields)
        for key, sql in queries.items():
            try:
                if con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] > 0:
                    results[key]["matches"].append(index)
            except duckdb.Error as error:
                results[key]["errors"][str(index)] = str(error).split("\n")[0]
    return {"results": results}


def answer_correlation(request, con):
    """A correlation request: {"fields", "groupBy", "collection" (YAML documents: the rules and the correlation),
    "events" (each with "@seconds", its time)}. The answer: {"groups": [[group-by values]]} or {"refused"}."""
    fields = request["fields"]
    try:
        sql = SpecDuckDBBackend(processing_pipeline=ProcessingPipeline()).convert(SigmaCollection.from_yaml(request["collection"]))[-1]
    except Exception as error:  # noqa: BLE001 - every refusal is reported with its reason
        return {"refused": f"{type(error).__name__}: {error}"}
    con.execute("DROP TABLE IF EXISTS logs")
    columns = ", ".join(f'"{field}" VARCHAR' for field in fields)
    con.execute(f'CREATE TABLE logs ({columns}, "timestamp" TIMESTAMP)')
    marks = ", ".join("?" for _ in fields)
    for event in request["events"]:
        values = [text_of(event.get(field)) for field in fields]
        con.execute(f"INSERT INTO logs VALUES ({marks}, to_timestamp(?))", values + [event["@seconds"]])
    width = len(request["groupBy"])
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.Error as error:
        return {"refused": f"DuckDB cannot run the query: {str(error).splitlines()[0]}", "sql": sql}
    return {"groups": [[value for value in row[:width]] for row in rows], "sql": sql}


def main():
    con = duckdb.connect()
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            result = answer_correlation(request, con) if "collection" in request else answer(request, con)
            sys.stdout.write(json.dumps(result, default=str) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
