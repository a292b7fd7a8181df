//! Newline-delimited JSON as Databento's `dbn` JSON encoder writes it: one object per line,
//! header fields under `hd`, 64-bit values as strings, prices fixed-point or (pretty_px)
//! decimal, timestamps nanoseconds or (pretty_ts) ISO 8601, an optional `symbol` last.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{lib, text_record, DecodeError, Decoded, Fields, Record};

/// Decode a JSON-lines body or export. Every non-empty line must be a whole JSON object;
/// a line cut short is an error.
pub fn decode_json_lines(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut lines = JsonLines::default();
    lines.feed(bytes)?;
    lines.finish()
}

/// A JSON-lines decoder fed in pieces (a zstd body as it unpacks): each line is decoded
/// as soon as it is whole, so the text is never held whole.
#[derive(Debug, Default)]
pub struct JsonLines {
    /// The start of a line whose end has not come yet.
    pending: Vec<u8>,
    /// Lines read so far.
    lines: usize,
    out: Decoded,
}

impl JsonLines {
    /// Decode the lines `piece` completes; keep its unfinished last line.
    pub fn feed(&mut self, mut piece: &[u8]) -> Result<(), DecodeError> {
        while let Some(end) = piece.iter().position(|&b| b == b'\n') {
            if self.pending.is_empty() {
                self.line(&piece[..end])?;
            } else {
                self.pending.extend_from_slice(&piece[..end]);
                let line = std::mem::take(&mut self.pending);
                self.line(&line)?;
            }
            piece = &piece[end + 1..];
        }
        self.pending.extend_from_slice(piece);
        Ok(())
    }

    /// Decode the last line (one without a newline) and return everything decoded.
    pub fn finish(mut self) -> Result<Decoded, DecodeError> {
        let last = std::mem::take(&mut self.pending);
        self.line(&last)?;
        Ok(self.out)
    }

    fn line(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.lines += 1;
        let at = |e: DecodeError| DecodeError::new(format!("JSON line {}: {e}", self.lines));
        let text = std::str::from_utf8(bytes)
            .map_err(|e| at(DecodeError::new(format!("the JSON body is not UTF-8 ({e})"))))?;
        let line = text.trim();
        if line.is_empty() {
            return Ok(());
        }
        let whole = |e: serde_json::Error| {
            at(DecodeError::new(format!("not a whole JSON object ({}); the body may be cut short", lib(e))))
        };
        if !line.starts_with('{') {
            serde_json::from_str::<IgnoredAny>(line).map_err(whole)?;
            return Err(at(DecodeError::new("not a JSON object")));
        }
        let entries: Entries<'_> = serde_json::from_str(line).map_err(whole)?;
        self.out.total += 1;
        match line_record(&entries).map_err(at)? {
            Some(r) => self.out.records.push(r),
            None => self.out.ignored += 1,
        }
        Ok(())
    }
}

fn line_record(obj: &Entries<'_>) -> Result<Option<Record>, DecodeError> {
    let hd = match obj.get("hd") {
        Some(raw) if raw.get().starts_with('{') => Some(
            serde_json::from_str::<Entries<'_>>(raw.get())
                .map_err(|e| DecodeError::new(format!("`hd` is not an object ({})", lib(e))))?,
        ),
        Some(_) => return Err(DecodeError::new("`hd` is not an object")),
        None => None,
    };
    let get = |name: &str| -> Result<Option<Cow<'_, str>>, DecodeError> {
        let in_header = matches!(name, "ts_event" | "rtype" | "publisher_id" | "instrument_id");
        let value =
            if in_header { hd.as_ref().and_then(|h| h.get(name)).or_else(|| obj.get(name)) } else { obj.get(name) };
        value.map_or(Ok(None), |raw| {
            scalar(raw).ok_or_else(|| DecodeError::new(format!("field `{name}` is not a value")))
        })
    };
    text_record(&Fields { get: &get })
}

