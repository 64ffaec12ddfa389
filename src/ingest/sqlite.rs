//! A small read-only reader of the SQLite 3 file format, enough to read
//! the DShield web honeypot's `webserver.sqlite` (table `requests`)
//! without a C library, so it builds for wasm32.
//!
//! What it reads: the 100-byte header (page size, reserved bytes, text
//! encoding), the schema table `sqlite_master` rooted on page 1, and
//! table b-trees (interior pages 0x05, leaf pages 0x0D) with their
//! records and overflow chains. Indexes, the freelist and WITHOUT ROWID
//! tables are never needed. Rows still in a `-wal` file are not seen.
//! Every offset is bounds-checked and every page is visited at most
//! once, so a damaged file gives an error sentence, never a panic.

use super::honeypot::{unix_number_day, WEB_PORT};
use super::sink::Sink;
use super::text::{
    local_time_day, source_ip, timestamp_day, BAD_DATE, BAD_IP, MISSING,
};
use crate::event::proto;

/// The first 16 bytes of every SQLite 3 database.
pub const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Columns taken as the source address, best first.
const SOURCE_COLUMNS: &[&str] = &[
    "address",
    "sip",
    "source",
    "src_ip",
    "srcip",
    "source_ip",
    "src",
    "ip",
    "remote_addr",
    "client_ip",
];
/// Columns taken as the request time, best first.
const TIME_COLUMNS: &[&str] = &["date", "time", "timestamp", "ts"];

/// One column value of a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (all integer serial types, and the constants 0 and 1).
    Int(i64),
    /// An IEEE 754 double.
    Real(f64),
    /// Text, decoded to UTF-8 (lossy).
    Text(String),
    /// A blob.
    Blob(Vec<u8>),
}

/// A table found in `sqlite_master`.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The table name.
    pub name: String,
    /// The root page of its b-tree (1-based).
    pub root: u32,
    /// Column names from its `CREATE TABLE` statement.
    pub columns: Vec<String>,
    /// The column that aliases the rowid (`INTEGER PRIMARY KEY`), if any.
    pub rowid_alias: Option<usize>,
}

/// An open database image.
pub struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
    pages: usize,
    encoding: u32,
    /// Whether the header says the journal is a write-ahead log.
    pub wal: bool,
}

/// Reads a SQLite varint (1 to 9 bytes, big-endian) at `at`.
fn varint(b: &[u8], at: usize) -> Result<(u64, usize), String> {
    let mut v: u64 = 0;
    for i in 0..9 {
        let byte = *b.get(at + i).ok_or("a varint runs past its page")?;
        if i == 8 {
            return Ok(((v << 8) | u64::from(byte), 9));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Ok((v, i + 1));
        }
    }
    Ok((v, 9))
}

fn be16(b: &[u8], at: usize) -> Result<usize, String> {
    match b.get(at..at + 2) {
        Some(s) => Ok(usize::from(u16::from_be_bytes([s[0], s[1]]))),
        None => Err("a page header is cut short".to_string()),
    }
}

fn be32(b: &[u8], at: usize) -> Result<u32, String> {
    match b.get(at..at + 4) {
        Some(s) => Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]])),
        None => Err("a page number is cut short".to_string()),
    }
}

/// A big-endian two's-complement integer of 1 to 8 bytes.
fn be_int(b: &[u8]) -> i64 {
    let mut v: i64 =
        if b.first().is_some_and(|x| x & 0x80 != 0) { -1 } else { 0 };
    for &x in b {
        v = (v << 8) | i64::from(x);
    }
    v
}

