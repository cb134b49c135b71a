impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self::text::redacted_url(&self.inner.transport.base_url))
            .field("retry", &self.inner.transport.retry)
            .field("timeouts", &self.inner.transport.timeouts)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(self::text::redacted_url))
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// How requests are sent: the same settings for every API.
impl ClientBuilder {
    /// The `reqwest` client to send requests with (for proxies or TLS
    /// settings). By default a new one with reqwest's defaults and the
    /// [`connect_timeout`](Self::connect_timeout), except that it
    /// follows no redirects: a `3xx` is returned as the spec documents
    /// it (or as an unexpected status). Build yours with
    /// `redirect(reqwest::redirect::Policy::none())` to keep that.
    ///
    /// The per-attempt [`timeout`](Self::timeout) still applies to every
    /// request; the connect timeout does not, since `reqwest` cannot change
    /// an existing client: build yours with `connect_timeout` to keep one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How long to wait for a connection: 10 s unless set (a handshake
    /// takes well under a second; this leaves room for a slow network and
    /// still fails a dead host fast enough to retry). A slower connection
    /// fails the attempt as a timeout, retried as the [`RetryPolicy`] says.
    ///
    /// Set on the `reqwest` client the builder makes; a client given with
    /// [`http_client`](Self::http_client) keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// How long one attempt may take in all, from connecting until the
    /// whole response body has arrived: 60 s unless set (gateways in front of
    /// services give up on a silent server well before that). A slower
    /// attempt fails with [`Error::Transport`] (its `is_timeout()` is true)
    /// and is retried as the [`RetryPolicy`] says, so a call lasts at most
    /// about `max_attempts` times this, plus the waits between attempts.
    ///
    /// It applies to every request, also with a client given with
    /// [`http_client`](Self::http_client), in place of that client's own timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// How to retry failed attempts; [`RetryPolicy::default`] unless set, and
    /// [`RetryPolicy::none`] turns retries off.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL every request path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.transport.base_url
    }
}
