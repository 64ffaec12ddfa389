//! Whole-document formats: ISC API JSON and XML, and the DShield
//! sensor's JSON upload. Each is flattened into records (a flat list of
//! key/value pairs that has a source address) and every record becomes
//! one kept event or one skipped entry, numbered 1, 2, … in file order.

use super::sink::Sink;
use super::text::{
    parse_port, parse_proto, parse_u32, source_ip, timestamp_day, BAD_COUNT,
    BAD_DATE, BAD_PORT, BAD_PROTO,
};
use super::Format;
use crate::event::{proto, Day};
use serde_json::Value;

/// Keys that hold the source address, best first.
const SOURCE_KEYS: &[&str] =
    &["ip", "source", "ipv4", "sip", "src_ip", "src", "ipaddress", "number"];
/// Keys that hold the weight, best first.
const WEIGHT_KEYS: &[&str] =
    &["count", "reports", "records", "attacks", "targets"];
/// Keys that hold a per-record date or timestamp, best first.
const DATE_KEYS: &[&str] =
    &["date", "lastseen", "maxdate", "updated", "time", "timestamp"];
/// Keys that hold the destination port.
const PORT_KEYS: &[&str] = &["dport", "dst_port", "targetport", "port"];
/// Keys that hold the protocol.
const PROTO_KEYS: &[&str] = &["proto", "protocol"];
/// Skip reason for an ISC record whose counts are all empty (clean IP).
const NO_REPORTS: &str = "no reports";

/// One flattened record: lowercase keys and text values.
type Record = Vec<(String, String)>;

/// What a document gave before dates are resolved.
pub struct Document {
    /// The format it turned out to be.
    pub format: Format,
    records: Vec<Record>,
    /// A document-level date (e.g. the `date` key beside `"0"`, `"1"`).
    doc_day: Option<Day>,
}

fn get<'a>(rec: &'a Record, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        rec.iter()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
    })
}

/// Whether the fields carry a source address.
fn is_record(rec: &Record) -> bool {
    rec.iter().any(|(k, v)| {
        SOURCE_KEYS.contains(&k.as_str())
            && !v.is_empty()
            && (k != "number" || v.contains(['.', ':']))
    })
}

impl Document {
    /// Parses a JSON document; the error is a sentence for `Corrupt`.
    pub fn from_json(bytes: &[u8]) -> Result<Document, String> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| format!("JSON does not parse: {e}"))?;
        let sensor = value.get("type").and_then(Value::as_str)
            == Some("firewall")
            || value.get("logs").is_some_and(Value::is_array);
        let mut doc = Document {
            format: if sensor { Format::SensorJson } else { Format::IscJson },
            records: Vec::new(),
            doc_day: None,
        };
        doc.walk_json(&value);
        Ok(doc)
    }

    fn walk_json(&mut self, value: &Value) {
        match value {
            Value::Array(items) => items.iter().for_each(|v| self.walk_json(v)),
            Value::Object(map) => {
                let rec: Record = map
                    .iter()
                    .filter_map(|(k, v)| {
                        scalar(v).map(|s| (k.to_lowercase(), s))
                    })
                    .collect();
                if is_record(&rec) {
                    self.records.push(rec);
                    return;
                }
                if self.doc_day.is_none() {
                    self.doc_day = get(&rec, &["date"])
                        .and_then(|d| timestamp_day(d.as_bytes()));
                }
                for v in map.values() {
                    if v.is_array() || v.is_object() {
                        self.walk_json(v);
                    }
                }
            }
            _ => {}
        }
    }

    /// Parses an XML document; the error is a sentence for `Corrupt`.
    pub fn from_xml(bytes: &[u8]) -> Result<Document, String> {
        use quick_xml::events::Event as X;
        struct Frame {
            name: String,
            fields: Record,
            children: bool,
            text: String,
        }
        let mut doc = Document {
            format: Format::IscXml,
            records: Vec::new(),
            doc_day: None,
        };
        let mut reader = quick_xml::Reader::from_reader(bytes);
        reader.config_mut().trim_text(true);
        let mut stack: Vec<Frame> = Vec::new();
        let mut buf = Vec::new();
        let open = |name: &[u8]| Frame {
            name: String::from_utf8_lossy(name).to_lowercase(),
            fields: Vec::new(),
            children: false,
            text: String::new(),
        };
        loop {
            let event = reader
                .read_event_into(&mut buf)
                .map_err(|e| format!("XML does not parse: {e}"))?;
            match event {
                X::Start(e) => {
                    if let Some(top) = stack.last_mut() {
                        top.children = true;
                    }
                    stack.push(open(e.local_name().as_ref()));
                }
                X::Empty(e) => {
                    if let Some(top) = stack.last_mut() {
                        top.children = true;
                        let name =
                            String::from_utf8_lossy(e.local_name().as_ref())
                                .to_lowercase();
                        top.fields.push((name, String::new()));
                    }
                }
                X::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        let s = t
                            .unescape()
                            .map_err(|e| format!("XML text: {e}"))?;
                        top.text.push_str(&s);
                    }
                }
                X::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                X::End(_) => {
                    let Some(f) = stack.pop() else { continue };
                    if !f.children {
                        if let Some(parent) = stack.last_mut() {
                            parent
                                .fields
                                .push((f.name, f.text.trim().to_string()));
                            continue;
                        }
                    }
                    if is_record(&f.fields) {
                        doc.records.push(f.fields);
                    } else if doc.doc_day.is_none() {
                        doc.doc_day = get(&f.fields, &["date"])
                            .and_then(|d| timestamp_day(d.as_bytes()));
                    }
                }
                X::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if !stack.is_empty() {
            return Err("XML ends inside an element".to_string());
        }
        Ok(doc)
    }

    /// Number of records with a source address.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether some record has no date of its own and the document has
    /// none either, so `fallback` is needed.
    pub fn needs_fallback(&self) -> bool {
        self.doc_day.is_none()
            && self.records.iter().any(|r| get(r, DATE_KEYS).is_none())
    }

    /// Turns the records into events; `fallback` is the file-name or
    /// caller's day used for records without a date.
    pub fn emit(self, fallback: Option<Day>, sink: &mut Sink) {
        let default = self.doc_day.or(fallback);
        for (i, rec) in self.records.iter().enumerate() {
            let no = i as u64 + 1;
            if let Err(reason) = emit_one(rec, no, default, sink) {
                let text: Vec<String> =
                    rec.iter().map(|(k, v)| format!("{k}={v}")).collect();
                sink.skip(reason, no, text.join(" ").as_bytes());
            }
        }
    }
}