impl<'a> Db<'a> {
    /// Checks the header; the error is one sentence.
    pub fn open(bytes: &'a [u8]) -> Result<Db<'a>, String> {
        if bytes.len() < 100 || !bytes.starts_with(MAGIC) {
            return Err("the SQLite header is cut short".to_string());
        }
        let page_size = match be16(bytes, 16)? {
            1 => 65536,
            n if n >= 512 && n.is_power_of_two() => n,
            n => return Err(format!("SQLite page size {n} is invalid")),
        };
        let reserved = usize::from(bytes[20]);
        let usable = page_size.saturating_sub(reserved);
        if usable < 480 {
            return Err(format!(
                "SQLite usable page size {usable} is too small"
            ));
        }
        let encoding = be32(bytes, 56)?;
        Ok(Db {
            bytes,
            page_size,
            usable,
            pages: bytes.len() / page_size,
            encoding,
            wal: bytes[18] == 2 || bytes[19] == 2,
        })
    }

    /// Page `n` (1-based), cut to its usable size.
    fn page(&self, n: u32) -> Result<&'a [u8], String> {
        let i = n as usize;
        if i == 0 || i > self.pages {
            return Err(format!(
                "page {n} is outside the file ({} pages)",
                self.pages
            ));
        }
        let start = (i - 1) * self.page_size;
        Ok(&self.bytes[start..start + self.usable])
    }

    /// Calls `row` with (rowid, values) for every row of the table b-tree
    /// rooted at `root`, in rowid order.
    pub fn rows(
        &self,
        root: u32,
        row: &mut dyn FnMut(i64, Vec<Value>),
    ) -> Result<(), String> {
        let mut seen = vec![false; self.pages + 1];
        let mut stack = vec![root];
        // Records of one table never hold more bytes than the file; a
        // damaged file whose records share overflow pages would otherwise
        // cost time quadratic in its size.
        let mut budget = self.bytes.len();
        while let Some(n) = stack.pop() {
            let slot = seen.get_mut(n as usize).ok_or_else(|| {
                format!("page {n} is outside the file ({} pages)", self.pages)
            })?;
            if std::mem::replace(slot, true) {
                return Err(format!("page {n} is reached twice"));
            }
            let page = self.page(n)?;
            let h = if n == 1 { 100 } else { 0 };
            let kind = *page.get(h).ok_or("a page header is cut short")?;
            let cells = be16(page, h + 3)?;
            match kind {
                0x0D => {
                    for c in 0..cells {
                        let at = be16(page, h + 8 + 2 * c)?;
                        let (rowid, payload) =
                            self.leaf_cell(page, at, &mut budget)?;
                        row(rowid, self.record(&payload)?);
                    }
                }
                0x05 => {
                    // Right-most child last in order, so pushed first.
                    stack.push(be32(page, h + 8)?);
                    for c in (0..cells).rev() {
                        let at = be16(page, h + 12 + 2 * c)?;
                        stack.push(be32(page, at)?);
                    }
                }
                other => {
                    return Err(format!(
                    "page {n} has b-tree type {other:#04x}, not a table page"
                ))
                }
            }
        }
        Ok(())
    }

    /// A table leaf cell at `at`: the rowid and the whole payload.
    /// `budget` is the payload bytes still allowed for this table.
    fn leaf_cell(
        &self,
        page: &[u8],
        at: usize,
        budget: &mut usize,
    ) -> Result<(i64, Vec<u8>), String> {
        let (len, n1) = varint(page, at)?;
        let (rowid, n2) = varint(page, at + n1)?;
        if len > *budget as u64 {
            return Err(format!(
                "a record claims {len} bytes, more than the file holds"
            ));
        }
        *budget -= len as usize;
        let len = len as usize;
        let u = self.usable;
        let x = u - 35;
        let local = if len <= x {
            len
        } else {
            let m = (u - 12) * 32 / 255 - 23;
            let k = m + (len - m) % (u - 4);
            if k <= x {
                k
            } else {
                m
            }
        };
        let start = at + n1 + n2;
        let mut out = page
            .get(start..start + local)
            .ok_or("a record runs past its page")?
            .to_vec();
        if local < len {
            let mut next = be32(page, start + local)?;
            let mut hops = 0;
            while out.len() < len {
                hops += 1;
                if next == 0 || hops > self.pages {
                    return Err("an overflow chain ends early".to_string());
                }
                let p = self.page(next)?;
                let take = (len - out.len()).min(u - 4);
                out.extend_from_slice(&p[4..4 + take]);
                next = be32(p, 0)?;
            }
        }
        Ok((rowid as i64, out))
    }

