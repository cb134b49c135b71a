//! Tests of `Pager` (`public/pager.rs`) against scripted pages: which links
//! it asks for, in what order, and when it stops.

use std::sync::{Arc, Mutex};

use futures_core::Stream;

use super::{Page, Pager};
use crate::error::Error;

/// Every link a pager asked for, in order (`None`: the first page).
type Asked = Arc<Mutex<Vec<Option<String>>>>;

/// A pager over pages by link (`None`: the first), and what it asks for.
fn scripted(pages: Vec<(Option<&'static str>, Page<u32>)>) -> (Pager<'static, u32>, Asked) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    let pager = Pager::new(Box::new(move |link: Option<String>| {
        log.lock().map(|mut asked| asked.push(link.clone())).ok();
        let page = pages.iter().find(|(at, _)| at.map(str::to_owned) == link).map(|(_, page)| page.clone());
        Box::pin(async move { page.ok_or_else(|| Error::InvalidRequest(format!("no page at {link:?}"))) })
    }));
    (pager, asked)
}

fn page(items: &[u32], next: Option<&str>) -> Page<u32> {
    Page { items: items.to_vec(), next_link: next.map(str::to_owned) }
}

/// Everything the stream yields, errors as their text.
async fn drain<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await {
        out.push(item);
        assert!(out.len() < 100, "the stream does not end");
    }
    out
}

fn texts<T: std::fmt::Debug>(items: Vec<Result<T, Error>>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| match item {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error:?}"),
        })
        .collect()
}

#[tokio::test]
async fn items_come_page_after_page_until_a_page_has_no_next_link() {
    let (pager, asked) = scripted(vec![
        (None, page(&[1, 2], Some("p2"))),
        (Some("p2"), page(&[], Some("p3"))),
        (Some("p3"), page(&[3], Some(""))),
    ]);
    assert_eq!(texts(drain(pager).await), ["1", "2", "3"]);
    // An empty link ends the list as `None` does.
    let asked = asked.lock().map(|asked| asked.clone()).unwrap_or_default();
    assert_eq!(asked, [None, Some("p2".to_owned()), Some("p3".to_owned())]);
}

#[tokio::test]
async fn pages_keep_their_links_and_a_kept_link_resumes() {
    let pages = vec![(None, page(&[1], Some("p2"))), (Some("p2"), page(&[2], None))];
    let (pager, _) = scripted(pages.clone());
    let whole = drain(pager.into_pages()).await;
    assert_eq!(texts(whole), [format!("{:?}", page(&[1], Some("p2"))), format!("{:?}", page(&[2], None))]);

    let (pager, asked) = scripted(pages);
    assert_eq!(texts(drain(pager.starting_at("p2")).await), ["2"]);
    assert_eq!(asked.lock().map(|asked| asked.clone()).unwrap_or_default(), [Some("p2".to_owned())]);
}

#[tokio::test]
async fn a_link_followed_before_is_an_error_that_ends_the_stream() {
    let (pager, asked) = scripted(vec![
        (None, page(&[1], Some("p2?sig=secret"))),
        (Some("p2?sig=secret"), page(&[2], Some("p2?sig=secret"))),
    ]);
    let out = texts(drain(pager).await);
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(out[..2], ["1", "2"]);
    assert!(out[2].contains("already followed") && !out[2].contains("secret"), "{}", out[2]);
    assert_eq!(asked.lock().map(|asked| asked.len()).unwrap_or_default(), 2);
}

#[tokio::test]
async fn a_failed_page_is_yielded_and_nothing_is_asked_for_before_polling() {
    let (pager, asked) = scripted(vec![(None, page(&[1], Some("missing")))]);
    assert!(asked.lock().map(|asked| asked.is_empty()).unwrap_or_default(), "nothing before the first poll");
    let out = texts(drain(pager).await);
    assert_eq!(out[0], "1");
    assert!(out[1].starts_with("error: InvalidRequest"), "{out:?}");
    assert_eq!(out.len(), 2, "a page that fails has no next link: {out:?}");
}
