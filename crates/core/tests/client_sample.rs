//! The wide CSV writer reproduces the client's own sample byte for byte.

#![allow(clippy::unwrap_used)]

mod support;

use deltaroll_core::export::WideRow;
use deltaroll_core::export::{DateStyle, OptionUnit, WideTable};

#[test]
fn client_sample_round_trips_through_the_wide_writer() {
    let Some(dir) = support::shared_data() else { return };
    let original = std::fs::read(dir.join("client-sample-output.csv")).unwrap();
    let text = String::from_utf8(original.clone()).unwrap();
    let mut lines = text.split('\n');
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "timestamp");
    let rows = lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            WideRow {
                date: DateStyle::Us.parse(cells[0]).unwrap(),
                futures: None,
                options: cells[1..].iter().map(|c| (!c.is_empty()).then(|| c.parse().unwrap())).collect(),
            }
        })
        .collect();
    let table = WideTable {
        futures_column: false,
        options: header[1..].iter().map(|s| (*s).to_owned()).collect(),
        option_unit: OptionUnit::Cents,
        dates: DateStyle::Us,
        rows,
    };
    let mut written = Vec::new();
    table.write(&mut written).unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), text);
}
