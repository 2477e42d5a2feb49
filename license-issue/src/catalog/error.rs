//! Errors of a product catalog or a name in it: the `Catalog` part of [`crate::Error`].

use crate::error::class::ErrorClass;
use std::path::PathBuf;

/// Why a product catalog or a name in it could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A catalog file that cannot be read or is not a valid catalog.
    #[error("the product catalog {} is invalid: {reason}; fix the file (the demo catalog is a commented example) or use a valid one", .path.display())]
    Catalog {
        /// The catalog file (or `<built-in>`).
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// No catalog for this product.
    #[error(
        "no catalog for product '{product}' (known: {known}): add catalog/{product}.toml or check the spelling"
    )]
    UnknownProduct {
        /// The product asked for.
        product: String,
        /// The products that have a catalog.
        known: String,
    },
    /// A module name the product's catalog does not define.
    #[error("unknown module '{name}' for product {product}: the catalog defines {known}")]
    UnknownModule {
        /// The product.
        product: String,
        /// The unknown name.
        name: String,
        /// The names the catalog defines.
        known: String,
    },
    /// A product line name the product's catalog does not define.
    #[error("unknown product line '{name}' for product {product}: the catalog defines {known}")]
    UnknownLine {
        /// The product.
        product: String,
        /// The unknown name.
        name: String,
        /// The names the catalog defines.
        known: String,
    },
}

impl CatalogError {
    /// A stable name for the kind of error: the variant's name in snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            CatalogError::Catalog { .. } => "catalog",
            CatalogError::UnknownProduct { .. } => "unknown_product",
            CatalogError::UnknownModule { .. } => "unknown_module",
            CatalogError::UnknownLine { .. } => "unknown_line",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            CatalogError::Catalog { .. } => ErrorClass::Data,
            CatalogError::UnknownProduct { .. }
            | CatalogError::UnknownModule { .. }
            | CatalogError::UnknownLine { .. } => ErrorClass::Usage,
        }
    }
}
