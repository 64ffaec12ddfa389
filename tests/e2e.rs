//! End to end: the release build in `dist/`, served on 127.0.0.1, driven
//! in headless Chromium through "Try the sample" -> Train, then the
//! figures, the map, a tooltip and a zoom are read back.
//!
//! The figures the page shows must equal what the native pipeline computes
//! on the same bundled files with the same seed, so the test pins real
//! numbers without hard-coding them. Run by `scripts/test.sh` after
//! `trunk build --release` (`cargo test --test e2e -- --ignored`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::{ClientBuilder, Locator};
use lwrank::asn::AsnTable;
use lwrank::pipeline::{self, RunSettings};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "csv" => "text/csv",
        "gz" => "application/gzip",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// Serves `dir` over HTTP/1.0 on 127.0.0.1 (a free port); returns the URL.
async fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { continue };
            let dir = dir.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]);
                let path = req.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or("/");
                let rel = if path == "/" {
                    "index.html"
                } else {
                    path.trim_start_matches('/')
                };
                let file = dir.join(rel);
                let ok = !rel.contains("..") && file.is_file();
                let (status, body, kind) = if ok {
                    (
                        "200 OK",
                        std::fs::read(&file).unwrap_or_default(),
                        mime(&file),
                    )
                } else {
                    ("404 Not Found", b"not found".to_vec(), "text/plain")
                };
                let head = format!(
                    "HTTP/1.0 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}/")
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver on PATH (scripts/setup.sh installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn capabilities(profile: &Path) -> serde_json::Map<String, serde_json::Value> {
    let args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-quic".to_string(),
        "--no-first-run".to_string(),
        "--disable-background-networking".to_string(),
        "--disable-component-update".to_string(),
        "--disable-sync".to_string(),
        "--disable-dev-shm-usage".to_string(),
        "--window-size=1280,900".to_string(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args },
    });
    caps.as_object().unwrap().clone()
}

