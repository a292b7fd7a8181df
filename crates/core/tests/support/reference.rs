//! Rows of a committed reference fixture (`tests/data/*_reference.csv`, written by the
//! scripts in `tests/reference/`): named cells, read as the option's inputs.

use std::collections::HashMap;

use deltaroll_core::contract::OptionKind;
use deltaroll_core::pricing::{Black76Inputs, IvQuery};

/// One case: its cells by column name.
pub struct Row(pub HashMap<String, String>);

impl Row {
    /// A number.
    pub fn f(&self, name: &str) -> f64 {
        self.0[name].parse().unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// A number, or nothing for an empty cell.
    pub fn opt(&self, name: &str) -> Option<f64> {
        let v = &self.0[name];
        (!v.is_empty()).then(|| v.parse().unwrap())
    }

    /// `call` or `put`.
    pub fn kind(&self) -> OptionKind {
        match self.0["kind"].as_str() {
            "call" => OptionKind::Call,
            "put" => OptionKind::Put,
            k => panic!("kind {k}"),
        }
    }

    /// The option's inputs.
    pub fn inputs(&self) -> Black76Inputs {
        Black76Inputs {
            forward: self.f("forward"),
            strike: self.f("strike"),
            time: self.f("time"),
            vol: self.f("vol"),
            rate: self.f("rate"),
            kind: self.kind(),
        }
    }

    /// The implied-vol question of `price` for this option.
    pub fn query(&self, price: f64) -> IvQuery {
        super::props::query(&self.inputs(), price)
    }
}

/// The rows of `csv` (comment lines `#` skipped; the first other line is the header); at
/// least `min` of them.
pub fn rows(csv: &str, min: usize) -> Vec<Row> {
    let mut lines = csv.lines().filter(|l| !l.starts_with('#') && !l.is_empty());
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    let rows: Vec<Row> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{l}");
            Row(header.iter().cloned().zip(cells.iter().map(|c| c.to_string())).collect())
        })
        .collect();
    assert!(rows.len() >= min, "fixture has only {} rows", rows.len());
    rows
}
