//! Newline-delimited JSON as Databento's `dbn` JSON encoder writes it: one object per line,
//! header fields under `hd`, 64-bit values as strings, prices fixed-point or (pretty_px)
//! decimal, timestamps nanoseconds or (pretty_ts) ISO 8601, an optional `symbol` last.

use serde_json::{Map, Value};

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
        let value: Value = serde_json::from_str(line).map_err(|e| {
            at(DecodeError::new(format!("not a whole JSON object ({}); the body may be cut short", lib(e))))
        })?;
        let Value::Object(obj) = value else {
            return Err(at(DecodeError::new("not a JSON object")));
        };
        self.out.total += 1;
        match line_record(&obj).map_err(at)? {
            Some(r) => self.out.records.push(r),
            None => self.out.ignored += 1,
        }
        Ok(())
    }
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
}
