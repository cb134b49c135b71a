//! What the generated client costs per call over a bare `reqwest` call, on a
//! local server: building the request, ids, credential, the send path with
//! its spans, and decoding the JSON body. Prints figures; asserts nothing.
//!
//! `cargo bench -p payouts-tests --bench client_overhead [-- CALLS]`

use std::time::{Duration, Instant};

use payouts::Client;
use payouts::client::RetryPolicy;
use payouts_tests::REQUEST;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The body every request gets: the spec's sample export request.
const BODY: &str = r#"{"value":[{"requestId":"93c2b3cf-c6d8-4e7e-ade1-007768a6eba4","requestDateTime":"2023-05-25T21:20:46.3727561Z","requestPath":"/v1.0/payouts/payments","requestQueryString":"paymentDate ge 2023-03-01 and paymentDate le 2023-04-12","blobLocation":"","status":"Queued"}],"nextLink":null,"totalCount":1}"#;

/// A keep-alive HTTP/1.1 server answering every bodyless request with `BODY`,
/// as little work per request as possible so the client's cost shows.
async fn serve() -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}", BODY.len());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut pending = Vec::new();
                let mut buffer = [0; 4096];
                loop {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => pending.extend_from_slice(&buffer[..read]),
                    }
                    while let Some(end) = pending.windows(4).position(|window| window == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    Ok(format!("http://{address}"))
}

/// The median and 90th percentile of `samples` (in µs), which it sorts.
fn median_p90(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |fraction: f64| {
        let index = ((samples.len() as f64 - 1.0) * fraction).round() as usize;
        samples.get(index).copied().unwrap_or_default()
    };
    (at(0.5), at(0.9))
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let calls: usize = std::env::args().skip(1).find_map(|arg| arg.parse().ok()).unwrap_or(5000);
    let base = serve().await?;
    let url = format!("{base}/payouts/payments/{REQUEST}");
    let bare = payouts::reqwest::Client::new();
    let client =
        Client::builder().base_url(&base).bearer_token("bench-token").retry_policy(RetryPolicy::none()).build()?;

    let bare_call = || async {
        let response = bare.get(&url).bearer_auth("bench-token").send().await?;
        response.bytes().await.map(|body| body.len())
    };
    let client_call =
        || async { client.get_payments_export_request(REQUEST).send().await.map(|body| body.value.len()) };

    // Warm up connections, allocator and caches.
    for _ in 0..200 {
        bare_call().await?;
        client_call().await?;
    }
    // Interleaved, so that drift in the machine's speed hits both alike.
    let (mut bare_times, mut client_times, mut overheads) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..calls {
        let started = Instant::now();
        bare_call().await?;
        let bare_time = started.elapsed();
        let started = Instant::now();
        client_call().await?;
        let client_time = started.elapsed();
        bare_times.push(micros(bare_time));
        client_times.push(micros(client_time));
        // Signed: a pair where the client happened to be faster counts too.
        overheads.push(micros(client_time) - micros(bare_time));
    }
    let (bare_median, bare_p90) = median_p90(&mut bare_times);
    let (client_median, client_p90) = median_p90(&mut client_times);
    let (overhead_median, overhead_p90) = median_p90(&mut overheads);
    println!("client overhead per call, {calls} calls each, GET with a {} byte JSON body, local server:", BODY.len());
    println!("  bare reqwest (send + read body)    median {bare_median:>8.1} µs   p90 {bare_p90:>8.1} µs");
    println!("  generated client (send + decode)   median {client_median:>8.1} µs   p90 {client_p90:>8.1} µs");
    println!("  overhead (client − bare, per pair) median {overhead_median:>8.1} µs   p90 {overhead_p90:>8.1} µs");
    Ok(())
}