/// A JSON scalar as text: a string's content (borrowed unless it has escapes), a number
/// or boolean as written; `Some(None)` for `null`, `None` for an object or array.
fn scalar(raw: &RawValue) -> Option<Option<Cow<'_, str>>> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => Some(Some(match text.get(1..text.len() - 1).filter(|inner| !inner.contains('\\')) {
            Some(inner) => Cow::Borrowed(inner),
            None => Cow::Owned(serde_json::from_str::<String>(text).ok()?),
        })),
        Some(b'{' | b'[') => None,
        _ if text == "null" => Some(None),
        _ => Some(Some(Cow::Borrowed(text))),
    }
}

/// The members of one JSON object, values left unparsed (borrowed from the line), in
/// order; a name given twice means its last value, as in `serde_json::Value`.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'a> Entries<'a> {
    fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| *v)
    }
}

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(16);
                while let Some((Name(k), v)) = map.next_entry::<Name<'de>, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// A member's name, borrowed unless it has escapes.
struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Two records as the `dbn` JSON encoder writes them (docs/reference: a bar, then a
    /// settlement with `map_symbols`), CRLF-ended, without a final newline.
    const BODY: &str = concat!(
        r#"{"hd":{"ts_event":"1736726400000000000","rtype":35,"publisher_id":1,"instrument_id":7},"#,
        r#""open":"2400000000","high":"2450000000","low":"2390000000","close":"2420000000","volume":"12","symbol":"HOH5"}"#,
        "\r\n",
        r#"{"ts_recv":"1736728200000000000","hd":{"ts_event":"1736728200000000000","rtype":24,"publisher_id":1,"instrument_id":7},"#,
        r#""ts_ref":"1736640000000000000","price":"2415000000","quantity":"9223372036854775807","sequence":0,"ts_in_delta":0,"#,
        r#""stat_type":3,"channel_id":65535,"update_action":1,"stat_flags":1,"symbol":"HOH5"}"#,
    );

    #[test]
    fn lines_fed_in_any_pieces_decode_as_the_whole_text() {
        let whole = decode_json_lines(BODY.as_bytes()).unwrap();
        assert_eq!((whole.total, whole.records.len()), (2, 2));
        for cut in 0..=BODY.len() {
            let mut lines = JsonLines::default();
            lines.feed(&BODY.as_bytes()[..cut]).unwrap();
            lines.feed(&BODY.as_bytes()[cut..]).unwrap();
            assert_eq!(lines.finish().unwrap(), whole, "cut at {cut}");
        }
        let mut cut_short = JsonLines::default();
        cut_short.feed(&BODY.as_bytes()[..BODY.len() - 3]).unwrap();
        assert!(cut_short.finish().unwrap_err().to_string().starts_with("JSON line 2: not a whole JSON object"));
    }

    #[test]
    fn escapes_nulls_and_non_values_read_as_a_json_value_would() {
        let escaped = BODY.replacen(r#""symbol":"HOH5""#, r#""symbol":"HO\u00485""#, 1).replacen(
            r#""volume":"12""#,
            r#""volume":12,"extra":null"#,
            1,
        );
        assert_eq!(decode_json_lines(escaped.as_bytes()).unwrap(), decode_json_lines(BODY.as_bytes()).unwrap());
        let hd_not_object = BODY.replacen(r#""hd":{"#, r#""hd":5,"x":{"#, 1);
        assert!(decode_json_lines(hd_not_object.as_bytes()).unwrap_err().0.ends_with("`hd` is not an object"));
        let field_object = BODY.replacen(r#""close":"2420000000""#, r#""close":{"a":1}"#, 1);
        assert_eq!(
            decode_json_lines(field_object.as_bytes()).unwrap_err().0,
            "JSON line 1: field `close` is not a value"
        );
        assert_eq!(decode_json_lines(b"[1]").unwrap_err().0, "JSON line 1: not a JSON object");
    }
}
