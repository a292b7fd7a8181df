//! The leg editor's state: the `legs` setting's text as rows of fields (side, type, delta,
//! months ahead, quantity), each kept as typed. A form without legs shows one row, the long
//! leg its option type, target delta and months ahead make (so an old link opens as one
//! leg); any edit writes every row into the `legs` text. Presets fill it at once.

use deltaroll_core::legs::MAX_LEGS;
use deltaroll_core::settings::{setting, Setting};

use super::form::FormState;

/// One leg as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegRow {
    /// `long` or `short`.
    pub side: String,
    /// `call` or `put`.
    pub kind: String,
    /// Target delta.
    pub delta: String,
    /// Months ahead k.
    pub months_ahead: String,
    /// Contracts.
    pub quantity: String,
}

/// A field of a leg row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegField {
    /// Long or short.
    Side,
    /// Call or put.
    Kind,
    /// Target delta.
    Delta,
    /// Months ahead.
    MonthsAhead,
    /// Quantity.
    Quantity,
}

impl LegRow {
    /// `short:call:0.15:2:1`: the row as a legs item.
    fn text(&self) -> String {
        [&self.side, &self.kind, &self.delta, &self.months_ahead, &self.quantity].map(|f| f.trim()).join(":")
    }

    /// One item of the legs text; missing months ahead is `k`, missing quantity 1.
    fn parse(item: &str, k: &str) -> Self {
        let mut parts = item.split(':').map(|p| p.trim().to_owned());
        let mut next = |default: &str| parts.next().unwrap_or_else(|| default.to_owned());
        Self { side: next(""), kind: next(""), delta: next(""), months_ahead: next(k), quantity: next("1") }
    }

    /// The text of `field`.
    pub fn get(&self, field: LegField) -> &str {
        match field {
            LegField::Side => &self.side,
            LegField::Kind => &self.kind,
            LegField::Delta => &self.delta,
            LegField::MonthsAhead => &self.months_ahead,
            LegField::Quantity => &self.quantity,
        }
    }

    fn field_mut(&mut self, field: LegField) -> &mut String {
        match field {
            LegField::Side => &mut self.side,
            LegField::Kind => &mut self.kind,
            LegField::Delta => &mut self.delta,
            LegField::MonthsAhead => &mut self.months_ahead,
            LegField::Quantity => &mut self.quantity,
        }
    }
}

fn key(key: &str) -> &'static Setting {
    setting(key).unwrap_or_else(|| panic!("{key} is a setting of the core's table"))
}

/// The legs setting.
pub fn legs_setting() -> &'static Setting {
    key("legs")
}

/// The rows the editor shows: the legs typed, else the one leg the option type, target
/// delta and months ahead make.
pub fn rows(form: &FormState) -> Vec<LegRow> {
    let k = form.text(key("months_ahead")).trim().to_owned();
    let text = form.text(legs_setting());
    if text.trim().is_empty() {
        let (kind, delta) = (form.text(key("option_type")), form.text(key("delta")));
        return vec![LegRow::parse(&format!("long:{kind}:{delta}"), &k)];
    }
    text.split(',').map(|item| LegRow::parse(item, &k)).collect()
}

fn write(form: &mut FormState, rows: &[LegRow]) {
    let text: Vec<String> = rows.iter().map(LegRow::text).collect();
    form.set(legs_setting(), text.join(","));
}

/// Type `text` into `field` of leg `index` (`:` and `,` separate fields and legs, so they
/// are dropped).
pub fn set_field(form: &mut FormState, index: usize, field: LegField, text: &str) {
    let mut all = rows(form);
    if let Some(row) = all.get_mut(index) {
        *row.field_mut(field) = text.chars().filter(|c| !matches!(c, ':' | ',')).collect();
        write(form, &all);
    }
}

/// Add a leg (a copy of the last one, short when it was long, so a strangle is one click
/// and a type away), unless the run has [`MAX_LEGS`] already.
pub fn add(form: &mut FormState) {
    let mut all = rows(form);
    if all.len() >= MAX_LEGS {
        return;
    }
    if let Some(mut next) = all.last().cloned() {
        next.side = "short".to_owned();
        all.push(next);
    }
    write(form, &all);
}

