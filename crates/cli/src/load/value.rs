//! A front matter field's value, whichever syntax (YAML or TOML) it came from: what the
//! two readers produce and the field checks read.

/// A top-level field: its name, value, and the line of its key.
pub type Field = (String, Val, usize);

/// A front matter value, whichever syntax it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    /// A TOML date or date-time, in its text form.
    Date(String),
    List(Vec<Val>),
    Map,
}

impl Val {
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "empty",
            Val::Bool(_) => "true/false",
            Val::Num(_) => "a number",
            Val::Str(_) => "text",
            Val::Date(_) => "a date",
            Val::List(_) => "a list",
            Val::Map => "a table of fields",
        }
    }

    /// The text of a scalar (numbers and dates as written); `None` for lists and maps.
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Str(s) | Val::Num(s) | Val::Date(s) => Some(s.clone()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}
