//! The per-request nonce of the Content-Security-Policy. The server's security middleware
//! puts it in the request; the page shell hands it to Leptos so that the hydration script
//! (and any inline data script) carries it.

use leptos::nonce::Nonce;
use leptos::prelude::*;

/// Inserted into request extensions by the security middleware.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Makes the request's nonce the one Leptos writes on its scripts.
pub fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(Nonce::from_value(value));
    }
}
