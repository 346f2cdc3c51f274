//! A small ledger: accounts, postings and a balance report.

use std::collections::HashMap;
use std::collections::BTreeMap;
use std::collections::HashSet;
use std::fmt;
use std::io::{self, BufRead, Write};

use crate::model::Account;
use crate::model::{Amount, Posting};
use super::parse::parse_posting;
use self::report::Report;

pub use crate::errors::LedgerError;
pub use crate::errors::ParseError;

const MAX_ACCOUNTS: usize = 10_000;
static default_currency: &str = "EUR";

pub struct Ledger {
    accounts: HashMap<String, Account>,
    closed: HashSet<String>,
    postings: Vec<Posting>,
}

pub enum EntryKind {
    Debit,
    Credit,
    opening_balance,
}

pub trait Summarise {
    fn summary(&self) -> String;
}

impl Ledger {
    pub fn new() -> Self {
        Ledger { accounts: HashMap::new(), closed: HashSet::new(), postings: Vec::new() }
    }

    pub fn add_posting(&mut self, posting: Posting) -> Result<(), LedgerError> {
        if self.accounts.len() >= MAX_ACCOUNTS {
            return Err(LedgerError::TooManyAccounts);
        }
        let accountName = posting.account.clone();
        self.accounts.entry(accountName).or_default();
        self.postings.push(posting);
        Ok(())
    }

    pub fn readFrom<R: BufRead>(&mut self, reader: R) -> io::Result<usize> {
        let mut count = 0;
        for line in reader.lines() {
            let line = line?;
            if let Ok(posting) = parse_posting(&line) {
                let _ = self.add_posting(posting);
                count += 1;
            }
        }
        Ok(count)
    }

    fn balances(&self) -> BTreeMap<&str, Amount> {
        let mut totals = BTreeMap::new();
        for posting in &self.postings {
            *totals.entry(posting.account.as_str()).or_insert(Amount::zero()) += posting.amount;
        }
        totals
    }
}

impl fmt::Display for Ledger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (account, amount) in self.balances() {
            writeln!(f, "{account}: {amount} {}", default_currency)?;
        }
        Ok(())
    }
}

impl Summarise for Ledger {
    fn summary(&self) -> String {
        format!("{} postings", self.postings.len())
    }
}

pub fn write_report<W: Write>(ledger: &Ledger, out: &mut W) -> io::Result<()> {
    let report = Report::from(ledger);
    write!(out, "{report}")
}

mod report {
    use super::*;

    pub struct Report(String);

    impl From<&Ledger> for Report {
        fn from(ledger: &Ledger) -> Self {
            Report(ledger.summary())
        }
    }

    impl fmt::Display for Report {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn reads_postings() {
        let mut ledger = Ledger::new();
        let count = ledger.readFrom(Cursor::new("cash 10\n")).unwrap();
        assert_eq!(count, 1);
    }
}
