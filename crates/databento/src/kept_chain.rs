//! A roll day's kept chain ([`crate::chain_keep`]) cached beside its two bodies: a re-run
//! reads the few hundred records it keeps instead of unpacking and decoding the whole
//! chain (about 10,000 option definitions and their settlements a day at full size).
//!
//! The entry is derived from both answers ([`Client::put_derived`]), named by their
//! requests, the months kept and the format's version, and only written when both answers
//! are kept: it lives exactly as long as they do and says everything it depends on (the
//! prices keep depends on the ids the definitions dropped). It holds the kept
//! [`Decoded`] bodies in `postcard` (serde's compact binary format) after a magic line.
//! Anything unreadable is a miss: the run reads the bodies instead.

use deltaroll_core::contract::ContractMonth;
use deltaroll_core::spec::RunSpec;

use crate::cache::Cache;
use crate::chain_keep::wanted_months;
use crate::client::Client;
use crate::decode::Decoded;
use crate::plan::{PlannedRequest, Purpose};
use crate::transport::Transport;

/// The format's name and version in the cache key: change it when the entry's layout or
/// what [`crate::chain_keep::ChainKeep`] keeps changes.
const FORMAT: &str = "kept-chain-v1";
/// First bytes of an entry.
const MAGIC: &[u8] = b"deltaroll kept chain v1\n";

/// A phase-2 roll day: where its two requests are in the plan and the months it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RollDay {
    /// Index of its definitions request.
    pub(crate) definitions: usize,
    /// Index of its prices request (the next one).
    pub(crate) prices: usize,
    /// The contract months whose options it keeps.
    months: Vec<ContractMonth>,
}

impl RollDay {
    /// The roll days of `planned`: each definitions request followed by the prices request
    /// of the same day. None outside phase 2.
    pub(crate) fn all(spec: &RunSpec, planned: &[PlannedRequest]) -> Vec<Self> {
        planned
            .windows(2)
            .enumerate()
            .filter_map(|(i, pair)| match (&pair[0].purpose, &pair[1].purpose) {
                (Purpose::ChainDefinitions { month, date }, Purpose::ChainPrices { month: m, date: d })
                    if (month, date) == (m, d) =>
                {
                    Some(Self { definitions: i, prices: i + 1, months: wanted_months(spec, *month) })
                }
                _ => None,
            })
            .collect()
    }

    /// The kept definitions and prices cached for this day, if any are and they read whole.
    pub(crate) async fn read<T: Transport, C: Cache>(
        &self,
        client: &Client<T, C>,
        planned: &[PlannedRequest],
    ) -> Option<(Decoded, Decoded, usize)> {
        let bytes = client.get_derived(&self.sources(planned)?, &self.what()).await?;
        let (definitions, prices) = decode(&bytes)?;
        Some((definitions, prices, bytes.len()))
    }

    /// Cache the kept `definitions` and `prices` of this day (call it only when both
    /// answers are kept).
    pub(crate) async fn write<T: Transport, C: Cache>(
        &self,
        client: &Client<T, C>,
        planned: &[PlannedRequest],
        entry: &[u8],
    ) {
        if let Some(sources) = self.sources(planned) {
            client.put_derived(&sources, &self.what(), entry).await;
        }
    }

    fn sources<'a>(&self, planned: &'a [PlannedRequest]) -> Option<[&'a crate::GetRange; 2]> {
        Some([&planned.get(self.definitions)?.request, &planned.get(self.prices)?.request])
    }

    /// The entry's name: format and months kept.
    fn what(&self) -> String {
        let months: Vec<String> = self.months.iter().map(|m| format!("{}-{:02}", m.year(), m.month())).collect();
        format!("{FORMAT}|months={}", months.join(","))
    }
}

/// The entry of a day's kept `definitions` and `prices`.
pub(crate) fn encode(definitions: &Decoded, prices: &Decoded) -> Vec<u8> {
    // Serializing these plain types into a vector cannot fail; an empty entry would only
    // be a miss.
    let body = postcard::to_allocvec(&(definitions, prices)).unwrap_or_default();
    [MAGIC, &body].concat()
}

/// The kept definitions and prices of an entry; `None` when it is not one, whole.
pub(crate) fn decode(entry: &[u8]) -> Option<(Decoded, Decoded)> {
    let body = entry.strip_prefix(MAGIC)?;
    match postcard::take_from_bytes(body) {
        Ok((pair, [])) => Some(pair),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::decode::{Coverage, Definition, IdMapping, Record, Settlement};
    use crate::testing::d;

    fn chain() -> (Decoded, Decoded) {
        let definition = Definition {
            instrument_id: 7,
            date: d(2025, 1, 2),
            raw_symbol: "OHH5 C24000".into(),
            class: Some('C'),
            strike: Some(2.4),
            expiration: Some(d(2025, 2, 25)),
            underlying: "HOH5".into(),
            deleted: false,
        };
        let settlement = Settlement {
            instrument_id: 7,
            date: d(2025, 1, 3),
            ts_recv: 1_735_862_400_123_456_789,
            trading_date: d(2025, 1, 2),
            price: 0.1 + 0.2,
            is_final: true,
            symbol: None,
        };
        let mapping =
            IdMapping { instrument_id: 7, raw_symbol: "OHH5 C24000".into(), start: d(2025, 1, 2), end: d(2025, 1, 3) };
        let coverage = Some(Coverage { start: 1, end: Some(u64::MAX - 1) });
        let definitions = Decoded {
            records: vec![Record::Definition(definition)],
            mappings: vec![mapping],
            ignored: 3,
            total: 36_000,
            coverage,
        };
        let prices = Decoded { records: vec![Record::Settlement(settlement)], coverage: None, ..Decoded::default() };
        (definitions, prices)
    }

    #[test]
    fn an_entry_gives_back_exactly_what_was_kept() {
        let (definitions, prices) = chain();
        let entry = encode(&definitions, &prices);
        assert_eq!(decode(&entry), Some((definitions, prices)), "every field, floats to the bit");
    }

    #[test]
    fn a_cut_foreign_or_padded_entry_is_a_miss() {
        let (definitions, prices) = chain();
        let entry = encode(&definitions, &prices);
        for cut in [0, MAGIC.len(), MAGIC.len() + 1, entry.len() - 1] {
            assert_eq!(decode(&entry[..cut]), None, "cut at {cut}");
        }
        assert_eq!(decode(&[&entry[..], b"x"].concat()), None, "trailing bytes");
        assert_eq!(decode(b"DBN\x03 not an entry"), None);
        let mut flipped = entry.clone();
        flipped[3] ^= 0xFF;
        assert_eq!(decode(&flipped), None, "another magic");
    }
}
