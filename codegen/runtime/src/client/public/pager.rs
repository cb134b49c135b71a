/// One page of a paged operation: its items, and the link to the next page
/// (`None` on the last).
///
/// Keep `next_link` to resume later, from that page on, with
/// [`Pager::starting_at`].
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The link to the next page, as the service wrote it.
    pub next_link: Option<String>,
}

/// Fetches the first page (`None`) or the page at a next link.
pub(crate) type FetchPage<'a, T> = Box<dyn FnMut(Option<String>) -> PageFuture<'a, T> + Send + 'a>;

/// A page on its way.
pub(crate) type PageFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page<T>, crate::error::Error>> + Send + 'a>>;

/// The items of a paged operation, as a [`Stream`](futures_core::Stream):
/// the first page is requested when the stream is first polled, and each next
/// page when the items before it have been taken.
///
/// The next link is resolved against the first request's URL; a link outside
/// the client's base URL is not followed (the request would carry the
/// client's credentials elsewhere), and a link already followed ends the
/// stream with an error rather than looping. An absent, `null` or empty
/// link ends the stream. Dropping the pager stops it: nothing is requested in
/// the background.
#[must_use = "a pager does nothing until it is polled"]
pub struct Pager<'a, T> {
    fetch: FetchPage<'a, T>,
    next: NextPage,
    /// Every link followed so far, to catch a service that loops.
    followed: Vec<String>,
    in_flight: Option<PageFuture<'a, T>>,
    /// Items of the last page not yet taken.
    items: std::collections::VecDeque<T>,
}

/// What the pager requests next.
enum NextPage {
    First,
    Link(String),
    Done,
}

impl<'a, T> Pager<'a, T> {
    pub(crate) fn new(fetch: FetchPage<'a, T>) -> Self {
        Self {
            fetch,
            next: NextPage::First,
            followed: Vec::new(),
            in_flight: None,
            items: std::collections::VecDeque::new(),
        }
    }

    /// Resumes from a page's [`Page::next_link`] kept earlier, instead of
    /// requesting the first page.
    pub fn starting_at(mut self, next_link: impl Into<String>) -> Self {
        self.next = NextPage::Link(next_link.into());
        self
    }

    /// The same pages as whole [`Page`]s, each with its `next_link`.
    pub fn into_pages(self) -> Pages<'a, T> {
        Pages { pager: self }
    }

    /// The next page, or `None` after the last.
    fn poll_page(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Page<T>, crate::error::Error>>> {
        if self.in_flight.is_none() {
            let link = match std::mem::replace(&mut self.next, NextPage::Done) {
                NextPage::Done => return std::task::Poll::Ready(None),
                NextPage::First => None,
                NextPage::Link(link) => {
                    if self.followed.contains(&link) {
                        // The query may carry a token of its own; the path says enough.
                        let shown = link.split('?').next().unwrap_or_default();
                        let message = format!("the next link `{shown}` was already followed: the service's pages loop");
                        return std::task::Poll::Ready(Some(Err(crate::error::Error::Paging(message))));
                    }
                    self.followed.push(link.clone());
                    Some(link)
                }
            };
            self.in_flight = Some((self.fetch)(link));
        }
        let Some(future) = self.in_flight.as_mut() else { return std::task::Poll::Ready(None) };
        let page = std::task::ready!(std::future::Future::poll(future.as_mut(), cx));
        self.in_flight = None;
        if let Ok(page) = &page {
            if let Some(link) = page.next_link.as_deref().filter(|link| !link.is_empty()) {
                self.next = NextPage::Link(link.to_owned());
            }
        }
        std::task::Poll::Ready(Some(page))
    }
}

impl<T: Unpin> futures_core::Stream for Pager<'_, T> {
    type Item = Result<T, crate::error::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return std::task::Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(self.poll_page(cx)) {
                Some(Ok(page)) => self.items.extend(page.items),
                Some(Err(error)) => return std::task::Poll::Ready(Some(Err(error))),
                None => return std::task::Poll::Ready(None),
            }
        }
    }
}

/// A paged operation's pages, as a [`Stream`](futures_core::Stream); made by
/// [`Pager::into_pages`].
#[must_use = "pages do nothing until they are polled"]
pub struct Pages<'a, T> {
    pager: Pager<'a, T>,
}

impl<T: Unpin> futures_core::Stream for Pages<'_, T> {
    type Item = Result<Page<T>, crate::error::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.pager.poll_page(cx)
    }
}
