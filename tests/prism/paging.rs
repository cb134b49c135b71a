//! Calls every operation of `tests/fixtures/specs/paging.yaml` (see
//! `common.rs` for how it is run): each paged list once as a plain call (its
//! status and Prism's verdict) and once through its pager, whose first page
//! must hold the items of the page's item property (`value`, `gadgets`) and
//! its next link (`nextLink`, `continueAt`); then a pager resumed with
//! `starting_at` from a next link on the mocked host, which it must request
//! as written (with `GET`, and no body, for the `POST` list too).
//!
//! Prism answers every page with the same static example (the spec has none
//! of its own): one item with the id `string`, and the next link `string`.
//! Following that link would request `{base}/string`, a path the spec does
//! not have (Prism answers 404), so the driver reads the first page of each
//! pager only; the pager's loop and end-of-list handling are tested in
//! `tests/typed_client.rs`.

mod common;

use std::pin::Pin;

use client::client::{Page, Pager};
use client::types::{QueryWidgetsBody, SearchWidgetsBody, Widget};
use futures_core::Stream;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();
    let widget = Widget { id: "string".to_owned(), size: Some(0) };

    report.call("listWidgets", seen!(client.list_widgets().top(2).send_with_response().await));
    let page = first_page(client.list_widgets().top(2).send_paged()).await;
    check_page(&mut report, "listWidgets (paged)", page, std::slice::from_ref(&widget));
    // A next link as a service writes it: absolute, with its own query.
    let link = format!("{}/widgets?top=2&skipToken=b2", args.base_url);
    let page = first_page(client.list_widgets().send_paged().starting_at(link)).await;
    check_page(&mut report, "listWidgets (from a next link)", page, std::slice::from_ref(&widget));

    // A `POST` list: its first page is the search, its next pages `GET`s.
    let search = || client.search_widgets(SearchWidgetsBody { min_size: Some(3) });
    report.call("searchWidgets", seen!(search().send_with_response().await));
    let link = format!("{}/widgets?skipToken=s2", args.base_url);
    let page = first_page(search().send_paged().starting_at(link)).await;
    check_page(&mut report, "searchWidgets (from a next link)", page, std::slice::from_ref(&widget));

    // `nextLinkVerb: POST`: the next pages repeat the query, body and all, on the link.
    let query = || client.query_widgets(QueryWidgetsBody { min_size: Some(3) });
    report.call("queryWidgets", seen!(query().send_with_response().await));
    let link = format!("{}/widgets/query?skipToken=s2", args.base_url);
    let page = first_page(query().send_paged().starting_at(link)).await;
    check_page(&mut report, "queryWidgets (from a next link)", page, std::slice::from_ref(&widget));

    report.call("listGadgets", seen!(client.list_gadgets().send_with_response().await));
    let page = first_page(client.list_gadgets().send_paged()).await;
    check_page(&mut report, "listGadgets (paged)", page, &["string".to_owned()]);

    let sprockets = client.list_sprockets().send_with_response().await;
    if let Ok(response) = &sprockets
        && response.body.value.as_deref() != Some(&[widget][..])
    {
        report.fail("listSprockets", format!("decoded as {:?}", response.body));
    }
    report.call("listSprockets", seen!(sprockets));
    report.finish()
}

/// The first page a pager gives (`None` when it gives none).
async fn first_page<T: Unpin>(pager: Pager<'_, T>) -> Option<Result<Page<T>, client::Error>> {
    let mut pages = pager.into_pages();
    std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await
}

/// Reports a first page: an error as the call's failure, and items or a
/// next link other than Prism's static example's as a wrong decoding.
fn check_page<T: PartialEq + std::fmt::Debug>(
    report: &mut common::Report,
    name: &str,
    page: Option<Result<Page<T>, client::Error>>,
    items: &[T],
) {
    match page {
        None => report.fail(name, "the pager gave no page".to_owned()),
        Some(Err(error)) => report.call(name, Err(error)),
        Some(Ok(page)) if page.items != items || page.next_link.as_deref() != Some("string") => {
            report.fail(name, format!("decoded as {page:?}"));
        }
        Some(Ok(page)) => println!("{name}: {} item(s), next link {:?}", page.items.len(), page.next_link),
    }
}
