//! `cargo xtask prism`: generated clients on the wire, checked two ways.
//!
//! For each spec of [`CASES`], the crate is generated into a scratch
//! workspace under `target/prism`, beside a driver (`tests/prism/<name>.rs`,
//! with `tests/prism/common.rs`) that calls every operation with valid values.
//!
//! 1. **Wire check.** The driver sends through a recording HTTP proxy (a
//!    plain `TcpListener` here, answering `204`), and the requests it saw,
//!    exactly as they came (request line with the absolute URL, headers but
//!    `host`, body), must equal `tests/prism/<name>.wire`; `--update` rewrites
//!    that file.
//! 2. **Prism.** Stoplight Prism (installed pinned by `scripts/prism.sh`)
//!    mocks the spec with `--errors`; the driver calls it, and any call that
//!    fails or carries Prism's `sl-violations` header fails the check. Prism
//!    validates every parameter and body against the spec, so this checks the
//!    client's serialization against an implementation this project did not
//!    write. `--no-prism` skips it (no Node.js).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A spec the check runs: its name (of the driver and the wire file) and path.
struct Case {
    name: &'static str,
    spec: &'static str,
}

const CASES: &[Case] = &[
    Case { name: "parameter-styles", spec: "tests/fixtures/specs/parameter-styles.yaml" },
    Case { name: "security", spec: "tests/fixtures/specs/security.yaml" },
    Case { name: "servers", spec: "tests/fixtures/specs/servers.yaml" },
    Case { name: "bodies", spec: "tests/fixtures/specs/bodies.yaml" },
    Case { name: "polymorphism", spec: "tests/fixtures/specs/polymorphism.yaml" },
    Case { name: "paging", spec: "tests/fixtures/specs/paging.yaml" },
    Case { name: "download-link", spec: "tests/fixtures/specs/download-link.yaml" },
    Case { name: "long-running", spec: "tests/fixtures/specs/long-running.yaml" },
    Case { name: "operations", spec: "tests/fixtures/specs/operations.yaml" },
    Case { name: "schemas", spec: "tests/fixtures/specs/schemas.yaml" },
    Case { name: "json-style", spec: "tests/fixtures/specs/json-style.json" },
    Case { name: "payouts", spec: "spec/payouts.yaml" },
    Case { name: "adversarial-names", spec: "tests/fixtures/specs/adversarial-names.yaml" },
    Case { name: "no-servers", spec: "tests/fixtures/specs/no-servers.json" },
    Case { name: "odd-corners", spec: "tests/fixtures/specs/odd-corners.yaml" },
    Case { name: "payouts-combined", spec: "tests/fixtures/specs/payouts-combined.yaml" },
    Case { name: "payouts-neighbour", spec: "tests/fixtures/specs/payouts-neighbour.yaml" },
];

/// How long Prism may take to start listening.
const PRISM_START: Duration = Duration::from_secs(90);

pub struct Plan {
    pub prism: bool,
    pub update: bool,
}

