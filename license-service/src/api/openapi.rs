//! The OpenAPI 3.1 document, generated from the route table ([`super::routes`]) and the
//! permission matrix: every path and method, its summary, whether it needs a session or a
//! token (and which scope), and the error body every failure has. (Bodies are described
//! in docs/SERVICE.md; a schema per body is not generated yet.)

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::app::SESSION_COOKIE;
use crate::permissions::{COLUMNS, Cell, Matrix};

/// The document for the routes (method, path, summary) under `matrix`.
pub fn build(routes: &[(String, &'static str, &'static str)], matrix: &Matrix) -> Value {
    let mut paths: BTreeMap<&str, serde_json::Map<String, Value>> = BTreeMap::new();
    for (method, path, summary) in routes {
        let name = format!("{method} {path}");
        let public = matrix.cell(&name, "anonymous") != Cell::No;
        let roles: Vec<&str> = COLUMNS[1..7]
            .iter()
            .copied()
            .filter(|c| matrix.cell(&name, c) != Cell::No)
            .collect();
        let mut security = vec![];
        if !public {
            security.push(json!({"session": []}));
            if let Cell::Scope(s) = matrix.cell(&name, "token") {
                security.push(json!({ "token": [s] }));
            }
        }
        let mut op = json!({
            "summary": summary,
            "x-roles": roles,
            "responses": {
                "default": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if !public {
            op["security"] = json!(security);
        }
        paths
            .entry(path)
            .or_default()
            .insert(method.to_ascii_lowercase(), op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "license-service", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
                "token": {"type": "http", "scheme": "bearer"}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["kind", "message"],
                    "properties": {"kind": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}
                }}}
            }
        }
    })
}
