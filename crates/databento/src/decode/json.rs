//! Newline-delimited JSON as Databento's `dbn` JSON encoder writes it: one object per line,
//! header fields under `hd`, 64-bit values as strings, prices fixed-point or (pretty_px)
//! decimal, timestamps nanoseconds or (pretty_ts) ISO 8601, an optional `symbol` last.

use serde_json::{Map, Value};

use super::{lib, text_record, DecodeError, Decoded, Fields, Record};

/// Decode a JSON-lines body or export. Every non-empty line must be a whole JSON object;
/// a line cut short is an error.
pub fn decode_json_lines(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::new(format!("the JSON body is not UTF-8 ({e})")))?;
    let mut out = Decoded::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |e: DecodeError| DecodeError::new(format!("JSON line {}: {e}", index + 1));
        let value: Value = serde_json::from_str(line).map_err(|e| {
            at(DecodeError::new(format!("not a whole JSON object ({}); the body may be cut short", lib(e))))
        })?;
        let Value::Object(obj) = value else {
            return Err(at(DecodeError::new("not a JSON object")));
        };
        out.total += 1;
        match line_record(&obj).map_err(at)? {
            Some(r) => out.records.push(r),
            None => out.ignored += 1,
        }
    }
    Ok(out)
}

fn line_record(obj: &Map<String, Value>) -> Result<Option<Record>, DecodeError> {
    let hd = match obj.get("hd") {
        Some(Value::Object(hd)) => Some(hd),
        Some(_) => return Err(DecodeError::new("`hd` is not an object")),
        None => None,
    };
    let get = |name: &str| -> Result<Option<String>, DecodeError> {
        let in_header = matches!(name, "ts_event" | "rtype" | "publisher_id" | "instrument_id");
        let value = if in_header { hd.and_then(|h| h.get(name)).or_else(|| obj.get(name)) } else { obj.get(name) };
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(DecodeError::new(format!("field `{name}` is not a value"))),
        }
    };
    text_record(&Fields { get: &get })
}
