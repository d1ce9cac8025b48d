//! A shortcode template's header comment: the arguments it takes, their
//! types and defaults, and whether it takes a body.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use super::Value;

/// What a template's header comment declares.
///
/// The header is the template's first comment, opened with `{# shortcode`
/// (or `{#- shortcode`), holding TOML:
///
/// ```text
/// {#- shortcode
/// body = "required"            # or "optional"; absent: no body allowed
/// [args]
/// src = { type = "string", required = true }
/// kind = { type = "string", default = "note", values = ["note", "warning"] }
/// wide = { type = "bool", default = false }
/// -#}
/// ```
///
/// Types: `string`, `integer`, `float` (an integer is accepted too),
/// `bool`. A template without a header takes no arguments and no body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declaration {
    pub output: Output,
    pub body: BodyRule,
    pub args: BTreeMap<String, ArgSpec>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    #[default]
    Html,
    Markdown,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BodyRule {
    #[default]
    None,
    Optional,
    Required,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArgSpec {
    pub kind: ArgType,
    pub required: bool,
    pub default: Option<Value>,
    /// The only strings allowed, when given.
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    String,
    Integer,
    Float,
    Bool,
}

impl ArgType {
    fn name(self) -> &'static str {
        match self {
            ArgType::String => "string",
            ArgType::Integer => "integer",
            ArgType::Float => "float",
            ArgType::Bool => "bool",
        }
    }

    /// What a value of this type is, in the words of an author's
    /// message (the header's `type` names are the template's).
    pub(super) fn described(self) -> &'static str {
        match self {
            ArgType::String => "a string",
            ArgType::Integer => "a whole number",
            ArgType::Float => "a number",
            ArgType::Bool => "true or false",
        }
    }

    pub(super) fn accepts(self, v: &Value) -> bool {
        matches!(
            (self, v),
            (ArgType::String, Value::String(_))
                | (ArgType::Integer, Value::Integer(_))
                | (ArgType::Float, Value::Float(_) | Value::Integer(_))
                | (ArgType::Bool, Value::Bool(_))
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Header {
    body: Option<String>,
    #[serde(default)]
    args: BTreeMap<String, ArgHeader>,
    /// What the shortcode is for (documentation only).
    #[allow(dead_code)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArgHeader {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    required: bool,
    default: Option<toml::Value>,
    values: Option<Vec<String>>,
    #[allow(dead_code)]
    description: Option<String>,
}

/// Reads a template's header comment. Errors are messages with the byte
/// range of the header in the template.
pub fn parse_declaration(
    text: &str,
    output: Output,
) -> Result<Declaration, (Range<usize>, String)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let Some(after) = rest.strip_prefix("{#-").or_else(|| rest.strip_prefix("{#")) else {
        return Ok(Declaration {
            output,
            ..Declaration::default()
        });
    };
    let Some(toml_text) = after.trim_start().strip_prefix("shortcode") else {
        return Ok(Declaration {
            output,
            ..Declaration::default()
        });
    };
    let end = toml_text.find("#}").unwrap_or(toml_text.len());
    let toml_text = toml_text[..end].trim_end().trim_end_matches('-');
    let at = start..start + 2;
    let header: Header = toml::from_str(toml_text)
        .map_err(|e| (at.clone(), format!("shortcode header: {}", e.message())))?;
    let body = match header.body.as_deref() {
        None | Some("none") => BodyRule::None,
        Some("optional") => BodyRule::Optional,
        Some("required") => BodyRule::Required,
        Some(other) => {
            return Err((
                at,
                format!("shortcode header: body = \"{other}\": expected \"required\", \"optional\" or \"none\""),
            ))
        }
    };
    let mut args = BTreeMap::new();
    for (name, a) in header.args {
        let kind = match a.kind.as_str() {
            "string" => ArgType::String,
            "integer" => ArgType::Integer,
            "float" => ArgType::Float,
            "bool" => ArgType::Bool,
            other => {
                return Err((
                    at,
                    format!("shortcode header: argument `{name}` has type \"{other}\": expected string, integer, float or bool"),
                ))
            }
        };
        let default = match a.default {
            None => None,
            Some(toml::Value::String(s)) => Some(Value::String(s)),
            Some(toml::Value::Integer(i)) => Some(Value::Integer(i)),
            Some(toml::Value::Float(f)) => Some(Value::Float(f)),
            Some(toml::Value::Boolean(b)) => Some(Value::Bool(b)),
            Some(other) => {
                return Err((
                    at,
                    format!(
                        "shortcode header: argument `{name}` has a default of type {}",
                        other.type_str()
                    ),
                ))
            }
        };
        if let Some(d) = &default {
            if !kind.accepts(d) {
                return Err((
                    at,
                    format!(
                        "shortcode header: argument `{name}` (type = \"{}\") takes {}, but its default is {}",
                        kind.name(),
                        kind.described(),
                        d.described()
                    ),
                ));
            }
        }
        args.insert(
            name,
            ArgSpec {
                kind,
                required: a.required,
                default,
                values: a.values,
            },
        );
    }
    Ok(Declaration { output, body, args })
}
