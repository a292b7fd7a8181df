//! Daily runs that move their end date forward fetch only the new days. A final answer to
//! a `get_range` is cached under its exact range, and beside it a link saying where that
//! answer reached from its start ([`GetRange::link_key`]). A later request for the same
//! data from the same start, reaching further, follows the links through the pieces kept
//! (yesterday's answer, then each day's addition) and fetches only the rest; the pieces
//! partition the range, so together they hold what one answer to the whole range holds.

use chrono::NaiveDate;

use crate::base_url::BaseUrl;
use crate::cache::Cache;
use crate::request::GetRange;
use crate::types::DateRange;

/// The cached pieces of a request's data from its start, in order, and where they end.
#[derive(Debug)]
pub struct Prefix {
    /// Each piece's body.
    pub bodies: Vec<Vec<u8>>,
    /// The end (exclusive) of the last piece.
    pub end: NaiveDate,
}

/// `request` over `range` instead.
pub fn piece(request: &GetRange, range: DateRange) -> GetRange {
    GetRange { range, ..request.clone() }
}

/// The longest run of cached pieces of `request` from its start, within its range; `None`
/// when there is none.
pub async fn cached_prefix<C: Cache>(cache: &C, request: &GetRange, base: &BaseUrl) -> Option<Prefix> {
    let end = request.range.end();
    let (mut at, mut bodies) = (request.range.start(), Vec::new());
    while at < end {
        let Some(link) = cache.get(&request.link_key(at).scoped(base)).await else { break };
        let Some(reach) = std::str::from_utf8(&link).ok().and_then(|t| t.trim().parse::<NaiveDate>().ok()) else {
            break;
        };
        let Ok(range) = DateRange::new(at, reach) else { break };
        if reach > end {
            break;
        }
        let Some(body) = cache.get(&piece(request, range).cache_key().scoped(base)).await else { break };
        bodies.push(body);
        at = reach;
    }
    (!bodies.is_empty()).then_some(Prefix { bodies, end: at })
}

/// Note that the answer to `kept`, just cached, reaches its range's end from its start.
pub async fn remember<C: Cache>(cache: &C, kept: &GetRange, base: &BaseUrl) {
    let link = kept.link_key(kept.range.start()).scoped(base);
    cache.put(&link, kept.range.end().to_string().as_bytes()).await;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cache::MemoryCache;
    use crate::testing::d;
    use crate::types::{Dataset, Symbols};
    use crate::{SType, Schema};

    fn request(end: NaiveDate) -> GetRange {
        let symbols = Symbols::new(["HO.FUT"]).unwrap();
        let range = DateRange::new(d(2025, 1, 2), end).unwrap();
        GetRange::new(Dataset::glbx_mdp3(), Schema::Ohlcv1D, SType::Parent, symbols, range)
    }

    #[tokio::test(flavor = "current_thread")]
    async fn pieces_are_followed_from_the_start_and_never_past_the_end() {
        let cache = MemoryCache::new();
        let base = BaseUrl::databento();
        {
            assert!(cached_prefix(&cache, &request(d(2025, 2, 1)), &base).await.is_none());
            for (range, body) in [((d(2025, 1, 2), d(2025, 2, 1)), b"jan"), ((d(2025, 2, 1), d(2025, 2, 2)), b"f01")] {
                let kept = piece(&request(d(2025, 2, 3)), DateRange::new(range.0, range.1).unwrap());
                cache.put(&kept.cache_key().scoped(&base), body).await;
                remember(&cache, &kept, &base).await;
            }
            let prefix = cached_prefix(&cache, &request(d(2025, 2, 3)), &base).await.unwrap();
            assert_eq!((prefix.bodies, prefix.end), (vec![b"jan".to_vec(), b"f01".to_vec()], d(2025, 2, 2)));
            let shorter = cached_prefix(&cache, &request(d(2025, 2, 1)), &base).await.unwrap();
            assert_eq!(shorter.end, d(2025, 2, 1));
            let elsewhere = BaseUrl::parse("http://127.0.0.1:9").unwrap();
            assert!(cached_prefix(&cache, &request(d(2025, 2, 3)), &elsewhere).await.is_none());
            let before = cached_prefix(&cache, &request(d(2025, 1, 31)), &base).await;
            assert!(before.is_none(), "a piece reaching past the end is not used");
        }
    }
}