pub fn run(plan: &Plan, root: &Path, out: &mut dyn Write) -> Result<(), String> {
    let workspace = root.join("target/prism");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let _ = std::fs::remove_dir_all(&workspace);
    let mut members = Vec::new();
    for case in CASES {
        write_case(case, root, &workspace)?;
        members.push(format!("\"client-{0}\", \"drive-{0}\"", case.name));
    }
    let manifest = format!(
        "# Scratch workspace of `cargo xtask prism`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    write(&workspace.join("Cargo.toml"), &manifest)?;
    let _ = std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"));
    let _ = writeln!(out, "building {} drivers in {}", CASES.len(), workspace.display());
    let _ = out.flush();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "--workspace", "--bins", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .map_err(|error| format!("error: cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("error: the drivers do not build (see above)".to_owned());
    }
    let driver =
        |case: &Case| target_dir.join("debug").join(format!("drive-{}{}", case.name, std::env::consts::EXE_SUFFIX));

    let mut failures = Vec::new();
    for case in CASES {
        if let Err(problem) = wire_check(case, &driver(case), root, plan.update, out) {
            failures.push(problem);
        }
    }
    if plan.prism {
        let prism = install_prism(root)?;
        for case in CASES {
            if let Err(problem) = prism_check(case, &driver(case), &prism, root, out) {
                failures.push(problem);
            }
        }
    } else {
        let _ = writeln!(out, "Prism: skipped (--no-prism)");
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("error: {} check(s) failed:\n{}", failures.len(), failures.join("\n\n")))
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("error: cannot create {}: {error}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|error| format!("error: cannot write {}: {error}", path.display()))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("error: cannot read {}: {error}", path.display()))
}

/// The generated crate and its driver crate.
fn write_case(case: &Case, root: &Path, workspace: &Path) -> Result<(), String> {
    let spec = root.join(case.spec);
    let mut options = codegen::Options::new(case.spec.to_owned());
    options.crate_name = Some(format!("prism-{}", case.name));
    options.command = "cargo xtask prism".to_owned();
    let files = codegen::generate(&read(&spec)?, &options).map_err(|error| format!("error: {}: {error}", case.spec))?;
    codegen::output::write(&workspace.join(format!("client-{}", case.name)), &files)
        .map_err(|error| format!("error: {error}"))?;
    let drive = workspace.join(format!("drive-{}", case.name));
    // futures-core: a pager is a `Stream`; the clients depend on it already.
    let manifest = format!(
        "[package]\nname = \"drive-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nclient = {{ package = \"prism-{name}\", path = \"../client-{name}\" }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\
         futures-core = \"0.3\"\n",
        name = case.name
    );
    write(&drive.join("Cargo.toml"), &manifest)?;
    let prism_dir = root.join("tests/prism");
    write(&drive.join("src/main.rs"), &read(&prism_dir.join(format!("{}.rs", case.name)))?)?;
    write(&drive.join("src/common.rs"), &read(&prism_dir.join("common.rs"))?)
}

/// Runs the driver through the recording proxy and compares what it sent
/// with the committed wire file.
fn wire_check(case: &Case, driver: &Path, root: &Path, update: bool, out: &mut dyn Write) -> Result<(), String> {
    let recorder = Recorder::start()?;
    let url = recorder.url();
    // The driver's own verdict does not matter here: the recorder answers
    // 204 to everything, which most operations do not document.
    let output = Command::new(driver)
        .args([&url, &url])
        .output()
        .map_err(|error| format!("{}: cannot run {}: {error}", case.name, driver.display()))?;
    let mut seen = recorder.requests().join("\n");
    seen = seen.replace(&url, "http://{server}");
    // What the driver printed that is not about a call (base URLs, refusals).
    let notes: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.contains(": 204") && !line.contains(": error: "))
        .map(|line| format!("# {}", line.replace(&url, "http://{server}")))
        .collect();
    let seen = if notes.is_empty() { format!("{seen}\n") } else { format!("{}\n\n{seen}\n", notes.join("\n")) };
    let expected_path = root.join("tests/prism").join(format!("{}.wire", case.name));
    if update {
        write(&expected_path, &seen)?;
        let _ = writeln!(out, "wire {}: wrote {}", case.name, expected_path.display());
        return Ok(());
    }
    let expected = read(&expected_path).unwrap_or_default();
    if expected == seen {
        let _ = writeln!(out, "wire {}: the requests are as recorded", case.name);
        Ok(())
    } else {
        Err(format!(
            "wire {}: the requests differ from {} (rerun with --update if the change is intended)\n{}",
            case.name,
            expected_path.display(),
            line_diff(&expected, &seen)
        ))
    }
}

/// The lines only in one side, marked `-` (expected) and `+` (seen).
fn line_diff(expected: &str, seen: &str) -> String {
    let expected_lines: Vec<&str> = expected.lines().collect();
    let seen_lines: Vec<&str> = seen.lines().collect();
    let gone = expected_lines.iter().filter(|line| !seen_lines.contains(line)).map(|line| format!("- {line}"));
    let new = seen_lines.iter().filter(|line| !expected_lines.contains(line)).map(|line| format!("+ {line}"));
    gone.chain(new).collect::<Vec<_>>().join("\n")
}

/// A local HTTP server that records every request and answers `204`; used
/// as the driver's proxy, it sees absolute URLs of any host.
struct Recorder {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start() -> Result<Self, String> {
        let listener =
            TcpListener::bind("127.0.0.1:0").map_err(|error| format!("error: cannot listen on 127.0.0.1: {error}"))?;
        let port = listener.local_addr().map_err(|error| format!("error: {error}"))?.port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&requests);
        // Left running when the check ends: it only ever waits on this port.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Ok(Self { port, requests })
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|requests| requests.clone()).unwrap_or_default()
    }
}

