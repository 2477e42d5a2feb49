//! Which addresses a webhook may reach. A webhook URL is data a customer or reseller
//! enters: without a check it would let them make the service call its own database,
//! the cloud's metadata service or the office network (server-side request forgery).
//! Every address a host resolves to is checked, and the connection goes only to the
//! addresses checked (no second lookup an attacker's DNS could answer differently).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use crate::error::NotifyError;

/// The range an address is in, when it is not a public unicast address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7.
    Private,
    /// 169.254/16 (with the cloud metadata address 169.254.169.254), fe80::/10.
    LinkLocal,
    /// Unspecified, broadcast, multicast, documentation, benchmarking, reserved,
    /// protocol assignments, 6to4, NAT64 and other addresses that are no one's server.
    Special,
}

impl Range {
    /// `loopback`, `private`, `link-local`, `special`.
    pub fn name(self) -> &'static str {
        match self {
            Range::Loopback => "loopback",
            Range::Private => "private",
            Range::LinkLocal => "link-local",
            Range::Special => "special",
        }
    }
}

fn v4_range(a: Ipv4Addr) -> Option<Range> {
    let [o0, o1, o2, _] = a.octets();
    if o0 == 127 {
        return Some(Range::Loopback);
    }
    if o0 == 10
        || (o0 == 172 && (16..=31).contains(&o1))
        || (o0 == 192 && o1 == 168)
        || (o0 == 100 && (64..=127).contains(&o1))
    {
        return Some(Range::Private);
    }
    if o0 == 169 && o1 == 254 {
        return Some(Range::LinkLocal);
    }
    let special = o0 == 0                                   // this network
        || o0 >= 224                                         // multicast, reserved, broadcast
        || (o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2))     // protocol assignments, TEST-NET-1
        || (o0 == 192 && o1 == 88 && o2 == 99)               // 6to4 relay
        || (o0 == 198 && (o1 == 18 || o1 == 19))             // benchmarking
        || (o0 == 198 && o1 == 51 && o2 == 100)              // TEST-NET-2
        || (o0 == 203 && o1 == 0 && o2 == 113); // TEST-NET-3
    special.then_some(Range::Special)
}

fn v6_range(a: Ipv6Addr) -> Option<Range> {
    if let Some(v4) = a.to_ipv4_mapped() {
        return v4_range(v4);
    }
    let s = a.segments();
    if a.is_loopback() {
        return Some(Range::Loopback);
    }
    if a.is_unspecified() {
        return Some(Range::Special);
    }
    if s[0] & 0xfe00 == 0xfc00 {
        return Some(Range::Private);
    }
    if s[0] & 0xffc0 == 0xfe80 {
        return Some(Range::LinkLocal);
    }
    let special = s[0] & 0xff00 == 0xff00                     // multicast
        || s[0] & 0xffc0 == 0xfec0                            // site-local (deprecated)
        || (s[0] == 0x64 && s[1] == 0xff9b)                   // NAT64
        || (s[0] == 0x100 && s[1] == 0 && s[2] == 0 && s[3] == 0) // discard
        || (s[0] == 0x2001 && s[1] < 0x200)                   // protocol assignments, Teredo
        || (s[0] == 0x2001 && s[1] == 0xdb8)                  // documentation
        || s[0] == 0x2002                                     // 6to4
        || (s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0); // IPv4-compatible
    special.then_some(Range::Special)
}

/// The range of `ip`, or `None` for a public unicast address.
pub fn range_of(ip: IpAddr) -> Option<Range> {
    match ip {
        IpAddr::V4(a) => v4_range(a),
        IpAddr::V6(a) => v6_range(a),
    }
}

/// Which non-public ranges webhooks may reach. The default allows none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    /// Allow 127.0.0.0/8 and ::1 (tests, a receiver on the same host).
    pub allow_loopback: bool,
    /// Allow the private ranges (an ERP on the vendor's own network).
    pub allow_private: bool,
}

impl TargetPolicy {
    /// Whether `ip` may be reached.
    pub fn allows(&self, ip: IpAddr) -> Result<(), Range> {
        match range_of(ip) {
            None => Ok(()),
            Some(Range::Loopback) if self.allow_loopback => Ok(()),
            Some(Range::Private) if self.allow_private => Ok(()),
            Some(r) => Err(r),
        }
    }

    /// Check every address in `addrs` for `host`: all must be allowed.
    pub fn check_all(&self, host: &str, addrs: &[SocketAddr]) -> Result<(), NotifyError> {
        for a in addrs {
            if let Err(range) = self.allows(a.ip()) {
                return Err(NotifyError::TargetRefused {
                    host: host.to_owned(),
                    address: a.ip(),
                    range: range.name(),
                });
            }
        }
        Ok(())
    }
}

