//! Serving: connections bounded by `http-guard`'s acceptor (total, per address, header
//! and idle timeouts) before any byte of HTTP is read; TLS optional. The serving itself is
//! `http_guard::serve`, shared with the seat server.

use std::net::SocketAddr;
use std::sync::Arc;

use http_guard::conn::ConnLimits;

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
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    http_guard::serve::serve(listener, service, limits, tls, shutdown).await
}
