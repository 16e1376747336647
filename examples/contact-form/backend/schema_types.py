# TEMPORARY STAND-IN (to be replaced by vschema codegen output)
from typing import Any, Literal, TypedDict, cast

from vschema import v
from vschema.validators._schema import define_schema, define_table

ProjectType = Literal["saas_mvp", "ai_agent", "automation", "other"]


class NewInquiry(TypedDict):
    name: str
    email: str
    projectType: ProjectType
    description: str


_pt = v.union(v.literal("saas_mvp"), v.literal("ai_agent"), v.literal("automation"), v.literal("other"))
_schema = define_schema({"inquiries": define_table({"name": v.string(), "email": v.string(), "projectType": _pt, "description": v.string()}).index("by_email", ["email"])})


def parse_new_inquiry(value: object) -> NewInquiry:
    return cast(NewInquiry, _schema.validate("inquiries", value))