/// JSON scalars as text (null as empty; nested values give nothing).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        // Kept as empty so that `"count": null` reads as "no reports".
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn emit_one(
    rec: &Record,
    _no: u64,
    default: Option<Day>,
    sink: &mut Sink,
) -> Result<(), &'static str> {
    let src = get(rec, SOURCE_KEYS).ok_or(super::text::MISSING)?;
    let src = source_ip(src.trim().as_bytes())?;
    let present = WEIGHT_KEYS.iter().any(|k| rec.iter().any(|(n, _)| n == k));
    let weight = match get(rec, WEIGHT_KEYS) {
        Some(w) => parse_u32(w.as_bytes()).ok_or(BAD_COUNT)?.max(1),
        None if present => return Err(NO_REPORTS),
        None => 1,
    };
    let day = match get(rec, DATE_KEYS) {
        Some(d) => timestamp_day(d.as_bytes()).ok_or(BAD_DATE)?,
        None => default.ok_or(BAD_DATE)?,
    };
    let pr = match get(rec, PROTO_KEYS) {
        Some(p) => parse_proto(p.as_bytes()).ok_or(BAD_PROTO)?,
        None => proto::ANY,
    };
    let port = match get(rec, PORT_KEYS) {
        Some(p) => parse_port(p.as_bytes()).ok_or(BAD_PORT)?,
        None => 0,
    };
    sink.keep(day, src, 32, pr, port, weight);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn numbered_object_list() {
        let doc = Document::from_json(
            br#"{"0":{"ip":"1.2.3.4","count":5},"1":{"ip":"2001:db8::1"},"date":"2017-08-13","limit":2}"#,
        )
        .unwrap();
        assert_eq!(doc.format, Format::IscJson);
        assert_eq!(doc.len(), 2);
        let mut sink = Sink::default();
        doc.emit(None, &mut sink);
        let (ev, skipped) = sink.into_parts();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].weight, 5);
        assert_eq!(skipped[0].reason, "IPv6 source");
    }

    #[test]
    fn xml_records() {
        let doc = Document::from_xml(
            b"<?xml version=\"1.0\"?><topips><ipaddress><rank>1</rank><source>046.101.124.074</source><reports>132723</reports></ipaddress></topips>",
        )
        .unwrap();
        assert_eq!(doc.len(), 1);
        assert!(doc.needs_fallback());
    }
}
