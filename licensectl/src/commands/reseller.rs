//! `reseller keygen | certify | install | revoke`: reseller delegation.

use license_core::{Date, Frame, Kind, KindSet, LineSet, PublicKey};
use license_issue::{KeyRing, ResellerBundle, ResellerHome, certify};
use serde_json::json;

use super::shared::pick_catalog;
use crate::args::{CertifyArgs, ResellerCommand};
use crate::failure::Failure;
use crate::home::Home;
use crate::output::{self, outln};

/// A public key as 64 hex digits (or a line of `licensectl pubkey --format hex`).
fn public_key(hex: &str, what: &str) -> Result<PublicKey, Failure> {
    PublicKey::from_hex(hex).map_err(|e| Failure::Usage(format!("{what}: {e}")))
}

pub fn reseller(home: &Home, action: &ResellerCommand, today: Date, json: bool) -> Result<u8, Failure> {
    let reseller = home.reseller();
    match action {
        ResellerCommand::Keygen => {
            let pk = reseller.keygen()?;
            let hex = hex::encode(pk.to_bytes());
            if json {
                output::json(&json!({ "public_key": hex }))?;
            } else {
                outln!(
                    "Generated the reseller key {}.",
                    reseller.dir().join("reseller-key.pem").display()
                );
                outln!("Send this public key to the vendor to be certified:");
                outln!("{hex}");
            }
            Ok(0)
        }
        ResellerCommand::Install {
            cert,
            product,
            vendor_key,
        } => {
            let pinned = vendor_key
                .as_deref()
                .map(|k| public_key(k, "the vendor key"))
                .transpose()?
                .map(|k| [k]);
            // A file holds a bundle (or a chain's text); anything else is the chain's text.
            let path = std::path::Path::new(cert);
            let text = if path.is_file() {
                std::fs::read_to_string(path).map_err(|source| license_issue::Error::Io {
                    path: path.into(),
                    source,
                })?
            } else {
                cert.clone()
            };
            let (chain, product, catalog) = if text.trim_start().starts_with('{') {
                let bundle = ResellerBundle::parse(&text)?;
                if let Some(p) = product.as_deref().filter(|&p| p != bundle.product) {
                    return Err(Failure::Usage(format!(
                        "the bundle is for product '{}', not '{p}'",
                        bundle.product
                    )));
                }
                let (chain, catalog) = reseller.install_bundle(&bundle, pinned.as_ref().map(|k| &k[..]))?;
                let stored = home.store_catalog(&catalog)?;
                (chain, bundle.product, Some(stored))
            } else {
                let (Some(product), Some(keys)) = (product, pinned) else {
                    return Err(Failure::Usage(
                        "a certificate chain's text needs --product and --vendor-key (a bundle file brings both)"
                            .into(),
                    ));
                };
                (
                    reseller.install(text.trim(), &keys, product)?,
                    product.clone(),
                    None,
                )
            };
            let leaf = chain.leaf();
            let ids = leaf.frame.license_ids.map(|r| format!("{}-{}", r.first, r.last));
            if json {
                output::json(&json!({
                    "product": product,
                    "reseller": leaf.name.as_str(),
                    "serial": leaf.serial,
                    "depth": chain.len(),
                    "until": leaf.frame.not_after,
                    "license_ids": ids,
                    "catalog": catalog.as_ref().map(|p| p.display().to_string()),
                }))?;
            } else {
                outln!(
                    "Installed the certificate of {} (serial {}) for {product}, valid for issue days before {}.",
                    leaf.name,
                    leaf.serial,
                    leaf.frame.not_after
                );
                if let Some(ids) = ids {
                    outln!("New licenses take the ids {ids}.");
                }
                if let Some(p) = catalog {
                    outln!("Installed the vendor's catalog {}.", p.display());
                }
            }
            Ok(0)
        }
        ResellerCommand::Certify(args) => certify_command(home, &reseller, args, today, json),
        ResellerCommand::Revoke {
            serial,
            sub_serial: Some(sub_serial),
            product,
            reason,
        } => {
            let catalogs = home.catalogs_required()?;
            let product = pick_catalog(&catalogs, product.as_deref())?.product();
            let mut register = home.certificates()?;
            let entry = register.revoke_sub(product, *serial, *sub_serial, reason.as_deref(), today)?;
            if json {
                output::json(&json!({
                    "product": product,
                    "serial": serial,
                    "sub_serial": sub_serial,
                    "reseller": entry.reseller,
                    "sub_reseller": entry.sub_reseller,
                    "revoked": today,
                }))?;
            } else {
                outln!(
                    "Sub-reseller certificate {sub_serial} of {} under certificate {serial} of {product} ({}) revoked on {today}: the next revocation list (licensectl revoke --list, format version 3) refuses every code under it; {}'s own codes stay valid.",
                    entry.sub_reseller,
                    entry.reseller,
                    entry.reseller
                );
            }
            Ok(0)
        }
        ResellerCommand::List { product } => list(home, product.as_deref(), json),
        ResellerCommand::Revoke {
            serial,
            sub_serial: None,
            product,
            reason,
        } => {
            let catalogs = home.catalogs_required()?;
            let product = pick_catalog(&catalogs, product.as_deref())?.product();
            let mut register = home.certificates()?;
            let entry = register.revoke(product, *serial, reason.as_deref(), today)?;
            if json {
                output::json(&json!({
                    "product": product,
                    "serial": serial,
                    "reseller": entry.reseller,
                    "revoked": today,
                }))?;
            } else {
                outln!(
                    "Certificate {serial} of {product} ({}) revoked on {today}: the next revocation list (licensectl revoke --list) refuses every code under it, its sub-resellers' included.",
                    entry.reseller
                );
            }
            Ok(0)
        }
    }
}

