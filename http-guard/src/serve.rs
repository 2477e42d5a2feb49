//! Serving a router inside the bounds: connections admitted by [`crate::conn`]'s acceptor
//! (total, per address, header-read and idle timeouts) before any byte of HTTP is read,
//! HTTP/1 only, the first request and every header within the header-read timeout, at most
//! `4 * MAX_HEADERS` header fields parsed (the handlers answer 431 from `MAX_HEADERS` on,
//! with a JSON body, see [`crate::web::check_head`]); TLS optional.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;

use crate::conn::{BoundedAcceptor, ConnLimits, Connections};
use crate::web::MAX_HEADERS;

/// Serve `service` on `listener` until `shutdown` resolves (then at most 5 s more for the
/// requests in flight); over TLS when `tls` is given.
pub async fn serve(
    listener: std::net::TcpListener,
    service: IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    limits: ConnLimits,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let acceptor = BoundedAcceptor::new(Connections::new(limits));
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
