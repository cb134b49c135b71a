//! Calls every operation of `tests/fixtures/specs/parameter-styles.yaml` with
//! the values of the OpenAPI style table (see `common.rs` for how it is run).

mod common;

use client::types::{QueryDelimitedFilter, Rgb};

fn colors() -> Vec<String> {
    ["blue", "black", "brown"].map(String::from).to_vec()
}

const RGB: Rgb = Rgb { r: 100, g: 200, b: 150 };

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();

    let call = client.query_form("blue", colors(), colors(), RGB, RGB).ids(vec![1, 2]);
    report.call("queryForm", seen!(call.send_with_response().await));
    let filter = QueryDelimitedFilter { room: Some("living room".into()), online: Some(true) };
    let call = client.query_delimited(colors(), colors(), RGB).filter(filter);
    report.call("queryDelimited", seen!(call.send_with_response().await));
    let call = client.query_reserved("/next?page=2&size=1,2", "/next?page=2&size=1,2");
    report.call("queryReserved", seen!(call.send_with_response().await));
    let call = client.header_styles(colors(), RGB, RGB);
    report.call("headerStyles", seen!(call.send_with_response().await));
    let call = client.cookie_styles("a b;c", colors());
    report.call("cookieStyles", seen!(call.send_with_response().await));
    // Prism 5 cannot read path rows of lists and objects: it matches path
    // segments with an RFC 6570 template matcher that turns `a,b` into a list
    // where its style readers expect text, and stops. They go only to the
    // wire check.
    if args.proxy.is_some() {
        let call = client.path_simple("blue", colors(), RGB, RGB);
        report.call("pathSimple", seen!(call.send_with_response().await));
        let call = client.path_label("blue", colors(), colors(), RGB);
        report.call("pathLabel", seen!(call.send_with_response().await));
        let call = client.path_label_exploded(RGB);
        report.call("pathLabelExploded", seen!(call.send_with_response().await));
        let call = client.path_matrix("blue", colors(), colors(), RGB, RGB);
        report.call("pathMatrix", seen!(call.send_with_response().await));
    }
    report.finish()
}