/// Remove leg `index`, unless it is the only one.
pub fn remove(form: &mut FormState, index: usize) {
    let mut all = rows(form);
    if all.len() > 1 && index < all.len() {
        all.remove(index);
        write(form, &all);
    }
}

/// A preset position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Its element id.
    pub id: &'static str,
    /// Its button's label.
    pub label: &'static str,
    /// Its legs as `SIDE:KIND:DELTA`, months ahead from the form.
    pub legs: &'static [&'static str],
}

/// The presets the editor offers.
pub static PRESETS: [Preset; 4] = [
    Preset { id: "preset-short-call", label: "Short call", legs: &["short:call:0.15"] },
    Preset { id: "preset-short-put", label: "Short put", legs: &["short:put:0.15"] },
    Preset { id: "preset-short-strangle", label: "Short strangle", legs: &["short:call:0.15", "short:put:0.15"] },
    Preset {
        id: "preset-compare-calls",
        label: "Compare 0.10 / 0.15 / 0.25 calls",
        legs: &["long:call:0.1", "long:call:0.15", "long:call:0.25"],
    },
];

/// Replace the legs with `preset`'s, at the form's months ahead, one contract each.
pub fn apply(form: &mut FormState, preset: &Preset) {
    let k = form.text(key("months_ahead")).trim().to_owned();
    let all: Vec<LegRow> = preset.legs.iter().map(|item| LegRow::parse(item, &k)).collect();
    write(form, &all);
}

#[cfg(test)]
mod tests {
    use deltaroll_core::contract::OptionKind;
    use deltaroll_core::position::Side;

    use super::*;

    #[test]
    fn a_form_without_legs_shows_its_one_long_leg() {
        let mut form = FormState::default();
        form.set(key("option_type"), "put");
        let row = LegRow {
            side: "long".into(),
            kind: "put".into(),
            delta: "0.15".into(),
            months_ahead: "2".into(),
            quantity: "1".into(),
        };
        assert_eq!(rows(&form), [row]);
        assert_eq!(form.text(legs_setting()), "", "showing it writes nothing");
        let spec = form.spec().unwrap();
        assert_eq!((spec.legs().len(), spec.legs()[0].kind), (1, OptionKind::Put));
    }

    #[test]
    fn presets_edits_adds_and_removes_make_the_legs() {
        let mut form = FormState::default();
        apply(&mut form, &PRESETS[2]);
        let legs = form.spec().unwrap().legs;
        assert_eq!(legs.len(), 2);
        assert!(legs.iter().all(|l| l.side == Side::Short && l.target_delta == 0.15 && l.months_ahead == 2));
        assert_eq!((legs[0].kind, legs[1].kind), (OptionKind::Call, OptionKind::Put));

        set_field(&mut form, 1, LegField::Quantity, "3");
        set_field(&mut form, 0, LegField::Delta, "0.2:5,");
        assert_eq!(form.text(legs_setting()), "short:call:0.25:2:1,short:put:0.15:2:3");
        set_field(&mut form, 0, LegField::Delta, "0.");
        assert_eq!(rows(&form)[0].delta, "0.", "kept as typed");
        assert!(!form.errors().is_empty(), "and explained");
        set_field(&mut form, 0, LegField::Delta, "0.1");
        add(&mut form);
        assert_eq!(rows(&form).len(), 3);
        remove(&mut form, 0);
        let legs = form.spec().unwrap().legs;
        assert_eq!(legs.iter().map(|l| l.quantity).collect::<Vec<_>>(), [3, 3]);
        for _ in 0..10 {
            add(&mut form);
        }
        assert_eq!(rows(&form).len(), MAX_LEGS);
        for _ in 0..10 {
            remove(&mut form, 0);
        }
        assert_eq!(rows(&form).len(), 1, "the last leg stays");

        apply(&mut form, &PRESETS[3]);
        let deltas: Vec<f64> = form.spec().unwrap().legs.iter().map(|l| l.target_delta).collect();
        assert_eq!(deltas, [0.1, 0.15, 0.25]);
    }
}