    /// Decodes a record into its values.
    fn record(&self, payload: &[u8]) -> Result<Vec<Value>, String> {
        let (header_len, mut at) = varint(payload, 0)?;
        let header_len = usize::try_from(header_len).unwrap_or(usize::MAX);
        if header_len > payload.len() {
            return Err("a record header runs past its payload".to_string());
        }
        let mut body = header_len;
        let mut values = Vec::new();
        while at < header_len {
            let (t, n) = varint(payload, at)?;
            at += n;
            let size = match t {
                0 | 8 | 9 => 0,
                1..=4 => t as usize,
                5 => 6,
                6 | 7 => 8,
                10 | 11 => return Err("a record uses a reserved type".into()),
                _ => usize::try_from((t - 12) / 2)
                    .map_err(|_| "a record value is too long".to_string())?,
            };
            let raw = payload
                .get(body..body.saturating_add(size))
                .ok_or("a record value runs past its payload")?;
            body += size;
            values.push(match t {
                0 => Value::Null,
                1..=6 => Value::Int(be_int(raw)),
                7 => Value::Real(f64::from_bits(be_int(raw) as u64)),
                8 => Value::Int(0),
                9 => Value::Int(1),
                _ if t % 2 == 0 => Value::Blob(raw.to_vec()),
                _ => Value::Text(self.text(raw)),
            });
        }
        Ok(values)
    }

    /// Text in the database encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be).
    fn text(&self, raw: &[u8]) -> String {
        let units = |be: bool| {
            raw.chunks_exact(2)
                .map(|c| {
                    if be {
                        u16::from_be_bytes([c[0], c[1]])
                    } else {
                        u16::from_le_bytes([c[0], c[1]])
                    }
                })
                .collect::<Vec<u16>>()
        };
        match self.encoding {
            2 => String::from_utf16_lossy(&units(false)),
            3 => String::from_utf16_lossy(&units(true)),
            _ => String::from_utf8_lossy(raw).into_owned(),
        }
    }

    /// The tables listed in `sqlite_master`.
    pub fn tables(&self) -> Result<Vec<Table>, String> {
        let mut tables = Vec::new();
        self.rows(1, &mut |_, v| {
            let text = |i: usize| match v.get(i) {
                Some(Value::Text(s)) => Some(s.clone()),
                _ => None,
            };
            let root = match v.get(3) {
                Some(Value::Int(r)) => u32::try_from(*r).ok(),
                _ => None,
            };
            if let (Some(kind), Some(name), Some(root), Some(sql)) =
                (text(0), text(1), root, text(4))
            {
                if kind == "table" {
                    let (columns, rowid_alias) = columns_of(&sql);
                    tables.push(Table { name, root, columns, rowid_alias });
                }
            }
        })?;
        Ok(tables)
    }
}

/// Column names of a `CREATE TABLE` statement and the index of its
/// `INTEGER PRIMARY KEY` column, if any.
pub fn columns_of(sql: &str) -> (Vec<String>, Option<usize>) {
    let (Some(open), Some(close)) = (sql.find('('), sql.rfind(')')) else {
        return (Vec::new(), None);
    };
    if close <= open {
        return (Vec::new(), None);
    }
    // Split the definitions at commas outside parentheses and quotes.
    let body = &sql[open + 1..close];
    let mut defs = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '[') => quote = Some(']'),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                defs.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    defs.push(&body[start..]);

    let mut columns = Vec::new();
    let mut alias = None;
    for def in defs {
        let def = def.trim();
        let first = def.split_whitespace().next().unwrap_or("");
        let upper = first.to_ascii_uppercase();
        if def.is_empty()
            || ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
                .contains(&upper.as_str())
        {
            continue;
        }
        let name =
            first.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''));
        let words: Vec<String> = def
            .split_whitespace()
            .skip(1)
            .take(3)
            .map(str::to_ascii_uppercase)
            .collect();
        if words == ["INTEGER", "PRIMARY", "KEY"] {
            alias = Some(columns.len());
        }
        columns.push(name.to_string());
    }
    (columns, alias)
}