/// `reseller list`: the certificate register, first-level certificates then the
/// sub-reseller certificates imports met.
fn list(home: &Home, product: Option<&str>, json: bool) -> Result<u8, Failure> {
    let register = home.certificates()?;
    let wanted = |p: &str| product.is_none_or(|w| w == p);
    let firsts: Vec<_> = register.entries().iter().filter(|e| wanted(&e.product)).collect();
    let subs: Vec<_> = register
        .sub_entries()
        .iter()
        .filter(|e| wanted(&e.product))
        .collect();
    if json {
        output::json(&json!({ "certificates": firsts, "sub_certificates": subs }))?;
        return Ok(0);
    }
    let revoked = |on: Option<Date>| on.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let body: Vec<Vec<String>> = firsts
        .iter()
        .map(|e| {
            vec![
                e.product.clone(),
                e.serial.to_string(),
                String::new(),
                e.reseller.clone(),
                e.certified.to_string(),
                revoked(e.revoked),
            ]
        })
        .chain(subs.iter().map(|e| {
            vec![
                e.product.clone(),
                e.reseller_serial.to_string(),
                e.serial.to_string(),
                format!("{} (under {})", e.sub_reseller, e.reseller),
                e.registered.to_string(),
                revoked(e.revoked),
            ]
        }))
        .collect();
    if body.is_empty() {
        outln!("The certificate register holds no certificate yet.");
    } else {
        output::table(
            &["product", "serial", "sub-serial", "reseller", "since", "revoked"],
            &body,
        );
    }
    Ok(0)
}

fn certify_command(
    home: &Home,
    reseller: &ResellerHome,
    args: &CertifyArgs,
    today: Date,
    json: bool,
) -> Result<u8, Failure> {
    let catalogs = home.catalogs_required()?;
    let catalog = pick_catalog(&catalogs, args.product.as_deref())?;
    let product = catalog.product();
    let kinds: KindSet = args.kinds.iter().map(|k| k.kind()).collect();
    let lines = if args.lines.is_empty() {
        catalog
            .lines()
            .iter()
            .fold(LineSet::EMPTY, |s, &(_, n)| s.with(n))
    } else {
        let mut s = LineSet::EMPTY;
        for name in &args.lines {
            s = s.with(catalog.line(name)?.get());
        }
        s
    };
    let modules = if args.modules.iter().any(|m| m == "all-future") {
        // Every module, present and future: the frame that admits NFR codes with the
        // all-modules flag (`docs/FORMAT.md`, "Frame rules").
        license_core::ModuleSet::ALL
    } else if args.modules.iter().any(|m| m == "all") {
        catalog.all_modules()
    } else {
        catalog.module_set(&args.modules)?
    };
    let mut frame = Frame::new(kinds, lines, modules, args.until);
    frame.named_users = args.max_users;
    frame.concurrent_seats = args.max_seats;
    frame.delegation_depth = args.depth;
    frame.binding_required = args.binding_required;
    frame.license_ids = Some(args.license_ids);
    for (kind, days) in [
        (Kind::Trial, args.trial_days),
        (Kind::Subscription, args.subscription_days),
        (Kind::Nfr, args.nfr_days),
    ] {
        if let Some(d) = days {
            frame = frame.with_max_days(kind, d);
        }
    }
    let subject = public_key(&args.public_key, "--public-key")?;
    let (chain, vendor_keys) = if args.as_reseller {
        let keys = reseller.vendor_keys()?;
        if args.bundle.is_some() && keys.is_empty() {
            // Checked before signing: a bundle without them could not be installed.
            return Err(Failure::Usage(
                "this home holds no vendor keys for a bundle (its certificate was installed from a chain's text): install the vendor's bundle first, or send the chain's text and the vendor's key instead".into(),
            ));
        }
        let chain = reseller.certify(product, subject, &args.name, args.serial, frame)?;
        (chain, keys)
    } else {
        let ring = KeyRing::open(&home.keys())?;
        // Serials are unique per product: revocation lists revoke by serial.
        let mut register = home.certificates()?;
        register.check_new(product, args.serial)?;
        let chain = certify(
            &ring.current()?,
            product,
            subject,
            &args.name,
            args.serial,
            frame,
            None,
        )?;
        register.record(product, &chain, today)?;
        (chain, ring.public_keys())
    };
    if let Some(path) = &args.bundle {
        let bundle = ResellerBundle::new(&chain, catalog, &vendor_keys);
        crate::home::write_new(path, bundle.to_json()?.as_bytes())?;
    }
    if json {
        output::json(&json!({
            "product": product,
            "depth": chain.len(),
            "chain": chain.to_string(),
            "bundle": args.bundle.as_ref().map(|p| p.display().to_string()),
        }))?;
    } else {
        outln!("{chain}");
        if let Some(path) = &args.bundle {
            eprintln!(
                "Wrote the bundle (chain, catalog, vendor keys) to {}.",
                path.display()
            );
        }
    }
    Ok(0)
}
