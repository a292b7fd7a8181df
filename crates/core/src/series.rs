//! A time series of at most one value per date, kept as one slot per calendar day from its
//! first date: finding a date's value is an index, not a search (runs look prices up for
//! every candidate of every roll-day chain and every held option on every row, and a tree
//! or a binary search there costs a cache miss per level in a market of thousands of
//! series). Days without a value cost an empty slot; price series have a value on most
//! days (sessions are six days a week).

use chrono::{Days, NaiveDate};

/// Values by date, in date order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<T> {
    /// The date of `slots[0]`.
    first: NaiveDate,
    /// One per calendar day from `first`; `None`: no value that day.
    slots: Vec<Option<T>>,
    /// Slots with a value.
    len: usize,
}

impl<T> Default for Series<T> {
    fn default() -> Self {
        Self { first: NaiveDate::MIN, slots: Vec::new(), len: 0 }
    }
}

impl<T: Default> Series<T> {
    /// The value of `date`, inserted as `T::default()` when absent.
    pub fn entry(&mut self, date: NaiveDate) -> &mut T {
        if self.slots.is_empty() {
            self.first = date;
        } else if date < self.first {
            let before = self.offset(date).unsigned_abs() as usize;
            self.slots.splice(0..0, std::iter::repeat_with(|| None).take(before));
            self.first = date;
        }
        let at = self.offset(date) as usize;
        if at >= self.slots.len() {
            self.slots.resize_with(at + 1, || None);
        }
        let slot = &mut self.slots[at];
        if slot.is_none() {
            self.len += 1;
        }
        slot.get_or_insert_with(T::default)
    }
}

impl<T> Series<T> {
    /// Calendar days from the first slot to `date` (negative before it).
    fn offset(&self, date: NaiveDate) -> i64 {
        (date - self.first).num_days()
    }

    /// The slot index of `date` clamped to `0..=slots.len()`.
    fn index(&self, date: NaiveDate) -> usize {
        usize::try_from(self.offset(date)).map_or(0, |i| i.min(self.slots.len()))
    }

    /// The value of `date`.
    pub fn get(&self, date: NaiveDate) -> Option<&T> {
        let at = usize::try_from(self.offset(date)).ok()?;
        self.slots.get(at)?.as_ref()
    }

    /// The days with a value in slots `range`, in date order.
    fn slots(&self, range: std::ops::Range<usize>) -> impl DoubleEndedIterator<Item = (NaiveDate, &T)> + '_ {
        let first = self.first;
        let start = range.start;
        self.slots[range].iter().enumerate().filter_map(move |(i, slot)| {
            let value = slot.as_ref()?;
            Some((first.checked_add_days(Days::new((start + i) as u64))?, value))
        })
    }

    /// Every day with a value, in date order.
    pub fn days(&self) -> impl DoubleEndedIterator<Item = (NaiveDate, &T)> + '_ {
        self.slots(0..self.slots.len())
    }

    /// The days with a value on or before `date`, in date order.
    pub fn up_to(&self, date: NaiveDate) -> impl DoubleEndedIterator<Item = (NaiveDate, &T)> + '_ {
        self.between(self.first, date)
    }

    /// The days with a value in `[from, to]`, in date order (none when `from > to`).
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> impl DoubleEndedIterator<Item = (NaiveDate, &T)> + '_ {
        let start = self.index(from);
        let end = to.succ_opt().map_or(self.slots.len(), |after| self.index(after));
        self.slots(start..end.max(start))
    }

    /// Number of days with a value.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No day with a value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, day).unwrap()
    }

    fn all<'a>(days: impl Iterator<Item = (NaiveDate, &'a u32)>) -> Vec<(NaiveDate, u32)> {
        days.map(|(d, &v)| (d, v)).collect()
    }

    #[test]
    fn entries_keep_date_order_and_ranges_cut_by_date() {
        let mut s: Series<u32> = Series::default();
        assert_eq!((s.get(d(3)), s.is_empty(), all(s.days())), (None, true, vec![]));
        for (day, v) in [(5, 50), (9, 90), (2, 20), (5, 5), (7, 70)] {
            *s.entry(d(day)) += v;
        }
        assert_eq!(all(s.days()), [(d(2), 20), (d(5), 55), (d(7), 70), (d(9), 90)]);
        assert_eq!((s.get(d(7)), s.get(d(8)), s.get(d(1)), s.get(d(30)), s.len()), (Some(&70), None, None, None, 4));
        assert_eq!(all(s.up_to(d(6))), [(d(2), 20), (d(5), 55)]);
        assert_eq!(all(s.up_to(d(30))).len(), 4);
        assert_eq!(all(s.up_to(d(1))), []);
        assert_eq!(all(s.between(d(5), d(7)).rev()), [(d(7), 70), (d(5), 55)]);
        assert_eq!(all(s.between(d(1), d(2))), [(d(2), 20)]);
        assert_eq!(all(s.between(d(3), d(4))), []);
        assert_eq!(all(s.between(d(7), d(5))), []);
        assert_eq!(all(s.between(d(10), d(20))), []);
    }
}
