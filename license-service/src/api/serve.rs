//! Serving: connections bounded by `http-guard`'s acceptor (total, per address, header
//! and idle timeouts) before any byte of HTTP is read; TLS optional.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_guard::conn::{BoundedAcceptor, ConnLimits, Connections};
use http_guard::web::MAX_HEADERS;

use super::app::App;
use super::router;
use crate::issuers::Issuers;

/// Serve `app` on `listener` until `shutdown` resolves.
pub async fn serve<I: Issuers>(
    listener: std::net::TcpListener,
    app: Arc<App<I>>,
    limits: ConnLimits,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let acceptor = BoundedAcceptor::new(Connections::new(limits));
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::new();
    let h = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        h.graceful_shutdown(Some(Duration::from_secs(5)));
    });
    listener.set_nonblocking(true)?;
    match tls {
        Some(config) => {
            let mut server = axum_server::from_tcp_rustls(listener, config)?
                .map(|a| a.acceptor(acceptor))
                .http1_only()
                .first_request_timeout(limits.header_read_timeout);
            server
                .http_builder()
                .http1()
                .header_read_timeout(Some(limits.header_read_timeout))
                .max_headers(4 * MAX_HEADERS);
            server.handle(handle).serve(service).await
        }
        None => {
            let mut server = axum_server::from_tcp(listener)?
                .acceptor(acceptor)
                .http1_only()
                .first_request_timeout(limits.header_read_timeout);
            server
                .http_builder()
                .http1()
                .header_read_timeout(Some(limits.header_read_timeout))
                .max_headers(4 * MAX_HEADERS);
            server.handle(handle).serve(service).await
        }
    }
}