/// The scheme, host and port of a webhook URL (`http` or `https` only).
pub fn split_url(url: &str) -> Result<(bool, String, u16), NotifyError> {
    let bad = || NotifyError::BadUrl { url: url.to_owned() };
    let uri: ureq::http::Uri = url.parse().map_err(|_| bad())?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(bad()),
    };
    let authority = uri.authority().ok_or_else(bad)?;
    if authority.as_str().contains('@') {
        return Err(bad());
    }
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(bad)?;
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    Ok((
        https,
        host.trim_start_matches('[').trim_end_matches(']').to_owned(),
        port,
    ))
}

/// Resolve `url`'s host and check every address against `policy` (what a service does
/// when a webhook is registered; the sender checks again at every delivery).
pub fn check_target(url: &str, policy: &TargetPolicy) -> Result<Vec<SocketAddr>, NotifyError> {
    let (_, host, port) = split_url(url)?;
    let addrs: Vec<SocketAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| NotifyError::WebhookTransport {
            url: url.to_owned(),
            reason: format!("cannot resolve {host}: {e}"),
        })?
        .collect();
    if addrs.is_empty() {
        return Err(NotifyError::WebhookTransport {
            url: url.to_owned(),
            reason: format!("{host} has no address"),
        });
    }
    policy.check_all(&host, &addrs)?;
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Option<Range> {
        range_of(s.parse().unwrap())
    }

    #[test]
    fn every_special_range_is_named() {
        for (a, want) in [
            ("127.0.0.1", Some(Range::Loopback)),
            ("127.255.0.9", Some(Range::Loopback)),
            ("::1", Some(Range::Loopback)),
            ("::ffff:127.0.0.1", Some(Range::Loopback)),
            ("10.1.2.3", Some(Range::Private)),
            ("172.16.0.1", Some(Range::Private)),
            ("172.31.255.255", Some(Range::Private)),
            ("192.168.1.1", Some(Range::Private)),
            ("100.64.0.1", Some(Range::Private)),
            ("fd00::1", Some(Range::Private)),
            ("::ffff:10.0.0.1", Some(Range::Private)),
            ("169.254.169.254", Some(Range::LinkLocal)),
            ("fe80::1", Some(Range::LinkLocal)),
            ("0.0.0.0", Some(Range::Special)),
            ("255.255.255.255", Some(Range::Special)),
            ("224.0.0.1", Some(Range::Special)),
            ("240.0.0.1", Some(Range::Special)),
            ("192.0.2.1", Some(Range::Special)),
            ("198.18.0.1", Some(Range::Special)),
            ("::", Some(Range::Special)),
            ("ff02::1", Some(Range::Special)),
            ("64:ff9b::a00:1", Some(Range::Special)),
            ("2001:db8::1", Some(Range::Special)),
            ("2002:a00:1::", Some(Range::Special)),
            ("::10.0.0.1", Some(Range::Special)),
            ("93.184.215.14", None),
            ("172.32.0.1", None),
            ("100.128.0.1", None),
            ("2606:4700::1111", None),
        ] {
            assert_eq!(r(a), want, "{a}");
        }
    }

    #[test]
    fn the_policy_allows_only_what_it_names() {
        let none = TargetPolicy::default();
        let lo = TargetPolicy {
            allow_loopback: true,
            ..TargetPolicy::default()
        };
        assert_eq!(none.allows("127.0.0.1".parse().unwrap()), Err(Range::Loopback));
        assert_eq!(lo.allows("127.0.0.1".parse().unwrap()), Ok(()));
        assert_eq!(lo.allows("10.0.0.1".parse().unwrap()), Err(Range::Private));
        assert_eq!(
            lo.allows("169.254.169.254".parse().unwrap()),
            Err(Range::LinkLocal)
        );
        // One refused address among allowed ones refuses the host.
        let addrs: Vec<SocketAddr> = vec!["127.0.0.1:80".parse().unwrap(), "10.0.0.1:80".parse().unwrap()];
        assert!(matches!(
            lo.check_all("mixed.example", &addrs),
            Err(NotifyError::TargetRefused { range: "private", .. })
        ));
    }

    #[test]
    fn urls_other_than_http_and_https_with_a_host_are_refused() {
        assert_eq!(
            split_url("https://erp.example/hook").unwrap(),
            (true, "erp.example".into(), 443)
        );
        assert_eq!(
            split_url("http://[::1]:8080/x").unwrap(),
            (false, "::1".into(), 8080)
        );
        for bad in [
            "ftp://x/",
            "file:///etc/passwd",
            "/relative",
            "http://user:pw@host/",
            "gopher://h/",
        ] {
            assert!(matches!(split_url(bad), Err(NotifyError::BadUrl { .. })), "{bad}");
        }
    }
}
