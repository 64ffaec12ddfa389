//! Native tool: packs an ASN table text file into the compact form the web
//! app loads.
//!
//! `cargo run --release --bin pack-asn -- <in.csv[.gz]> <out.bin> [built]`
//!
//! `built` is the table date stored in the packed form (default
//! `2026-06-17`, the build date of the bundled ip-location-db table).

use std::process::ExitCode;
use std::time::Instant;

use lwrank::asn::AsnTable;

fn run(args: &[String]) -> Result<(), String> {
    let [input, output, rest @ ..] = args else {
        return Err("usage: pack-asn <in.csv[.gz]> <out.bin> [built]".into());
    };
    let built = rest.first().map_or("2026-06-17", String::as_str);

    let bytes =
        std::fs::read(input).map_err(|e| format!("reading {input}: {e}"))?;
    let t0 = Instant::now();
    let (mut table, report) =
        AsnTable::from_csv(&bytes).map_err(|e| format!("{input}: {e}"))?;
    let parse_ms = t0.elapsed().as_secs_f64() * 1e3;
    table.built = Some(built.to_string());

    let packed = table.to_packed();
    std::fs::write(output, &packed)
        .map_err(|e| format!("writing {output}: {e}"))?;

    // Check the round trip and time the load the web app will do.
    let t1 = Instant::now();
    let back = AsnTable::from_packed(&packed).map_err(|e| e.to_string())?;
    let load_ms = t1.elapsed().as_secs_f64() * 1e3;
    if back != table {
        return Err("packed table does not round-trip".into());
    }

    eprintln!("format        {:?}", report.format);
    eprintln!("rows read     {}", report.rows);
    eprintln!("rows kept     {}", report.kept);
    for (reason, count, line) in &report.skipped {
        eprintln!("skipped       {count} ({reason}; first line {line})");
    }
    eprintln!("overlapping   {}", report.overlapping);
    eprintln!("ranges        {}", table.len());
    eprintln!("named asns    {}", table.name_count());
    eprintln!("coverage      {} addresses", table.coverage());
    eprintln!("input bytes   {}", bytes.len());
    eprintln!("packed bytes  {}", packed.len());
    eprintln!("parse text    {parse_ms:.1} ms");
    eprintln!("load packed   {load_ms:.1} ms");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pack-asn: {e}");
            ExitCode::FAILURE
        }
    }
}
