//! Password hashing with argon2id.
//!
//! Parameters follow OWASP's minimum for argon2id (m = 19 MiB, t = 2, p = 1). Hashing takes
//! tens of milliseconds of CPU, so it runs on the blocking pool, never on the async workers,
//! and at most one hash per core runs at a time ([`on_hashing_pool`]).

use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

use crate::DataError;

/// The stored PHC string. Deliberately not `Serialize`: it never leaves the server.
#[derive(Clone)]
pub struct PasswordHashString(pub(crate) String);

impl PasswordHashString {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(<redacted>)")
    }
}

fn hasher() -> Result<Argon2<'static>, DataError> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| DataError::Password(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes running at once, one per core. Each holds 19 MiB and a core, so a burst of
/// sign-ins (a training room signing in at 8 o'clock, or someone guessing passwords) would
/// otherwise hold 19 MiB per request at once; more at a time cannot finish sooner, so the
/// rest wait here holding no memory.
static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    Arc::new(Semaphore::new(cores.clamp(1, 8)))
});

/// Runs `work` on the blocking pool once a hashing slot is free. The slot goes with the
/// work, so a caller that gives up does not free it while the hash still runs.
async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DataError> + Send + 'static,
) -> Result<T, DataError> {
    let slot = HASHING
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| DataError::Password(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|e| DataError::Password(e.to_string()))?
}

pub async fn hash(password: String) -> Result<PasswordHashString, DataError> {
    on_hashing_pool(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHashString(h.to_string()))
            .map_err(|e| DataError::Password(e.to_string()))
    })
    .await
}

/// Checks a password. With `stored = None` (unknown user) it verifies against a fixed dummy
/// hash so that the answer takes as long as for a real account and reveals nothing.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, DataError> {
    on_hashing_pool(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&phc).map_err(|e| DataError::Password(e.to_string()))?;
        let ok = hasher()?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await
}

/// Six random words from a short Vietnamese list (30 bits): easy to type on a phone, for
/// temporary and demo passwords that are printed once.
pub fn generate_passphrase() -> String {
    use rand::Rng;
    const WORDS: [&str; 32] = [
        "lúa", "ngô", "sắn", "cà phê", "tiêu", "điều", "voi", "suối", "thác", "đồi", "nương",
        "rẫy", "buôn", "thôn", "chiêng", "cồng", "mưa", "nắng", "gió", "mây", "sông", "hồ", "cây",
        "hoa", "lá", "đá", "núi", "rừng", "trăng", "sao", "đêm", "sáng",
    ];
    let mut rng = OsRng;
    let words: Vec<&str> = (0..6)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())])
        .collect();
    words.join(" ")
}

/// argon2id(m=19456,t=2,p=1) of a random password nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Rj9eCYEyLTXvxwIeDqVFGZ5V5I2lGBMwZMvxhKN0I9s";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("một câu mật khẩu dài".to_owned()).await.expect("hash");
        assert!(
            stored
                .as_str()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
        let ok = verify("một câu mật khẩu dài".to_owned(), Some(stored.0.clone())).await;
        assert!(ok.expect("verify"));
        let wrong = verify("sai mật khẩu rồi".to_owned(), Some(stored.0)).await;
        assert!(!wrong.expect("verify"));
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        assert!(
            !verify("anything at all".to_owned(), None)
                .await
                .expect("verify")
        );
    }

    #[test]
    fn generated_passphrases_are_six_words_and_pass_the_password_rules() {
        let phrase = generate_passphrase();
        assert!(phrase.split(' ').count() >= 6);
        assert_eq!(
            kynangso_domain::credentials::check_password(&phrase),
            Ok(())
        );
        assert_ne!(phrase, generate_passphrase());
    }

    #[test]
    fn the_hash_never_shows_in_debug_output() {
        let secret = PasswordHashString("$argon2id$secret".to_owned());
        assert!(!format!("{secret:?}").contains("secret"));
    }
}