/// What the native pipeline says the page must show: the figures rows
/// and the top ten addresses of the ranks section.
fn expected_rows() -> (Vec<Vec<String>>, Vec<String>) {
    let sample = std::fs::read(
        root().join("assets/sample/marx-2013-06-21_to_07-20.csv.gz"),
    )
    .unwrap();
    let parsed = lwrank::ingest::parse_bytes("sample", &sample).unwrap();
    let benign = lwrank::sample::parse_benign(
        &std::fs::read_to_string(
            root().join("assets/sample/benign-top-sites.csv"),
        )
        .unwrap(),
    );
    let asn = AsnTable::from_packed(
        &std::fs::read(root().join("assets/asn/asn-ipv4.bin")).unwrap(),
    )
    .unwrap();
    let (result, trained) = pipeline::run(
        &parsed.events,
        &benign.addresses,
        &asn,
        &RunSettings::default(),
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();
    let report =
        lwrank::inspect::rank_report(&trained, &asn, trained.map_day, 10);
    let top = report.entities[0].top.iter().map(|k| k.label.clone()).collect();
    let rows = result
        .pooled
        .iter()
        .map(|p| {
            let c = p.confusion;
            let pct = |v: Option<f64>| {
                v.map_or("–".to_string(), |v| format!("{:.1} %", v * 100.0))
            };
            vec![
                p.name.clone(),
                pct(c.accuracy()),
                pct(c.tpr()),
                pct(c.tnr()),
                pct(c.precision()),
            ]
        })
        .collect();
    (rows, top)
}

fn percent(text: &str) -> Option<f64> {
    text.trim().trim_end_matches('%').trim().parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs dist/ (trunk build --release) and chromium: scripts/test.sh runs it"]
async fn sample_trains_and_the_map_shows() {
    let dist = root().join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "run `trunk build --release` first"
    );
    let url = serve(dist).await;
    let driver = Driver::start();
    let profile =
        std::env::temp_dir().join(format!("lwrank-e2e-{}", std::process::id()));
    let client = ClientBuilder::native()
        .capabilities(capabilities(&profile))
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("chromium via chromedriver");
    let wait = |secs| client.wait().at_most(Duration::from_secs(secs));

    // First visit: the empty map and the hint.
    client.goto(&url).await.unwrap();
    let hint = wait(30).for_element(Locator::Css(".map-empty")).await.unwrap();
    assert!(hint.text().await.unwrap().contains("Try the sample"));

    // Load the sample: a card with the detected format and 30 days.
    client
        .find(Locator::Css("#try-sample"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let card =
        wait(60).for_element(Locator::Css(".card.loaded")).await.unwrap();
    let card_text = card.text().await.unwrap();
    assert!(card_text.contains("2013-06-21 to 2013-07-20"), "{card_text}");
    let behaviour = client.find(Locator::Css("#behaviour")).await.unwrap();
    let selected = client
        .execute("return document.querySelector('#behaviour').selectedOptions[0].textContent", vec![])
        .await
        .unwrap();
    assert!(
        selected.as_str().unwrap_or("").starts_with("TCP 22 ("),
        "{selected}"
    );
    drop(behaviour);

    // Train in the worker: progress shows, then the figures replace it.
    client.find(Locator::Css("#train")).await.unwrap().click().await.unwrap();
    wait(300).for_element(Locator::Css("#figures tbody tr")).await.unwrap();
    let shown = client
        .execute(
            "return [...document.querySelectorAll('#figures tbody tr')].map(tr => \
             [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map(td => td.textContent)])",
            vec![],
        )
        .await
        .unwrap();
    let shown: Vec<Vec<String>> = serde_json::from_value(shown).unwrap();
    let (expected, expected_top) = expected_rows();
    println!("figures shown: {shown:?}");
    // Keyboard focus went to Cancel while Train was disabled, and back to
    // Train when the result came: never dropped to the page.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let active = client
            .execute("return document.activeElement.id", vec![])
            .await
            .unwrap();
        if active.as_str() == Some("train") {
            break;
        }
        assert!(Instant::now() < deadline, "focus on {active:?} after Train");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(shown.len(), expected.len(), "model plus three baselines");
    for (s, e) in shown.iter().zip(&expected) {
        assert_eq!(s[0], e[0]);
        // wasm and native may round a cosine differently: allow half a point.
        for col in 1..5 {
            match (percent(&s[col]), percent(&e[col])) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 0.5,
                    "{}: col {col}: page {a} vs native {b}",
                    s[0]
                ),
                _ => assert_eq!(s[col], e[col]),
            }
        }
    }
    let model_tpr = percent(&shown[0][2]).unwrap();
    assert!(model_tpr > 20.0, "model TPR {model_tpr}");
    let cv = client
        .find(Locator::Css("#cv-accuracy"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(percent(&cv).unwrap() > 70.0, "cv accuracy {cv}");

    // The map is drawn: many distinct colours on the canvas.
    let colours = client
        .execute(
            "const c = document.getElementById('map'); \
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
             const seen = new Set(); \
             for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]); \
             return seen.size;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        colours.as_u64().unwrap() >= 8,
        "distinct colours on the map: {colours}"
    );

    // The observed layer: the day's sources as single /24 dots.
    client
        .find(Locator::Css("#layer-observed"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let dots = client
            .execute(
                "const c = document.getElementById('map'); \
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
                 let n = 0; \
                 for (let i = 0; i < d.length; i += 4) \
                   if (d[i] == 253 && d[i+1] == 231 && d[i+2] == 37) n++; \
                 return n;",
                vec![],
            )
            .await
            .unwrap();
        if dots.as_u64().unwrap_or(0) >= 20 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no /24 dots on the observed layer: {dots}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    client
        .find(Locator::Css("#layer-predicted"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Hover 61/8 (column 1, row 6 of the curve) and read the tooltip.
    let point = "const c = document.getElementById('map'); const r = c.getBoundingClientRect(); \
                 const x = r.left + r.width * 1.5 / 16, y = r.top + r.height * 6.5 / 16;";
    client
        .execute(
            &format!("{point} c.dispatchEvent(new MouseEvent('mousemove', {{clientX: x, clientY: y, bubbles: true}}));"),
            vec![],
        )
        .await
        .unwrap();
    let tip = wait(10).for_element(Locator::Css(".tooltip")).await.unwrap();
    let tip_text = tip.text().await.unwrap();
    assert!(tip_text.contains("61.0.0.0/8"), "{tip_text}");
    assert!(tip_text.contains("base rate"), "{tip_text}");

    // Click zooms into 61/8: the breadcrumb says so and the grid is new.
    client
        .execute(
            &format!("{point} c.dispatchEvent(new MouseEvent('click', {{clientX: x, clientY: y, bubbles: true}}));"),
            vec![],
        )
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let crumb = client
            .find(Locator::Css(".breadcrumb"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let status = client
            .find(Locator::Css(".map-actions"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if crumb.contains("61/8") && status.contains("segments") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "zoom did not happen: {crumb} / {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The tooltip of 61/8 does not linger over the zoomed view's cells.
    let stale_tips = client
        .execute("return document.querySelectorAll('.tooltip').length", vec![])
        .await
        .unwrap();
    assert_eq!(stale_tips.as_u64(), Some(0), "tooltip after the zoom");
    let zoom_tip = client
        .execute(
            &format!("{point} c.dispatchEvent(new MouseEvent('mousemove', {{clientX: x, clientY: y, bubbles: true}})); \
                      return new Promise(r => setTimeout(() => r(document.querySelector('.tooltip').textContent), 300));"),
            vec![],
        )
        .await
        .unwrap();
    assert!(zoom_tip.as_str().unwrap_or("").contains("/16"), "{zoom_tip}");
    // A keyboard move shows its cell's tooltip; leaving the map hides it.
    let tips = client
        .execute(
            "const c = document.getElementById('map'); c.focus(); \
             c.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true})); \
             return new Promise(r => setTimeout(() => { \
               const on = document.querySelectorAll('.tooltip').length; \
               document.getElementById('train').focus(); \
               setTimeout(() => r([on, document.querySelectorAll('.tooltip').length]), 300); \
             }, 300));",
            vec![],
        )
        .await
        .unwrap();
    let (on_map, after_blur): (u64, u64) =
        serde_json::from_value(tips).unwrap();
    assert_eq!((on_map, after_blur), (1, 0), "tooltips: on the map, after it");

    // The ranks section: four histograms, the top ten addresses as the
    // native pipeline ranks them, and a lookup of the first one.
    wait(60).for_element(Locator::Css("#top-table tbody tr")).await.unwrap();
    for id in ["ip", "24", "16", "asn"] {
        let bars = client
            .execute(
                &format!("return document.querySelectorAll('#hist-{id} svg rect').length"),
                vec![],
            )
            .await
            .unwrap();
        assert!(bars.as_u64().unwrap() >= 20, "histogram {id}: {bars} rects");
    }
    let top = client
        .execute(
            "return [...document.querySelectorAll('#top-table tbody tr')].map(tr => \
             [tr.querySelector('th').textContent, tr.querySelectorAll('td')[2].textContent])",
            vec![],
        )
        .await
        .unwrap();
    let top: Vec<(String, String)> = serde_json::from_value(top).unwrap();
    println!("top addresses shown: {top:?}");
    assert_eq!(top.len(), 10);
    let shown_top: Vec<String> = top.iter().map(|t| t.0.clone()).collect();
    assert_eq!(shown_top, expected_top);
    let lookup = client.find(Locator::Css("#lookup")).await.unwrap();
    lookup.send_keys(&format!("{}\u{E007}", top[0].0)).await.unwrap();
    wait(30).for_element(Locator::Css("#address-ranks")).await.unwrap();
    let ranks = client
        .execute(
            "return [...document.querySelectorAll('#address-ranks tbody td.num')]\
             .map(td => td.textContent)",
            vec![],
        )
        .await
        .unwrap();
    let ranks: Vec<String> = serde_json::from_value(ranks).unwrap();
    assert_eq!(ranks.len(), 4, "{ranks:?}");
    assert_eq!(ranks[0], top[0].1, "IP rank in the report and the table");
    let heading = client
        .find(Locator::Css("#address-report h4"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(heading.starts_with(&top[0].0), "{heading}");
    // A bad address: a sentence naming it next to the box.
    lookup.clear().await.unwrap();
    lookup.send_keys("61.177.172\u{E007}").await.unwrap();
    let problem =
        wait(30).for_element(Locator::Css("#lookup-problem")).await.unwrap();
    let problem = problem.text().await.unwrap();
    assert!(problem.contains("61.177.172"), "{problem}");
    assert!(problem.contains("not an IPv4 address"), "{problem}");
    // Look the first address up again by clicking it in the table, and
    // keep a picture of the section.
    client
        .find(Locator::Css("#top-table tbody tr button.link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait(30).for_element(Locator::Css("#address-report")).await.unwrap();
    let section = client.find(Locator::Css("section.ranks")).await.unwrap();
    let png = section.screenshot().await.unwrap();
    std::fs::create_dir_all(root().join("target")).unwrap();
    std::fs::write(root().join("target/e2e-ranks.png"), &png).unwrap();

    // Several files dropped at once all load, each with its own card.
    let fixtures = root().join("tests/fixtures/ingest");
    let files = [
        "dshield_top_1000-2017-08-14T042003Z.ipset",
        "cowrie.json.2017-11-05",
        "daily_sources-crlf-bom.txt",
    ]
    .map(|f| fixtures.join(f).display().to_string())
    .join("\n");
    client
        .find(Locator::Css("#file-input"))
        .await
        .unwrap()
        .send_keys(&files)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let cards =
            client.find_all(Locator::Css(".card.loaded")).await.unwrap().len();
        let pending =
            client.find_all(Locator::Css(".card.pending")).await.unwrap().len();
        if cards == 4 && pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{cards} cards loaded, {pending} pending"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let formats = client
        .execute(
            "return [...document.querySelectorAll('.card.loaded .format')].map(e => e.textContent)",
            vec![],
        )
        .await
        .unwrap();
    println!("formats: {formats}");
    assert_eq!(formats.as_array().unwrap().len(), 4);

    // A CSV whose columns cannot be guessed: its card asks for them, and
    // once they are named the file is read.
    let csv = root().join("tests/fixtures/ingest/generic-mapped.csv");
    client
        .find(Locator::Css("#file-input"))
        .await
        .unwrap()
        .send_keys(&csv.display().to_string())
        .await
        .unwrap();
    let source = wait(30)
        .for_element(Locator::Css(".card.failed .map-source"))
        .await
        .unwrap();
    source.send_keys("who").await.unwrap();
    client
        .find(Locator::Css(".card.failed .map-date"))
        .await
        .unwrap()
        .send_keys("when")
        .await
        .unwrap();
    client
        .find(Locator::Css(".card.failed .map-go"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let cards =
            client.find_all(Locator::Css(".card.loaded")).await.unwrap().len();
        let failed =
            client.find_all(Locator::Css(".card.failed")).await.unwrap().len();
        if cards == 5 && failed == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{cards} loaded, {failed} failed after mapping"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let last = client
        .execute("const c = document.querySelectorAll('.card.loaded'); return c[c.length - 1].textContent", vec![])
        .await
        .unwrap();
    let last = last.as_str().unwrap_or("");
    assert!(
        last.contains("CSV with column map") && last.contains("2 events kept"),
        "{last}"
    );

    // A binary SQLite database and a log whose dates jump three years:
    // both load, the jump shows as a warning on its card.
    let mut gap =
        std::fs::read(root().join("tests/fixtures/ingest/dshield-submit.log"))
            .unwrap();
    gap.extend_from_slice(
        b"2016-03-03 10:00:00 +00:00\t0\t1\t1.2.3.4\t1\t192.0.2.1\t22\t6\tS\n",
    );
    let gap_file = root().join("target/e2e-date-gap.log");
    std::fs::write(&gap_file, &gap).unwrap();
    let files = [
        root().join("tests/fixtures/ingest/webserver.sqlite"),
        gap_file.clone(),
    ]
    .map(|f| f.display().to_string())
    .join("\n");
    client
        .find(Locator::Css("#file-input"))
        .await
        .unwrap()
        .send_keys(&files)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let cards =
            client.find_all(Locator::Css(".card.loaded")).await.unwrap().len();
        if cards == 7 {
            break;
        }
        assert!(Instant::now() < deadline, "{cards} cards after sqlite");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let texts = client
        .execute(
            "return [...document.querySelectorAll('.card.loaded')].map(e => e.textContent)",
            vec![],
        )
        .await
        .unwrap();
    let texts: Vec<String> = serde_json::from_value(texts).unwrap();
    assert!(
        texts.iter().any(|t| t.contains("DShield web honeypot SQLite")
            && t.contains("240 events kept")),
        "{texts:?}"
    );
    let warnings = client
        .execute(
            "return [...document.querySelectorAll('.card.loaded .file-warnings li')].map(e => e.textContent)",
            vec![],
        )
        .await
        .unwrap();
    let warnings: Vec<String> = serde_json::from_value(warnings).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("dates jump from 2013-03-04 to 2016-03-03"),
        "{warnings:?}"
    );
    let _ = std::fs::remove_file(gap_file);

    // Exports: the map as a PNG (with title and legend: taller than wide),
    // the figures as CSV and the model as JSON. Downloads are caught at the
    // link the page clicks.
    client
        .execute(
            "window.__downloads = []; \
             HTMLAnchorElement.prototype.click = function () { \
               window.__downloads.push([this.download, this.href]); };",
            vec![],
        )
        .await
        .unwrap();
    for id in ["#export-png", "#export-csv", "#export-model"] {
        client.find(Locator::Css(id)).await.unwrap().click().await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let downloads = loop {
        let d = client
            .execute(
                "return window.__downloads.map(([name, href]) => [name, href.slice(0, 22)])",
                vec![],
            )
            .await
            .unwrap();
        let d: Vec<(String, String)> = serde_json::from_value(d).unwrap();
        if d.len() == 3 {
            break d;
        }
        assert!(Instant::now() < deadline, "downloads: {d:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let names: Vec<&str> = downloads.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(
        names,
        ["lwrank-map.png", "lwrank-next-day.csv", "lwrank-model.json"]
    );
    assert!(
        downloads[0].1.starts_with("data:image/png;base64"),
        "{downloads:?}"
    );
    let size = client
        .execute(
            "const img = new Image(); img.src = window.__downloads[0][1]; \
             return new Promise(r => img.onload = () => r([img.width, img.height]));",
            vec![],
        )
        .await
        .unwrap();
    let (w, h): (u64, u64) = serde_json::from_value(size).unwrap();
    assert!(
        w >= 256 && h > w,
        "exported PNG {w}x{h}: map plus title and legend"
    );
    // The keyboard focus outline is on the page's map, not in the export.
    let pink = client
        .execute(
            "const pink = (d) => { let n = 0; for (let i = 0; i < d.length; i += 4) \
               if (d[i] === 255 && d[i + 1] === 45 && d[i + 2] === 149) n++; return n; }; \
             const live = document.getElementById('map'); \
             const onPage = pink(live.getContext('2d') \
               .getImageData(0, 0, live.width, live.height).data); \
             const img = new Image(); img.src = window.__downloads[0][1]; \
             return new Promise(r => img.onload = () => { \
               const c = document.createElement('canvas'); \
               c.width = img.width; c.height = img.height; \
               const x = c.getContext('2d'); x.drawImage(img, 0, 0); \
               r([onPage, pink(x.getImageData(0, 0, c.width, c.height).data)]); });",
            vec![],
        )
        .await
        .unwrap();
    let (on_page, exported): (u64, u64) = serde_json::from_value(pink).unwrap();
    assert!(on_page > 100, "focus outline on the page: {on_page} pixels");
    assert_eq!(exported, 0, "focus outline pixels in the exported PNG");

    // A screenshot for people (and the README), from the top of the page.
    client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::create_dir_all(root().join("target")).unwrap();
    std::fs::write(root().join("target/e2e-screenshot.png"), &png).unwrap();
    assert!(png.len() > 10_000);

    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

/// The first five columns of the figures rows the native pipeline gives
/// for `settings` and `asn` on the bundled sample.
fn native_figures(settings: &RunSettings, asn: &AsnTable) -> Vec<Vec<String>> {
    let sample = std::fs::read(
        root().join("assets/sample/marx-2013-06-21_to_07-20.csv.gz"),
    )
    .unwrap();
    let parsed = lwrank::ingest::parse_bytes("sample", &sample).unwrap();
    let benign = lwrank::sample::parse_benign(
        &std::fs::read_to_string(
            root().join("assets/sample/benign-top-sites.csv"),
        )
        .unwrap(),
    );
    let (result, _) = pipeline::run(
        &parsed.events,
        &benign.addresses,
        asn,
        settings,
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();
    let pct = |v: Option<f64>| {
        v.map_or("–".to_string(), |v| format!("{:.1} %", v * 100.0))
    };
    result
        .pooled
        .iter()
        .map(|p| {
            let c = p.confusion;
            vec![
                p.name.clone(),
                pct(c.accuracy()),
                pct(c.tpr()),
                pct(c.tnr()),
                pct(c.precision()),
            ]
        })
        .collect()
}

async fn shown_figures(client: &fantoccini::Client) -> Vec<Vec<String>> {
    let shown = client
        .execute(
            "return [...document.querySelectorAll('#figures tbody tr')].map(tr => \
             [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map(td => td.textContent)])",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(shown).unwrap()
}

/// Page figures within half a point of the native ones (wasm and native
/// may round a cosine differently).
fn assert_figures(shown: &[Vec<String>], expected: &[Vec<String>]) {
    assert_eq!(shown.len(), expected.len(), "{shown:?}");
    for (s, e) in shown.iter().zip(expected) {
        assert_eq!(s[0], e[0]);
        for col in 1..5 {
            match (percent(&s[col]), percent(&e[col])) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 0.5,
                    "{}: col {col}: page {a} vs native {b}",
                    s[0]
                ),
                _ => assert_eq!(s[col], e[col]),
            }
        }
    }
}

async fn text_of(client: &fantoccini::Client, css: &str) -> String {
    let js = format!(
        "const e = document.querySelector('{css}'); return e ? e.textContent : null"
    );
    client
        .execute(&js, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Polls `css` until its text satisfies `ok` (or panics after `secs`).
async fn wait_text(
    client: &fantoccini::Client,
    css: &str,
    secs: u64,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let t = text_of(client, css).await;
        if ok(&t) {
            return t;
        }
        assert!(Instant::now() < deadline, "{css}: {t:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sets the half-life slider as a drag would (an `input` event).
async fn slide(client: &fantoccini::Client, days: f64) {
    let js = format!(
        "const el = document.getElementById('half-life'); el.value = '{days}'; \
         el.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    );
    client.execute(&js, vec![]).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs dist/ (trunk build --release) and chromium: scripts/test.sh runs it"]
async fn own_asn_table_port_set_and_live_half_life() {
    let dist = root().join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "run `trunk build --release` first"
    );
    let url = serve(dist).await;
    let driver = Driver::start();
    let profile = std::env::temp_dir()
        .join(format!("lwrank-e2e-live-{}", std::process::id()));
    let client = ClientBuilder::native()
        .capabilities(capabilities(&profile))
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("chromium via chromedriver");
    client.goto(&url).await.unwrap();

    // The bundled table: its name, range count and age (no data yet).
    let bundled = AsnTable::from_packed(
        &std::fs::read(root().join("assets/asn/asn-ipv4.bin")).unwrap(),
    )
    .unwrap();
    let status =
        wait_text(&client, "#asn-status", 60, |t| t.contains("ranges")).await;
    println!("asn status: {status}");
    assert!(status.starts_with("bundled: asn-ipv4.bin"), "{status}");
    assert!(status.contains("411,961 ranges"), "{status}");
    assert!(status.contains("built 2026-06-17,"), "{status}");
    assert!(status.ends_with("days before today"), "{status}");
    let credit = text_of(&client, ".asn-table .credit").await;
    assert!(
        credit.contains("RouteViews, NRO and DB-IP")
            && credit.contains("CC BY 4.0"),
        "{credit}"
    );

    // A file with no usable row: the error names file, line and reason,
    // and the bundled table stays.
    let bad = profile.with_extension("bad-asn.csv");
    std::fs::write(&bad, "# my table\n1.0.0.0,1.0.0.255,AS13335,x\n").unwrap();
    let input = client.find(Locator::Css("#asn-input")).await.unwrap();
    input.send_keys(&bad.display().to_string()).await.unwrap();
    let bad_name = bad.file_name().unwrap().to_str().unwrap().to_string();
    let error = wait_text(&client, "#asn-error", 30, |t| !t.is_empty()).await;
    assert!(
        error.starts_with(&format!("{bad_name}, line 2: bad asn")),
        "{error}"
    );
    assert_eq!(text_of(&client, "#asn-status").await, status);

    // A small real pfx2as excerpt: its format, 14 ranges, the date from
    // its name.
    let fixture = root().join("tests/fixtures/asn/pfx2as-2026-06-17.txt");
    let input = client.find(Locator::Css("#asn-input")).await.unwrap();
    input.send_keys(&fixture.display().to_string()).await.unwrap();
    let mine =
        wait_text(&client, "#asn-status", 30, |t| t.starts_with("yours")).await;
    println!("asn status: {mine}");
    assert!(
        mine.starts_with("yours: pfx2as-2026-06-17.txt (RouteViews pfx2as) · 14 ranges · built 2026-06-17,"),
        "{mine}"
    );
    assert!(text_of(&client, "#asn-error").await.is_empty());

    // Back to the bundled table.
    client
        .find(Locator::Css("#asn-bundled"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&client, "#asn-status", 30, |t| {
        t.starts_with("bundled: asn-ipv4.bin")
    })
    .await;

    // The sample: the table's age now reads against the newest data.
    client
        .find(Locator::Css("#try-sample"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let aged =
        wait_text(&client, "#asn-status", 60, |t| t.contains("newest data"))
            .await;
    assert!(
        aged.ends_with("built 2026-06-17, 4715 days after your newest data"),
        "{aged}"
    );

    // A typed port set: a bad piece is named inline, a good set becomes
    // the behaviour.
    let ports = client.find(Locator::Css("#port-set")).await.unwrap();
    ports.send_keys("22, ssh").await.unwrap();
    let msg =
        wait_text(&client, "#port-set-error", 10, |t| !t.is_empty()).await;
    assert_eq!(msg, "\"ssh\" is not a port number");
    ports.clear().await.unwrap();
    ports.send_keys("2222, 23 22").await.unwrap();
    client
        .find(Locator::Css("#port-set-use"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let picked = client
        .execute("return document.querySelector('#behaviour').selectedOptions[0].textContent", vec![])
        .await
        .unwrap();
    assert_eq!(picked.as_str().unwrap(), "TCP 22, 23, 2222 (typed set)");
    assert_eq!(text_of(&client, "#port-set-error").await, "");

    // Train once; the title names the set.
    client.find(Locator::Css("#train")).await.unwrap().click().await.unwrap();
    let summary =
        wait_text(&client, ".figures .summary", 300, |t| !t.is_empty()).await;
    assert!(
        summary.starts_with("TCP 22, 23, 2222 · half-life 3.0 days"),
        "{summary}"
    );
    let title = text_of(&client, ".layers span.hint").await;
    assert_eq!(title, "likelihood of TCP 22, 23, 2222 on 2013-07-21");
    let mut settings = RunSettings {
        behaviour: lwrank::choices::behaviour_from_text("tcp", "22, 23, 2222")
            .unwrap(),
        ..RunSettings::default()
    };
    let at_3 = shown_figures(&client).await;
    assert_figures(&at_3, &native_figures(&settings, &bundled));

    // Live half-life: 4 days, then 5 days while 4 is still computing.
    // Nobody presses Train; the old figures stay, marked as updating,
    // until the h = 5 result replaces them.
    slide(&client, 4.0).await;
    let updating = wait_text(&client, "#updating", 10, |t| !t.is_empty()).await;
    assert_eq!(updating, "recomputing for h = 4 days…");
    // Read in one script, so both describe the same moment.
    let both = client
        .execute(
            "const u = document.querySelector('#updating'); \
             const s = document.querySelector('.figures .summary').textContent; \
             const dim = document.querySelector('.results.is-updating') !== null; \
             return [u ? u.textContent : '', s, dim];",
            vec![],
        )
        .await
        .unwrap();
    let (marker, old_summary, dimmed): (String, String, bool) =
        serde_json::from_value(both).unwrap();
    if !marker.is_empty() {
        assert!(old_summary.contains("half-life 3.0 days"), "{old_summary}");
        assert!(dimmed, "the old figures are not marked as updating");
    }
    slide(&client, 5.0).await;
    wait_text(&client, "#updating", 10, |t| t == "recomputing for h = 5 days…")
        .await;
    wait_text(&client, "#updating", 300, str::is_empty).await;
    let summary = text_of(&client, ".figures .summary").await;
    assert!(
        summary.starts_with("TCP 22, 23, 2222 · half-life 5.0 days"),
        "{summary}"
    );
    settings.half_life_days = 5.0;
    assert_figures(
        &shown_figures(&client).await,
        &native_figures(&settings, &bundled),
    );
    assert!(
        client.find_all(Locator::Css(".progress")).await.unwrap().is_empty(),
        "progress left behind"
    );
    assert!(text_of(&client, "#stale").await.is_empty());

    // A new ASN table after a result: recomputed with it, not left stale.
    let input = client.find(Locator::Css("#asn-input")).await.unwrap();
    input.send_keys(&fixture.display().to_string()).await.unwrap();
    wait_text(&client, "#updating", 30, |t| {
        t == "recomputing for the new ASN table…"
    })
    .await;
    wait_text(&client, "#updating", 300, str::is_empty).await;
    let (small, _) = lwrank::choices::load_user_table(
        "pfx2as-2026-06-17.txt",
        &std::fs::read(&fixture).unwrap(),
    )
    .unwrap();
    assert_figures(
        &shown_figures(&client).await,
        &native_figures(&settings, &small),
    );

    // Another behaviour from the list: recomputed live as well.
    client
        .execute(
            "const sel = document.getElementById('behaviour'); \
             const i = [...sel.options].findIndex(o => o.textContent.startsWith('TCP 22 (')); \
             sel.value = String(i); \
             sel.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    wait_text(&client, "#updating", 30, |t| t == "recomputing for TCP 22…")
        .await;
    wait_text(&client, "#updating", 300, str::is_empty).await;
    let summary = text_of(&client, ".figures .summary").await;
    assert!(summary.starts_with("TCP 22 · half-life 5.0 days"), "{summary}");
    settings.behaviour = lwrank::event::Behaviour::tcp(22);
    assert_figures(
        &shown_figures(&client).await,
        &native_figures(&settings, &small),
    );
    assert!(text_of(&client, "#stale").await.is_empty());

    // Cancel during a live recompute: the progress goes, the page does
    // not hang, and the result on screen says which settings it is for
    // (unless the run had already finished).
    slide(&client, 6.0).await;
    wait_text(&client, "#updating", 10, |t| !t.is_empty()).await;
    if let Ok(cancel) = client.find(Locator::Css("#cancel")).await {
        let _ = cancel.click().await;
    }
    wait_text(&client, "#updating", 60, str::is_empty).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !client.find_all(Locator::Css(".progress")).await.unwrap().is_empty()
    {
        assert!(Instant::now() < deadline, "progress stuck after Cancel");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stale = text_of(&client, "#stale").await;
    let summary = text_of(&client, ".figures .summary").await;
    println!("after cancel: stale {stale:?}, summary {summary:?}");
    if stale.is_empty() {
        assert!(summary.contains("half-life 6.0 days"), "{summary}");
    } else {
        assert!(summary.contains("half-life 5.0 days"), "{summary}");
        assert!(
            stale.starts_with("These results are for h = 5 days, TCP 22;"),
            "{stale}"
        );
    }

    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
    let _ = std::fs::remove_file(bad);
}

/// Reads the rows of a results table as [header, cells...].
async fn table_rows(
    client: &fantoccini::Client,
    selector: &str,
) -> Vec<Vec<String>> {
    let rows = client
        .execute(
            &format!(
                "return [...document.querySelectorAll('{selector} tbody tr')].map(tr => \
                 [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map(td => td.textContent)])"
            ),
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(rows).unwrap()
}

/// A digest of the map canvas' pixels (FNV-1a over every byte).
async fn map_digest(client: &fantoccini::Client) -> String {
    let digest = client
        .execute(
            "const c = document.getElementById('map'); \
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
             let h = 2166136261; \
             for (let i = 0; i < d.length; i++) { h ^= d[i]; h = Math.imul(h, 16777619) >>> 0; } \
             return c.width + 'x' + c.height + ':' + h;",
            vec![],
        )
        .await
        .unwrap();
    digest.as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs dist/ (trunk build --release) and chromium: scripts/test.sh runs it"]
async fn feature_sets_compared_and_model_reimported() {
    let dist = root().join("dist");
    assert!(dist.join("index.html").is_file(), "run `trunk build --release`");
    let url = serve(dist).await;
    let driver = Driver::start();
    let profile = std::env::temp_dir()
        .join(format!("lwrank-e2e-import-{}", std::process::id()));
    let client = ClientBuilder::native()
        .capabilities(capabilities(&profile))
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("chromium via chromedriver");
    let wait = |secs| client.wait().at_most(Duration::from_secs(secs));
    client.goto(&url).await.unwrap();
    wait(30).for_element(Locator::Css("#try-sample")).await.unwrap();
    client
        .find(Locator::Css("#try-sample"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait(60).for_element(Locator::Css(".card.loaded")).await.unwrap();
    client.find(Locator::Css("#train")).await.unwrap().click().await.unwrap();
    wait(300)
        .for_element(Locator::Css("#feature-table tbody tr"))
        .await
        .unwrap();

    // The comparison: six feature sets and the best baseline, with the
    // median AUCs the native pipeline computes.
    let native = {
        let sample =
            include_bytes!("../assets/sample/marx-2013-06-21_to_07-20.csv.gz");
        let parsed = lwrank::ingest::parse_bytes("sample", sample).unwrap();
        let benign = lwrank::sample::parse_benign(include_str!(
            "../assets/sample/benign-top-sites.csv"
        ));
        let asn =
            AsnTable::from_packed(include_bytes!("../assets/asn/asn-ipv4.bin"))
                .unwrap();
        pipeline::run(
            &parsed.events,
            &benign.addresses,
            &asn,
            &RunSettings::default(),
            &|| 0.0,
            &mut |_, _| true,
        )
        .unwrap()
        .0
    };
    let shown = table_rows(&client, "#feature-table").await;
    println!("feature table: {shown:?}");
    assert_eq!(shown.len(), 7, "six sets and the best baseline");
    for (row, set) in shown.iter().zip(&native.comparison.sets) {
        assert!(row[0].starts_with(&set.name), "{row:?}");
        let page: f64 = row[2].parse().unwrap();
        let want = set.pooled.median_auc.unwrap();
        assert!((page - want).abs() <= 0.005, "{}: {page} vs {want}", set.name);
    }
    assert!(shown[1][0].ends_with("(chosen)"), "{:?}", shown[1]);
    assert!(shown[6][0].starts_with("baseline: "), "{:?}", shown[6]);
    let lines = client
        .execute(
            "return document.querySelectorAll('#feature-chart svg polyline').length",
            vec![],
        )
        .await
        .unwrap();
    assert!(lines.as_u64().unwrap() >= 14, "{lines} polylines");

    let figures_before = table_rows(&client, "#figures").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let map_before = map_digest(&client).await;

    // Export the model; the JSON is caught where the page makes its blob.
    client
        .execute(
            "window.__blobs = []; const make = URL.createObjectURL; \
             URL.createObjectURL = b => { window.__blobs.push(b); return make(b); }; \
             HTMLAnchorElement.prototype.click = function () {};",
            vec![],
        )
        .await
        .unwrap();
    client
        .find(Locator::Css("#export-model"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let json = loop {
        let text = client
            .execute(
                "return window.__blobs.length ? window.__blobs[0].text() : null",
                vec![],
            )
            .await
            .unwrap();
        if let Some(t) = text.as_str() {
            break t.to_string();
        }
        assert!(Instant::now() < deadline, "no model JSON exported");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let file = lwrank::model_file::ModelFile::from_json("export", &json)
        .expect("the export is a valid model file");
    assert_eq!(file.train_date, "2013-07-20");
    assert_eq!(file.behaviour_label, "TCP 22");
    let dir = std::env::temp_dir()
        .join(format!("lwrank-e2e-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("lwrank-model.json");
    std::fs::write(&good, &json).unwrap();

    // A broken file: a sentence naming it, nothing else changes.
    let broken = dir.join("broken-model.json");
    std::fs::write(&broken, "{\"format\": \"lwrank-model\", ").unwrap();
    client
        .find(Locator::Css("#model-input"))
        .await
        .unwrap()
        .send_keys(&broken.display().to_string())
        .await
        .unwrap();
    let problem = wait(30)
        .for_element(Locator::Css(".model-import .problem"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        problem.starts_with("broken-model.json: not valid JSON"),
        "{problem}"
    );

    // Other settings on the page; the import switches them back.
    client
        .execute(
            "const h = document.getElementById('half-life'); h.value = '7'; \
             h.dispatchEvent(new Event('input', {bubbles: true})); \
             const f = document.getElementById('features'); f.value = 'talk'; \
             f.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await
        .unwrap();
    client
        .find(Locator::Css("#model-input"))
        .await
        .unwrap()
        .send_keys(&good.display().to_string())
        .await
        .unwrap();
    let label = wait(120)
        .for_element(Locator::Css("#imported-label"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        label.starts_with("imported model trained on 2013-07-20"),
        "{label}"
    );
    let map_label = client
        .find(Locator::Css("#map-imported"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(map_label, "imported model trained on 2013-07-20");
    let settings = client
        .execute(
            "return [document.getElementById('half-life').value, \
             document.getElementById('features').value]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(settings, serde_json::json!(["3", "extended"]));
    assert!(client
        .find_all(Locator::Css(".model-import .problem"))
        .await
        .unwrap()
        .is_empty());

    // Every day pair tested again: the baselines' figures are identical,
    // the model row is the one imported model's.
    let figures_after = table_rows(&client, "#figures").await;
    println!("figures after import: {figures_after:?}");
    assert_eq!(figures_after.len(), figures_before.len());
    for (a, b) in figures_after.iter().zip(&figures_before).skip(1) {
        assert_eq!(a[..7], b[..7], "baseline row");
    }
    assert!(percent(&figures_after[0][2]).unwrap() > 20.0);
    // The same model on the same ranks draws the same map.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(map_digest(&client).await, map_before);
    let figures = client.find(Locator::Css(".figures")).await.unwrap();
    let png = figures.screenshot().await.unwrap();
    std::fs::write(root().join("target/e2e-import.png"), &png).unwrap();

    // Moving the half-life does not silently replace the imported model:
    // the results say which settings they are for.
    slide(&client, 5.0).await;
    let stale = wait(10)
        .for_element(Locator::Css("#stale"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(stale.contains("replaces the imported model"), "{stale}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let still = client
        .find(Locator::Css("#imported-label"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(still.starts_with("imported model trained on"), "{still}");
    assert_eq!(table_rows(&client, "#figures").await, figures_after);

    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
    let _ = std::fs::remove_dir_all(dir);
}
