//! The native benchmark: prints one table of the pipeline's stages on the
//! bundled sample, parse throughput, the whole 190-day marx set and the
//! shared SVM set when `../shared` is present.
//!
//! `cargo run --release --bin lwrank-bench [-- path/to/shared]`

/// Counts live heap bytes, so the benchmark can report peak heap.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static HEAP: &peakmem_alloc::PeakMemAlloc<std::alloc::System> =
    &peakmem_alloc::INSTRUMENTED_SYSTEM;

/// Peak heap bytes allocated (net of frees) while `f` runs, above what
/// was live before it.
#[cfg(not(target_arch = "wasm32"))]
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, u64) {
    use peakmem_alloc::PeakMemAllocTrait;
    HEAP.reset_peak_memory();
    let out = f();
    (out, HEAP.get_peak_memory() as u64)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use lwrank::bench;
    use std::path::PathBuf;
    use std::time::Instant;

    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let read = |p: PathBuf| {
        std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))
    };

    let sample =
        read(root.join("assets/sample/marx-2013-06-21_to_07-20.csv.gz"));
    let benign = std::fs::read_to_string(
        root.join("assets/sample/benign-top-sites.csv"),
    );
    let asn = read(root.join("assets/asn/asn-ipv4.bin"));
    let (Ok(sample), Ok(benign), Ok(asn_bytes)) = (sample, benign, asn) else {
        eprintln!("lwrank-bench: the bundled assets are missing");
        std::process::exit(1);
    };

    println!("# lwrank native benchmark (release build, one thread)\n");
    let (stages, stages_peak) = peak_heap(|| {
        bench::sample_stages(&sample, &benign, &asn_bytes, &clock)
    });
    let mut rows = match stages {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lwrank-bench: {e}");
            std::process::exit(1);
        }
    };

    let text = bench::synthetic_daily_sources(100);
    rows.push(bench::parse_throughput(
        "daily_sources (synthetic)",
        &text,
        &clock,
    ));

    for (format, name) in [
        (lwrank::ingest::Format::AsDetails, "asdetails (synthetic)"),
        (lwrank::ingest::Format::DshieldLog, "log submission (synthetic)"),
        (lwrank::ingest::Format::WebHoneypotJson, "web JSON lines (synthetic)"),
    ] {
        if let Some(text) = bench::synthetic_lines(format, 50) {
            rows.push(bench::parse_throughput(name, &text, &clock));
        }
    }
    // A web honeypot database made elsewhere (no SQLite writer here).
    if let Some(db) = std::env::var_os("LWRANK_BENCH_SQLITE") {
        match std::fs::read(&db) {
            Ok(bytes) => rows.push(bench::parse_throughput(
                "web honeypot SQLite",
                &bytes,
                &clock,
            )),
            Err(e) => eprintln!("LWRANK_BENCH_SQLITE: {e}"),
        }
    }

    let marx = shared.join("data/real/aws-honeypot-marx-2013/marx.csv.gz");
    if let Ok(bytes) = std::fs::read(&marx) {
        rows.push(bench::parse_throughput(
            "marx 190 days (gzip)",
            &bytes,
            &clock,
        ));
        if let (Ok(parsed), Ok(asn)) = (
            lwrank::ingest::parse_bytes("marx", &bytes),
            lwrank::asn::AsnTable::from_packed(&asn_bytes),
        ) {
            rows.push(bench::rank_all(&parsed.events, &asn, &clock));
        }
    } else {
        println!("(no {}: skipping the 190-day rows)", marx.display());
    }
    println!("{}", bench::format_stages(&rows));

    // Peak heap of the Train job (ranks, 28 day pairs with CV and the
    // feature-set comparison, tomorrow's model, the whole map).
    let mut memory = vec![bench::MemoryRow {
        what: "all sample stages above, peak heap".to_string(),
        bytes: stages_peak,
        note: "parse, ASN table, Train, zoom, draw: as the wasm run"
            .to_string(),
    }];
    if let (Ok(parsed), Ok(asn)) = (
        lwrank::ingest::parse_bytes("sample", &sample),
        lwrank::asn::AsnTable::from_packed(&asn_bytes),
    ) {
        let negatives = lwrank::sample::parse_benign(&benign).addresses;
        let (outcome, bytes) = peak_heap(|| {
            lwrank::pipeline::run(
                &parsed.events,
                &negatives,
                &asn,
                &lwrank::pipeline::RunSettings::default(),
                &|| 0.0,
                &mut |_, _| true,
            )
        });
        let note = match outcome {
            Ok(_) => "counting allocator, above the loaded data".to_string(),
            Err(e) => format!("failed: {e}"),
        };
        memory.push(bench::MemoryRow {
            what: "Train job on the sample (TCP 22), peak heap".to_string(),
            bytes,
            note,
        });
    }

    let svm = shared.join("bench/svm");
    match (
        std::fs::read(svm.join("train_100k.csv.gz")),
        std::fs::read(svm.join("test_20k.csv.gz")),
    ) {
        (Ok(train), Ok(test)) => {
            if let Ok(data) = lwrank::model::bench::parse_csv(&train) {
                let (fit, bytes) = peak_heap(|| {
                    lwrank::model::Model::fit(
                        &data.x,
                        data.n_features,
                        &data.y,
                        None,
                        &lwrank::model::TrainParams::default(),
                        &mut |_| true,
                    )
                });
                memory.push(bench::MemoryRow {
                    what: format!(
                        "SVM fit on {} rows x {} features, peak heap",
                        data.y.len(),
                        data.n_features
                    ),
                    bytes,
                    note: match fit {
                        Ok(_) => "counting allocator, above the input rows"
                            .to_string(),
                        Err(e) => format!("failed: {e}"),
                    },
                });
                memory.push(bench::MemoryRow {
                    what: "  (its input rows, f32, for scale)".to_string(),
                    bytes: (data.x.len() * 4 + data.y.len()) as u64,
                    note: "x and y as passed to Model::fit".to_string(),
                });
            }
            println!("{}", bench::format_memory(&memory));
            let secs = move || start.elapsed().as_secs_f64();
            match lwrank::model::bench::svm_benchmark(
                &train,
                &test,
                &secs,
                &[2000, 5000],
            ) {
                Ok(measured) => {
                    println!("# SVM on the shared 100k/20k set\n");
                    println!(
                        "{}",
                        lwrank::model::bench::format_table(&measured)
                    );
                }
                Err(e) => eprintln!("svm benchmark failed: {e}"),
            }
        }
        _ => {
            println!("{}", bench::format_memory(&memory));
            println!("(no {}: skipping the SVM table)", svm.display())
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
