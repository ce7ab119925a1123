"""The partner API: partner agencies send contacts to the front door and see what became of them.

    POST /api/v1/contacts/              send a report naming one to ten children; the reference comes back at once
    GET  /api/v1/contacts/<reference>/  the report as its organisation sees it: each child's status and outcome
    GET  /api/schema/                   the OpenAPI 3 schema (YAML; ?format=json for JSON)
    GET  /api/docs/                     the schema as a Swagger UI page (served from here, no CDN)

Each partner organisation holds its own API tokens (`grip partner_token create`), sent as
`Authorization: Bearer <key>`. Only a hash of a key is stored. The views are thin: they check the
request with the serializers and call the front door's services (`contact_report_receive`), the
same ones the web forms call.
"""
