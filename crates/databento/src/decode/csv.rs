//! CSV as Databento's `dbn` CSV encoder writes it: a header row (the record header's
//! fields flattened), one row per record, read by column name; pretty values may be empty.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{lib, text_record, DecodeError, Decoded, Fields};

/// Decode a CSV body or export. Rows must all have the header's width and the body must
/// end with a newline (the encoder ends every row with one), so a cut is caught.
pub fn decode_csv(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Ok(Decoded::default());
    }
    if !bytes.ends_with(b"\n") {
        return Err(DecodeError::new("the CSV body does not end with a newline: its last row is cut short"));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(bytes);
    let header = reader.headers().map_err(|e| DecodeError::new(format!("CSV header: {}", lib(e))))?.clone();
    let columns: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h, i)).collect();
    for needed in ["rtype", "instrument_id"] {
        if !columns.contains_key(needed) {
            return Err(DecodeError::new(format!("the CSV header has no `{needed}` column: not a Databento export")));
        }
    }
    let mut out = Decoded::default();
    let mut row = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(DecodeError::new(format!(
                    "CSV row {}: {}; the body may be cut short",
                    out.total + 2,
                    lib(e)
                )))
            }
        }
        out.total += 1;
        let get = |name: &str| -> Result<Option<Cow<'_, str>>, DecodeError> {
            Ok(columns.get(name).and_then(|&i| row.get(i)).filter(|v| !v.is_empty()).map(Cow::Borrowed))
        };
        let record = text_record(&Fields { get: &get })
            .map_err(|e| DecodeError::new(format!("CSV row {}: {e}", out.total + 1)))?;
        match record {
            Some(r) => out.records.push(r),
            None => out.ignored += 1,
        }
    }
    Ok(out)
}
