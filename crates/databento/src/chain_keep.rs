//! What a roll day's chain keeps: futures, and the options of the months the run's legs
//! roll into (`OHJ5` options on `HOJ5` for March's roll two months ahead) — about one
//! month in 36 of a full chain.

use std::collections::HashSet;

use deltaroll_core::contract::{ContractMonth, OptionSymbol};
use deltaroll_core::spec::RunSpec;

use crate::decode::{Decoded, Record};
use crate::plan::Purpose;

/// The contract months whose options the chain of roll month `month` keeps: one per leg.
pub(crate) fn wanted_months(spec: &RunSpec, month: ContractMonth) -> Vec<ContractMonth> {
    spec.legs().iter().map(|leg| month.add_months(leg.months_ahead as i32)).collect()
}

/// The filter of a phase's bodies, in plan order. The prices body that follows the
/// definitions drops the ids the definitions dropped; both drop those ids' metadata
/// mappings.
#[derive(Debug, Default)]
pub(crate) struct ChainKeep {
    /// Ids of the options the last chain's definitions left out.
    dropped: HashSet<u32>,
}

impl ChainKeep {
    /// Keep of `body` (the answer to a request for `purpose`) what the run reads.
    pub(crate) fn filter(&mut self, spec: &RunSpec, purpose: &Purpose, body: &mut Decoded) {
        match purpose {
            Purpose::ChainDefinitions { month, .. } => {
                let wanted = wanted_months(spec, *month);
                self.dropped.clear();
                body.records.retain(|r| {
                    let Record::Definition(d) = r else { return true };
                    let unwanted = OptionSymbol::parse(&d.raw_symbol, d.date).is_ok_and(|o| !wanted.contains(&o.month));
                    if unwanted {
                        self.dropped.insert(d.instrument_id);
                    }
                    !unwanted
                });
            }
            Purpose::ChainPrices { .. } => body.records.retain(|r| !self.dropped.contains(&instrument_id(r))),
            _ => return,
        }
        body.mappings.retain(|m| !self.dropped.contains(&m.instrument_id));
    }
}

fn instrument_id(record: &Record) -> u32 {
    match record {
        Record::Definition(d) => d.instrument_id,
        Record::Settlement(s) => s.instrument_id,
        Record::Bar(b) => b.instrument_id,
    }
}
