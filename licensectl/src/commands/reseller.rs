//! `reseller keygen | certify | install`: reseller delegation.

use license_core::{Frame, Kind, KindSet, LineSet, PublicKey};
use license_issue::{KeyRing, ResellerHome, certify, parse_hex32};
use serde_json::json;

use super::pick_catalog;
use crate::home::Home;
use crate::machine::Failure;
use crate::output::{self, outln};
use crate::{CertifyArgs, ResellerCommand};

fn public_key(hex: &str, what: &str) -> Result<PublicKey, Failure> {
    let bytes = parse_hex32(hex).ok_or_else(|| Failure::Usage(format!("{what} must be 64 hex digits")))?;
    Ok(PublicKey::from_bytes(&bytes)?)
}

pub fn reseller(home: &Home, action: &ResellerCommand, json: bool) -> Result<u8, Failure> {
    let reseller = ResellerHome::new(home.dir.join("reseller"));
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
            chain,
            product,
            vendor_key,
        } => {
            let keys = [public_key(vendor_key, "the vendor key")?];
            let chain = reseller.install(chain, &keys, product)?;
            let leaf = chain.leaf();
            if json {
                output::json(&json!({
                    "product": product,
                    "reseller": leaf.name.as_str(),
                    "serial": leaf.serial,
                    "depth": chain.len(),
                    "until": leaf.frame.not_after,
                }))?;
            } else {
                outln!(
                    "Installed the certificate of {} (serial {}) for {product}, valid for issue days before {}.",
                    leaf.name,
                    leaf.serial,
                    leaf.frame.not_after
                );
            }
            Ok(0)
        }
        ResellerCommand::Certify(args) => certify_command(home, &reseller, args, json),
    }
}

fn certify_command(
    home: &Home,
    reseller: &ResellerHome,
    args: &CertifyArgs,
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
    let modules = if args.modules.iter().any(|m| m == "all") {
        catalog.all_modules()
    } else {
        catalog.module_set(&args.modules)?
    };
    let mut frame = Frame::new(kinds, lines, modules, args.until);
    frame.named_users = args.max_users;
    frame.concurrent_seats = args.max_seats;
    frame.delegation_depth = args.depth;
    frame.binding_required = args.binding_required;
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
    let chain = if args.as_reseller {
        reseller.certify(product, subject, &args.name, args.serial, frame)?
    } else {
        let vendor = KeyRing::open(&home.keys())?.current()?;
        certify(&vendor, product, subject, &args.name, args.serial, frame, None)?
    };
    if json {
        output::json(&json!({ "product": product, "depth": chain.len(), "chain": chain.to_string() }))?;
    } else {
        outln!("{chain}");
    }
    Ok(0)
}