/// Reads the web honeypot table `requests` into the sink, one event per
/// row (TCP to port 80), numbered by row order; returns warnings.
/// The error is one sentence for `NotRecognised`.
pub fn read_requests(
    bytes: &[u8],
    sink: &mut Sink,
) -> Result<Vec<String>, String> {
    let db = Db::open(bytes)?;
    let tables = db.tables()?;
    let Some(table) =
        tables.iter().find(|t| t.name.eq_ignore_ascii_case("requests"))
    else {
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        return Err(format!(
            "a SQLite database without a requests table (tables: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ));
    };
    let find = |wanted: &[&str]| {
        wanted.iter().find_map(|w| {
            table.columns.iter().position(|c| c.eq_ignore_ascii_case(w))
        })
    };
    let listed = table.columns.join(", ");
    let Some(src_col) = find(SOURCE_COLUMNS) else {
        return Err(format!(
            "the requests table has no source-address column (columns: {listed})"
        ));
    };
    let Some(time_col) = find(TIME_COLUMNS) else {
        return Err(format!(
            "the requests table has no date column (columns: {listed})"
        ));
    };

    let mut no = 0u64;
    db.rows(table.root, &mut |rowid, values| {
        no += 1;
        let get = |i: usize| match values.get(i) {
            Some(Value::Null) | None if table.rowid_alias == Some(i) => {
                Value::Int(rowid)
            }
            Some(v) => v.clone(),
            None => Value::Null,
        };
        let (src, time) = (get(src_col), get(time_col));
        let shown = format!("{} {}", show(&time), show(&src));
        let src = match &src {
            Value::Text(s) => source_ip(s.trim().as_bytes()),
            Value::Int(n) => u32::try_from(*n).map_err(|_| BAD_IP),
            Value::Null => Err(MISSING),
            _ => Err(BAD_IP),
        };
        let src = match src {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, shown.as_bytes()),
        };
        let day = match &time {
            Value::Int(n) => unix_number_day(*n as f64),
            Value::Real(f) => unix_number_day(*f),
            Value::Text(s) => {
                let b = s.trim().as_bytes();
                timestamp_day(b).or_else(|| local_time_day(b))
            }
            _ => None,
        };
        let Some(day) = day else {
            return sink.skip(BAD_DATE, no, shown.as_bytes());
        };
        sink.keep(day, src, 32, proto::TCP, WEB_PORT, 1);
    })?;

    let mut warnings = Vec::new();
    if db.wal {
        warnings.push(
            "the database is in WAL mode: rows still in its -wal file are \
             not read"
                .to_string(),
        );
    }
    Ok(warnings)
}

/// A value as short text for skip examples.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "NULL".to_string(),
        Value::Int(n) => n.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => s.chars().take(50).collect(),
        Value::Blob(b) => format!("<{} byte blob>", b.len()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn varints_and_integers() {
        assert_eq!(varint(&[0x7f], 0).unwrap(), (127, 1));
        assert_eq!(varint(&[0x81, 0x00], 0).unwrap(), (128, 2));
        assert_eq!(varint(&[0xff; 9], 0).unwrap(), (u64::MAX, 9));
        assert!(varint(&[0x81], 0).is_err());
        assert_eq!(be_int(&[0xff, 0xfe]), -2);
        assert_eq!(be_int(&[0x01, 0x00, 0x00]), 65536);
    }

    #[test]
    fn create_table_columns() {
        let (cols, alias) = columns_of(
            "CREATE TABLE requests (ID integer primary key, date text, \
             \"address\" text, cmd text, CONSTRAINT u UNIQUE (cmd, date))",
        );
        assert_eq!(cols, ["ID", "date", "address", "cmd"]);
        assert_eq!(alias, Some(0));
        let (cols, alias) = columns_of("CREATE TABLE t (a, b DECIMAL(10,2))");
        assert_eq!((cols.len(), alias), (2, None));
    }

    #[test]
    fn damaged_headers_are_errors() {
        assert!(Db::open(b"SQLite format 3\0").is_err());
        let mut h = MAGIC.to_vec();
        h.resize(100, 0);
        h[16] = 0x03; // page size 768: not a power of two
        assert!(Db::open(&h).is_err());
    }
}