/// Reads requests off one connection (keep-alive) and records each.
fn serve(stream: TcpStream, requests: &Mutex<Vec<String>>) {
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let mut head = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']).to_owned();
            if line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            if !lower.starts_with("host:") {
                head.push(line);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if !body.is_empty() {
            // Carriage returns shown, so a multipart body's CRLFs are checked too.
            head.push(format!("body: {}", shown_bytes(&body)));
        }
        let mut request = head.join("\n") + "\n";
        // A multipart boundary is random per call: recorded by name.
        let boundary = head.iter().find_map(|line| {
            let lower = line.to_ascii_lowercase();
            let at = lower.strip_prefix("content-type:")?.find("boundary=")?;
            Some(line["content-type:".len() + at + "boundary=".len()..].trim().to_owned())
        });
        if let Some(boundary) = boundary.filter(|boundary| !boundary.is_empty()) {
            request = request.replace(&boundary, "{boundary}");
        }
        if let Ok(mut requests) = requests.lock() {
            requests.push(request);
        }
        if writer.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").is_err() {
            return;
        }
    }
}

/// A body as text: printable ASCII, tabs and line feeds as they are; any
/// other byte (a carriage return too) escaped, so CRLFs and binary show.
fn shown_bytes(body: &[u8]) -> String {
    let mut out = String::with_capacity(body.len());
    for &byte in body {
        match byte {
            b'\r' => out.push_str("\\r"),
            b'\n' | b'\t' | 0x20..=0x7e => out.push(char::from(byte)),
            other => out.push_str(&format!("\\x{other:02x}")),
        }
    }
    out
}

/// Installs Prism with the project's script; the path of its executable.
fn install_prism(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new("bash")
        .arg(root.join("scripts/prism.sh"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("error: cannot run scripts/prism.sh: {error}"))?;
    if !output.status.success() {
        return Err("error: scripts/prism.sh could not install Prism (see above); --no-prism skips it".to_owned());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
}

/// Prism mocking the spec; the driver calls it and must see no violation.
fn prism_check(case: &Case, driver: &Path, prism: &Path, root: &Path, out: &mut dyn Write) -> Result<(), String> {
    let port = free_port()?;
    let log_path = root.join("target/prism").join(format!("prism-{}.log", case.name));
    let log = std::fs::File::create(&log_path).map_err(|error| format!("error: {error}"))?;
    let child = Command::new(prism)
        .args(["mock", "--errors", "--dynamic=false", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(root.join(case.spec))
        .stdout(log.try_clone().map_err(|error| format!("error: {error}"))?)
        .stderr(log)
        .spawn()
        .map_err(|error| format!("error: cannot start {}: {error}", prism.display()))?;
    let mut prism_process = Running(child);
    wait_for_port(port, &mut prism_process.0).map_err(|error| {
        format!("prism {}: {error}\n{}", case.name, std::fs::read_to_string(&log_path).unwrap_or_default())
    })?;
    let output = Command::new(driver)
        .arg(format!("http://127.0.0.1:{port}"))
        .output()
        .map_err(|error| format!("{}: cannot run {}: {error}", case.name, driver.display()))?;
    drop(prism_process);
    let printed = String::from_utf8_lossy(&output.stdout);
    if output.status.success() {
        let calls = printed.lines().count();
        let _ = writeln!(out, "prism {}: {calls} calls, no violations", case.name);
        Ok(())
    } else {
        Err(format!(
            "prism {}: the driver reported failures (Prism's log: {})\n{printed}{}",
            case.name,
            log_path.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// A child process that is stopped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|error| format!("error: no free port: {error}"))?;
    listener.local_addr().map(|address| address.port()).map_err(|error| format!("error: {error}"))
}

fn wait_for_port(port: u16, child: &mut Child) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < PRISM_START {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("Prism exited ({status}) before listening"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("Prism did not listen on port {port} within {} s", PRISM_START.as_secs()))
}
